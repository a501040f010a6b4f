"""Forms of the web pages: parsing and field-level messages only; rules live in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "E-mail atau kata sandi salah. Periksa kembali; setelah beberapa kali gagal, "
            "akun dikunci sementara demi keamanan."
        ),
        "inactive": _("Akun ini tidak aktif."),
    }


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


# --- registration -------------------------------------------------------------------------------


class RegisterForm(forms.Form):
    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Kami mengirim tautan ke alamat ini untuk memastikan e-mail Anda benar."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        help_text=_("Paling sedikit 8 karakter; jangan hanya angka atau kata yang umum."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: object, email: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.email = email

    def clean(self) -> dict[str, object]:
        from django.contrib.auth import password_validation

        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif p1:
            from lapor.accounts.models import User

            try:
                password_validation.validate_password(str(p1), User(email=self.email))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


# --- submitting a report --------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the reports app checks type, size and count."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list[object]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _report_type_choices() -> list[tuple[str, object]]:
    from lapor.reports.choices import CITIZEN_TYPES, ReportType

    return [(value, label) for value, label in ReportType.choices if value in CITIZEN_TYPES]


class ReportForm(forms.Form):
    """What a citizen fills in. Only shapes are checked here; `report_submit` decides the rest
    and its `ValidationFailed` errors are attached to these fields by name."""

    type = forms.ChoiceField(
        label=_("Jenis laporan"),
        choices=_report_type_choices,
        widget=forms.RadioSelect,
        initial="pengaduan",
    )
    title = forms.CharField(
        label=_("Judul laporan"),
        max_length=150,
        required=False,
        help_text=_(
            "Ringkas, misalnya: “Jalan berlubang di depan SDN 3”. Boleh dikosongkan: judul "
            "dibuat dari kalimat pertama isi laporan."
        ),
        # with JavaScript: similar open reports are listed under the field as the title is typed
        widget=forms.TextInput(
            attrs={
                "hx-get": reverse_lazy("web:report_similar"),
                "hx-trigger": "keyup changed delay:600ms",
                "hx-target": "#similar-reports",
                "hx-swap": "innerHTML",
                "autocomplete": "off",
            }
        ),
    )
    content = forms.CharField(
        label=_("Isi laporan"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Ceritakan apa yang terjadi, kapan, di mana, dan apa yang Anda harapkan. "
            "Jangan menulis nomor KTP atau nomor telepon di sini."
        ),
    )
    event_date = forms.DateField(
        label=_("Tanggal kejadian"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    category = forms.ChoiceField(label=_("Kategori"), required=False, choices=())
    agency = forms.ChoiceField(
        label=_("Instansi tujuan"),
        required=False,
        choices=(),
        help_text=_(
            "Pilih “Tidak yakin” jika Anda tidak tahu instansi mana yang berwenang: "
            "admin LAPOR! akan meneruskannya ke instansi yang tepat."
        ),
    )
    province = forms.ChoiceField(label=_("Provinsi"), required=False, choices=())
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False, choices=())
    district = forms.ChoiceField(label=_("Kecamatan"), required=False, choices=())
    address = forms.CharField(
        label=_("Alamat atau patokan lokasi"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    lat = forms.FloatField(
        label=_("Garis lintang (latitude)"),
        required=False,
        min_value=-11.5,
        max_value=6.5,
        help_text=_("Tidak wajib. Contoh: -7.2575"),
    )
    lon = forms.FloatField(
        label=_("Garis bujur (longitude)"),
        required=False,
        min_value=94.5,
        max_value=141.5,
        help_text=_("Tidak wajib. Contoh: 112.7521"),
    )
    attachments = MultipleFileField(
        label=_("Lampiran"),
        required=False,
        help_text=_(
            "Foto, PDF, dokumen Office, atau video MP4; paling banyak 5 berkas, masing-masing "
            "paling besar 10 MB. Data lokasi di dalam foto dihapus otomatis."
        ),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonim: sembunyikan identitas saya"),
        required=False,
        help_text=_(
            "Nama dan kontak Anda tidak ditampilkan kepada instansi yang menangani maupun kepada "
            "publik. Hanya admin LAPOR! nasional yang dapat melihatnya."
        ),
    )
    is_confidential = forms.BooleanField(
        label=_("Rahasia: jangan tampilkan laporan ini kepada publik"),
        required=False,
        help_text=_(
            "Isi laporan tidak muncul di daftar laporan publik. Hanya Anda dan petugas yang "
            "menanganinya yang dapat membacanya."
        ),
    )
    reporter_name = forms.CharField(
        label=_("Nama Anda"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_email = forms.EmailField(
        label=_("E-mail Anda"),
        required=False,
        help_text=_("Untuk menerima kabar tindak lanjut. Tidak ditampilkan kepada publik."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    reporter_phone = forms.CharField(
        label=_("Nomor telepon Anda"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    GUEST_FIELDS = ("reporter_name", "reporter_email", "reporter_phone")

    def __init__(
        self,
        *args: object,
        category_choices: list[tuple[str, object]],
        agency_choices: list[tuple[str, object]],
        region_choices: dict[str, list[tuple[str, str]]],
        guest: bool,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _choice(self, "category").choices = [("", _("— Pilih kategori —")), *category_choices]
        _choice(self, "agency").choices = [("", _("Tidak yakin")), *agency_choices]
        for level, empty in (
            ("province", _("— Pilih provinsi —")),
            ("regency", _("— Pilih kabupaten/kota —")),
            ("district", _("— Pilih kecamatan —")),
        ):
            _choice(self, level).choices = [("", empty), *region_choices.get(level, [])]
        if not guest:
            for name in self.GUEST_FIELDS:
                del self.fields[name]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error(
                "lon" if data.get("lat") is not None else "lat",
                _("Isi garis lintang dan garis bujur bersama-sama, atau kosongkan keduanya."),
            )
        return data

    def region_code(self) -> str | None:
        data = self.cleaned_data
        return data.get("district") or data.get("regency") or data.get("province") or None


# --- tracking and the reporter's actions ----------------------------------------------------


class TrackForm(forms.Form):
    tracking_id = forms.CharField(
        label=_("Nomor pelacakan"),
        max_length=32,
        help_text=_("Contoh: 7KQ4M-9XMT3. Huruf besar atau kecil sama saja."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    reporter_key = forms.CharField(
        label=_("Kunci pelapor"),
        required=False,
        max_length=128,
        help_text=_(
            "Hanya untuk pelapor tanpa akun: kunci ini memungkinkan Anda membalas, menilai, atau "
            "menutup laporan. Melihat status tidak memerlukan kunci (kecuali laporan rahasia)."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=True),
    )


class ReplyForm(forms.Form):
    """The reporter's actions share one small form; each action uses what it needs."""

    content = forms.CharField(
        label=_("Pesan"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    disputes = forms.BooleanField(
        label=_("Saya tidak setuju dengan jawaban ini (sanggah)"), required=False
    )
    score = forms.TypedChoiceField(
        label=_("Nilai"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(str(i), str(i)) for i in range(1, 6)],
        widget=forms.RadioSelect,
    )


# --- public list ----------------------------------------------------------------------------


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=())
    type = forms.ChoiceField(label=_("Jenis"), required=False, choices=())
    agency = forms.ChoiceField(label=_("Instansi"), required=False, choices=())
    category = forms.ChoiceField(label=_("Kategori"), required=False, choices=())
    region = forms.ChoiceField(label=_("Provinsi"), required=False, choices=())
    since = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        label=_("Urutkan"),
        required=False,
        choices=[
            ("terbaru", _("Terbaru")),
            ("terlama", _("Terlama")),
            ("dukungan", _("Dukungan terbanyak")),
        ],
    )

    def __init__(
        self,
        *args: object,
        category_choices: list[tuple[str, object]],
        agency_choices: list[tuple[str, object]],
        region_choices: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        from lapor.reports.choices import OfficialStatus, ReportType

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        _choice(self, "status").choices = [("", _("Semua status")), *OfficialStatus.choices]
        _choice(self, "type").choices = [("", _("Semua jenis")), *ReportType.choices]
        _choice(self, "agency").choices = [("", _("Semua instansi")), *agency_choices]
        _choice(self, "category").choices = [("", _("Semua kategori")), *category_choices]
        _choice(self, "region").choices = region_choices
