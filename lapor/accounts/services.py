"""Writes of the accounts app: users, memberships and API tokens (every one policy-checked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency, Unit
from lapor.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from .choices import Role
from .demo import DEMO_ACCOUNTS
from .models import ApiToken, SavedInboxView, User
from .policy import Action, UserTarget, can
from .selectors import actor_for
from .tokens import IssuedToken, token_create, token_revoke

# Roles that act for one organisation: they need one. `unit` is required, optional or refused.
AGENCY_ROLES = frozenset({Role.AGENCY_ADMIN, Role.UNIT_ADMIN, Role.LIAISON_OFFICER, Role.DEVELOPER})
UNIT_REQUIRED = frozenset({Role.UNIT_ADMIN})
UNIT_ALLOWED = frozenset({Role.UNIT_ADMIN, Role.LIAISON_OFFICER})


def user_membership_errors(
    *, role: str, agency: Agency | None, unit: Unit | None
) -> list[dict[str, str]]:
    """What is wrong with giving `role` this organisation and unit (empty: nothing)."""
    errors: list[dict[str, str]] = []
    if role not in Role.values:
        return [
            {
                "field": "role",
                "message": _("Peran tidak dikenal: %(role)s. Pilihan: %(choices)s.")
                % {"role": role, "choices": ", ".join(Role.values)},
            }
        ]
    if role in AGENCY_ROLES and agency is None:
        errors.append(
            {
                "field": "agency",
                "message": _("Peran %(role)s wajib memiliki instansi.") % {"role": role},
            }
        )
    if role not in AGENCY_ROLES and agency is not None:
        errors.append(
            {
                "field": "agency",
                "message": _("Peran %(role)s tidak terikat pada instansi.") % {"role": role},
            }
        )
    if role in UNIT_REQUIRED and unit is None:
        errors.append(
            {
                "field": "unit",
                "message": _("Peran %(role)s wajib memiliki unit kerja.") % {"role": role},
            }
        )
    if role not in UNIT_ALLOWED and unit is not None:
        errors.append(
            {
                "field": "unit",
                "message": _("Peran %(role)s tidak terikat pada unit kerja.") % {"role": role},
            }
        )
    if unit is not None and agency is not None and unit.agency_id != agency.pk:
        errors.append(
            {
                "field": "unit",
                "message": _("Unit kerja %(unit)s bukan bagian dari instansi %(agency)s.")
                % {"unit": unit.code, "agency": agency.code},
            }
        )
    return errors


def user_create(
    *,
    email: str,
    role: str,
    agency: Agency | None = None,
    unit: Unit | None = None,
    password: str | None = None,
    full_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    email_verified_at: datetime | None = None,
) -> User:
    """Create an account (login by e-mail). Without a password the account cannot sign in.

    `email_verified_at`: when the address was proven (the registration link was opened)."""
    errors = user_membership_errors(role=role, agency=agency, unit=unit)
    email = User.objects.normalize_email(email.strip()).lower()
    if not email or "@" not in email:
        errors.insert(0, {"field": "email", "message": _("Alamat e-mail tidak valid.")})
    if errors:
        raise ValidationFailed(_("Data pengguna tidak valid."), errors=errors)
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("Sudah ada pengguna dengan e-mail %(email)s.") % {"email": email})
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email,
                password,
                role=role,
                agency=agency,
                unit=unit,
                full_name=full_name,
                is_staff=is_staff,
                is_superuser=is_superuser,
                email_verified_at=email_verified_at,
            )
    except IntegrityError as exc:  # a concurrent create with the same e-mail
        raise Conflict(_("Sudah ada pengguna dengan e-mail %(email)s.") % {"email": email}) from exc


# --- API tokens -------------------------------------------------------------------------------


def _check_token_right(*, actor: User, action: Action, owner: User) -> None:
    target = UserTarget(
        user_id=owner.pk,
        role=owner.role,
        agency_code=owner.agency.code if owner.agency_id is not None and owner.agency else None,
    )
    if not can(actor_for(actor), action, target):
        raise PermissionDenied(_("Anda tidak berhak mengelola token pengguna ini."))


def api_token_create(
    *, actor: User, user: User, name: str, expires_at: datetime | None = None
) -> IssuedToken:
    """A new token for `user`, created by `actor` (the user, or an admin for a developer).

    The raw secret is in the result only; the database keeps its SHA-256.
    """
    _check_token_right(actor=actor, action=Action.TOKEN_CREATE, owner=user)
    errors = []
    if not name.strip():
        errors.append({"field": "name", "message": _("Nama token wajib diisi.")})
    elif len(name) > 100:
        errors.append({"field": "name", "message": _("Nama token paling panjang 100 karakter.")})
    if expires_at is not None and expires_at <= timezone.now():
        errors.append(
            {"field": "expires_at", "message": _("Waktu kedaluwarsa harus di masa depan.")}
        )
    if not user.is_active:
        errors.append({"field": "user", "message": _("Pengguna ini tidak aktif.")})
    if errors:
        raise ValidationFailed(_("Data token tidak valid."), errors=errors)
    return token_create(user=user, name=name.strip(), expires_at=expires_at)


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token (idempotent): its owner, or an admin for a developer's token."""
    _check_token_right(actor=actor, action=Action.TOKEN_REVOKE, owner=token.user)
    return token_revoke(token=token)


# --- demo accounts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOutcome:
    email: str
    role: str
    created: bool = False
    updated: bool = False
    skipped_reason: str = ""


def demo_accounts_ensure(*, password: str) -> list[DemoOutcome]:
    """Create or update every account of `DEMO_ACCOUNTS` with `password` (idempotent).

    An officer whose organisation or unit is not in the registry yet is skipped with the reason.
    The national admin's account may use the Django admin site (staff and superuser).
    """
    outcomes: list[DemoOutcome] = []
    for account in DEMO_ACCOUNTS:
        agency = unit = None
        if account.agency_code:
            agency = Agency.objects.filter(code=account.agency_code).first()
            if agency is None:
                reason = _("instansi %(code)s belum ada di registri") % {
                    "code": account.agency_code
                }
                outcomes.append(DemoOutcome(account.email, account.role, skipped_reason=reason))
                continue
        if account.unit_code and agency is not None:
            unit = Unit.objects.filter(agency=agency, code=account.unit_code).first()
            if unit is None:
                reason = _("unit kerja %(code)s belum ada di instansi %(agency)s") % {
                    "code": account.unit_code,
                    "agency": account.agency_code,
                }
                outcomes.append(DemoOutcome(account.email, account.role, skipped_reason=reason))
                continue
        is_admin = account.role == Role.NATIONAL_ADMIN
        with transaction.atomic():
            user = User.objects.select_for_update().filter(email=account.email).first()
            if user is None:
                user_create(
                    email=account.email,
                    role=account.role,
                    agency=agency,
                    unit=unit,
                    password=password,
                    full_name=account.full_name,
                    is_staff=is_admin,
                    is_superuser=is_admin,
                )
                outcomes.append(DemoOutcome(account.email, account.role, created=True))
                continue
            user.role = account.role
            user.agency = agency
            user.unit = unit
            user.full_name = account.full_name
            user.is_staff = is_admin
            user.is_superuser = is_admin
            user.is_active = True
            user.set_password(password)
            user.save()
            outcomes.append(DemoOutcome(account.email, account.role, updated=True))
    return outcomes


# --- saved inbox views ------------------------------------------------------------------------

# the officer inbox's filter parameters (lapor/web/views_officer.py `inbox`); others are dropped
INBOX_FILTER_KEYS = ("status", "q", "overdue", "saya")
SAVED_VIEW_NAME_MAX = 60
SAVED_VIEW_VALUE_MAX = 200
SAVED_VIEWS_PER_USER = 50


def saved_view_query_clean(query: str) -> str:
    """The inbox filters of `query` (a URL query string, with or without a leading "?"): known
    keys only, the first value of each, empty values and over-long values dropped, in a fixed
    order."""
    values: dict[str, str] = {}
    for key, value in parse_qsl(query.lstrip("?"), keep_blank_values=False):
        if key in INBOX_FILTER_KEYS and key not in values and len(value) <= SAVED_VIEW_VALUE_MAX:
            values[key] = value.strip()
    return urlencode([(k, values[k]) for k in INBOX_FILTER_KEYS if values.get(k)])


def saved_view_create(*, user: User, name: str, query: str) -> SavedInboxView:
    """Save the inbox filters `query` under `name` (1–60 characters, unique for the user)."""
    name = " ".join(name.split())
    errors = []
    if not name:
        errors.append({"field": "name", "message": _("Nama tampilan wajib diisi.")})
    elif len(name) > SAVED_VIEW_NAME_MAX:
        errors.append(
            {
                "field": "name",
                "message": _("Nama tampilan paling panjang %(n)d karakter.")
                % {"n": SAVED_VIEW_NAME_MAX},
            }
        )
    if errors:
        raise ValidationFailed(_("Tampilan tidak valid."), errors=errors)
    if SavedInboxView.objects.filter(user=user).count() >= SAVED_VIEWS_PER_USER:
        raise Conflict(_("Paling banyak %(n)d tampilan tersimpan.") % {"n": SAVED_VIEWS_PER_USER})
    if SavedInboxView.objects.filter(user=user, name__iexact=name).exists():
        raise Conflict(_("Sudah ada tampilan bernama %(name)s.") % {"name": name})
    try:
        with transaction.atomic():
            return SavedInboxView.objects.create(
                user=user, name=name, query=saved_view_query_clean(query)
            )
    except IntegrityError as exc:  # a concurrent save with the same name
        raise Conflict(_("Sudah ada tampilan bernama %(name)s.") % {"name": name}) from exc


def saved_view_delete(*, user: User, view: SavedInboxView | int) -> None:
    """Delete one of the user's own saved views; another user's view is NotFound."""
    view_id = view if isinstance(view, int) else view.pk
    deleted, _rows = SavedInboxView.objects.filter(pk=view_id, user=user).delete()
    if not deleted:
        raise NotFound(_("Tampilan tidak ditemukan."))
