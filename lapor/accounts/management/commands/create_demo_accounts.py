"""`manage.py create_demo_accounts [--force]`: one account per role with the demo password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.accounts.services import demo_accounts_ensure


class Command(BaseCommand):
    help = (
        "Create or update the demo accounts of lapor/accounts/demo.py with the password "
        "LAPOR_DEMO_PASSWORD. Refused unless demo accounts are enabled (DEBUG, or "
        "LAPOR_CREATE_DEMO_ACCOUNTS=1) or --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="create them even though demo accounts are disabled in this environment",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.LAPOR["CREATE_DEMO_ACCOUNTS"] and not options["force"]:
            raise CommandError(
                "Demo accounts are disabled here: they share a published password, so they are "
                "only created when DEBUG is on or LAPOR_CREATE_DEMO_ACCOUNTS=1. Pass --force if "
                "you really want them in this database."
            )
        password = str(settings.LAPOR["DEMO_PASSWORD"])
        for outcome in demo_accounts_ensure(password=password):
            if outcome.skipped_reason:
                self.stderr.write(
                    self.style.WARNING(
                        f"skipped {outcome.email} ({outcome.role}): {outcome.skipped_reason}"
                    )
                )
            else:
                verb = "created" if outcome.created else "updated"
                self.stdout.write(f"{verb} {outcome.email} ({outcome.role})")
        self.stdout.write(f"Demo password: {password}")
