"""Masking of phone numbers, e-mail addresses and NIK/KK numbers in public text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapor.reports.masking import NIK_MASK, mask_personal_data

REAL = Path("/work/shared/data/real")
if not REAL.exists():  # CI lays shared/ beside the clone
    REAL = Path(__file__).resolve().parents[4] / "shared" / "data" / "real"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hubungi saya di 0812-3456-7890 ya", "Hubungi saya di ****-****-*890 ya"),
        ("HP: 081234567890", "HP: *********890"),
        ("wa +62 812 3456 7890.", "wa *** *** **** *890."),
        ("no 62-813.1234.5678", "no **-***.****.*678"),
        ("(+62)8123456789", "(***)*******789"),
        ("0857 1234 567", "**** **** 567"),
        ("kantor (031) 5312144", "kantor (***) ****144"),
        ("telp 021-5551234", "telp ***-****234"),
        ("telp 0274 512345", "telp **** ***345"),
    ],
)
def test_phone_numbers_are_masked(text, expected):
    # when / then
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "nik",
    [
        "3578011234560001",
        "3578 0112 3456 0001",
        "3578-0112-3456-0001",
        "35.78.01.123456.0001",
        "357801.123456.0001",
    ],
)
def test_sixteen_digit_identity_numbers_are_masked(nik):
    # given
    text = f"NIK saya {nik}, mohon dicek"
    # when / then
    assert mask_personal_data(text) == f"NIK saya {NIK_MASK}, mohon dicek"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kirim ke budi.santoso@gmail.com!", "kirim ke b***@***.com!"),
        ("Email: Siti_Aminah+lapor@mail.surabaya.go.id", "Email: S***@***.id"),
    ],
)
def test_email_addresses_are_masked(text, expected):
    # when / then
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Biaya Rp 1.500.000 dan Rp1.700.000,00 serta Rp. 25.000.000.000",
        "pada tanggal 2022-01-17 10:00 dan 17-01-2022 pukul 08.30",
        "sejak 08-01-2022 jam 08.30 WIB",
        "RT 05/RW 02 no. 12, Jl. Simolangit 13/95",
        "tahun 1997, 1996,1995 dan seterusnya",
        "nomor resi RI123456789CN dan rekening 1234567890123",
        "17 digit 12345678901234567 bukan NIK, 15 digit 123456789012345 juga bukan",
        "kode pos 60234, 3 orang, 2 x 24 jam, 100 meter",
        "Nomor surat 800/1234/436.7.1/2022",
        "",
    ],
)
def test_ordinary_numbers_are_left_alone(text):
    # when / then
    assert mask_personal_data(text) == text


@given(
    amount=st.integers(min_value=1, max_value=10**12),
    day=st.dates(),
)
def test_money_and_dates_never_change(amount, day):
    # given
    money = f"{amount:,}".replace(",", ".")
    text = f"Rp {money} pada {day.isoformat()} ({day:%d-%m-%Y}, {day:%d/%m/%Y})"
    # when / then
    assert mask_personal_data(text) == text


def test_real_masked_complaints_are_not_mangled():
    # given: real 2017 LAPOR! reports whose personal data was already masked by the publisher
    path = REAL / "lapor-2017-complaints" / "complaints.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # when
    changed = [
        row["tracking_id"]
        for row in rows
        if mask_personal_data(row["isi"]) != row["isi"]
        or mask_personal_data(row["judul"]) != row["judul"]
    ]
    # then: thousands of real texts full of amounts, dates, RT/RW and addresses stay as they were
    assert len(rows) > 1000
    assert changed == []


def test_real_text_with_personal_data_put_back_is_masked():
    # given: a real report, with a phone number, an e-mail and a NIK written into it
    path = REAL / "lapor-2017-complaints" / "complaints.csv"
    with path.open(encoding="utf-8") as handle:
        original = next(csv.DictReader(handle))["isi_tanpa_salam"]
    text = f"{original} Hubungi 0812 3456 7890 / warga@yahoo.co.id, NIK 3504.1201.0101.0003."
    # when
    masked = mask_personal_data(text)
    # then
    assert masked.startswith(original)
    assert "0812 3456 7890" not in masked
    assert "warga@yahoo.co.id" not in masked
    assert "3504.1201.0101.0003" not in masked
    assert masked.endswith(f"Hubungi **** **** *890 / w***@***.id, NIK {NIK_MASK}.")


@st.composite
def _mobile_numbers(draw):
    prefix = draw(st.sampled_from(["08", "+62 8", "+628", "62-8", "628", "(+62) 8", "0 8"]))
    # 10–13 digits with the trunk 0 (08xx-xxxx-xxxx): 8, one more, then 7–10
    digits = draw(st.text(alphabet="0123456789", min_size=7, max_size=10))
    sep = draw(st.sampled_from(["", " ", "-", "."]))
    groups = [digits[i : i + 4] for i in range(0, len(digits), 4)]
    return prefix + draw(st.sampled_from("123456789")) + sep + sep.join(groups)


@given(number=_mobile_numbers(), before=st.sampled_from(["HP ", "wa: ", "(", "nomor "]))
def test_any_indonesian_mobile_number_keeps_only_its_last_three_digits(number, before):
    # given
    text = f"{before}{number} terima kasih"
    # when
    masked = mask_personal_data(text)
    # then
    visible = [c for c in masked if c.isdigit()]
    last_three = [c for c in number if c.isdigit()][-3:]
    assert visible == last_three
    assert masked.startswith(before)
    assert masked.endswith(" terima kasih")
