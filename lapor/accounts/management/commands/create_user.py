"""`manage.py create_user --email E --role R [...]`: create an account without prompts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.accounts.choices import Role
from lapor.accounts.services import api_token_create, user_create
from lapor.agencies.models import Agency, Unit
from lapor.core.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Create a user non-interactively. Officer roles (agency_admin, unit_admin, "
        "liaison_officer, developer) need --agency; unit_admin needs --unit. With --api-token "
        "the new token is printed as the last line of output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="the login e-mail")
        parser.add_argument("--role", required=True, help=f"one of: {', '.join(Role.values)}")
        parser.add_argument("--agency", help="code of the organisation (35.78, kemenkes, …)")
        parser.add_argument("--unit", help="code of the unit inside --agency")
        parser.add_argument("--password", help="without it the account cannot sign in yet")
        parser.add_argument("--full-name", default="", help="display name")
        parser.add_argument("--staff", action="store_true", help="may use the Django admin")
        parser.add_argument(
            "--api-token", action="store_true", help="also create an API token and print it last"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}; choose one of: {', '.join(Role.values)}.")
        agency = unit = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(
                    f"No organisation with code {options['agency']!r} "
                    "(load the registry first: manage.py seed_registry or import_registry)."
                )
        if options["unit"]:
            if agency is None:
                raise CommandError("--unit needs --agency: unit codes are unique per organisation.")
            unit = Unit.objects.filter(agency=agency, code=options["unit"]).first()
            if unit is None:
                raise CommandError(
                    f"Organisation {agency.code!r} has no unit with code {options['unit']!r}."
                )
        password = options["password"]
        if password:
            try:
                validate_password(password)
            except ValidationError as exc:
                raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
        try:
            user = user_create(
                email=options["email"],
                role=role,
                agency=agency,
                unit=unit,
                password=password,
                full_name=options["full_name"],
                is_staff=options["staff"],
            )
        except ServiceError as exc:
            details = "; ".join(f"{e['field']}: {e['message']}" for e in exc.errors or [])
            raise CommandError(f"{exc.detail} {details}".strip()) from exc
        self.stdout.write(f"Created user {user.email} (id {user.pk}, role {user.role}).")
        if options["api_token"]:
            issued = api_token_create(actor=user, user=user, name="create_user")
            self.stdout.write(f"API token {issued.token.prefix}… created; it is shown only once:")
            self.stdout.write(issued.raw)
