"""Pages of the citizen portal and the officer workspace.

Views parse the request, call services and selectors of the other apps, and render. They never
write with the ORM and hold no business rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .forms import LoginForm


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def home(request: HttpRequest) -> HttpResponse:
    from .home_data import home_counts, home_ladder

    now = timezone.now()
    context: dict[str, Any] = {
        "links": {
            "submit": _url_or_none("web:report_submit"),
            "track": _url_or_none("web:track"),
            "public": _url_or_none("web:public_list"),
        },
        "month_label": date_format(timezone.localtime(now), "F Y"),
        "counts": home_counts(now=now),
        "ladder": home_ladder(now=now),
    }
    return render(request, "web/home.html", context)


# --- accounts -----------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "web/accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires since 5.0)."""


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "web/accounts/password_reset.html"
    email_template_name = "web/accounts/email/password_reset.txt"
    subject_template_name = "web/accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("web:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "web/accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "web/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("web:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "web/accounts/password_reset_complete.html"


def lockout(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes lockout: a readable page instead of a bare 429 (AXES_LOCKOUT_CALLABLE)."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff_minutes": minutes,
    }
    return render(request, "web/accounts/lockout.html", context, status=429)


# --- registration with e-mail verification --------------------------------------------------

REGISTER_SALT = "lapor.web.register"
REGISTER_MAX_AGE = 2 * 24 * 3600  # the link works for two days


def register(request: HttpRequest) -> HttpResponse:
    """Step 1: name and e-mail. We send a signed link; no account exists until it is opened,
    so an address that nobody verified never becomes an account."""
    from django.core import signing
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from .forms import RegisterForm

    if request.user.is_authenticated:
        return redirect("web:home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        token = signing.dumps(
            {"email": email, "name": form.cleaned_data["full_name"]}, salt=REGISTER_SALT
        )
        link = request.build_absolute_uri(reverse("web:register_confirm", args=[token]))
        body = render_to_string(
            "web/accounts/email/register.txt",
            {"link": link, "name": form.cleaned_data["full_name"]},
        )
        send_mail(_("Konfirmasi pendaftaran SP4N-LAPOR!"), body, None, [email])
        return render(request, "web/accounts/register_sent.html", {"email": email})
    return render(request, "web/accounts/register.html", {"form": form})


def register_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: the link proves the address; the person chooses a password and the account is
    created through the accounts service."""
    from django.contrib.auth import login
    from django.core import signing

    from lapor.accounts.choices import Role
    from lapor.accounts.services import user_create
    from lapor.core.errors import Conflict, ValidationFailed

    from .forms import SetPasswordForm

    try:
        data = signing.loads(token, salt=REGISTER_SALT, max_age=REGISTER_MAX_AGE)
    except signing.BadSignature:
        return render(request, "web/accounts/register_invalid.html", status=400)
    email = str(data["email"])
    form = SetPasswordForm(request.POST or None, email=email)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(
                email=email,
                role=Role.REPORTER,
                password=form.cleaned_data["password1"],
                full_name=str(data.get("name", "")),
                email_verified_at=timezone.now(),
            )
        except Conflict:
            messages.info(
                request,
                _("Akun dengan e-mail ini sudah ada. Silakan masuk atau atur ulang kata sandi."),
            )
            return redirect("web:login")
        except ValidationFailed as exc:
            for error in exc.errors or []:
                form.add_error(None, error["message"])
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Akun Anda sudah aktif. Selamat datang!"))
            return redirect("web:home")
    return render(request, "web/accounts/register_confirm.html", {"form": form, "email": email})
