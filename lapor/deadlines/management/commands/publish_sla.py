"""Publish a new version of the SLA ladder from a JSON file.

    manage.py publish_sla --name "PermenPANRB 5/2025" --legal-basis "PermenPANRB 5/2025" \
        --effective-from 2025-06-01T00:00:00+07:00 --rules rules.json [--cutoff-hour 16] \
        [--actor admin@lapor.go.id]

`rules.json` is a list of `{"step", "days", "working_days", "report_type", "sla_class"}`
(`report_type` / `sla_class` empty or absent = any). Without `--rules`, the rules of the version in
force are copied (useful to change only the cut-off hour or the legal basis).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lapor.core.errors import ServiceError
from lapor.deadlines.selectors import sla_ladder_for
from lapor.deadlines.services import sla_ruleset_publish


class Command(BaseCommand):
    help = "Publish a new version of the SLA ladder (never edits a published one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--legal-basis", required=True)
        parser.add_argument("--effective-from", required=True, help="ISO 8601 date-time")
        parser.add_argument("--rules", help="JSON file: a list of rules")
        parser.add_argument("--cutoff-hour", type=int)
        parser.add_argument("--notes", default="")
        parser.add_argument(
            "--actor", required=True, help="e-mail of the national admin who publishes"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from lapor.accounts.models import User

        try:
            effective_from = datetime.fromisoformat(options["effective_from"])
        except ValueError as exc:
            raise CommandError(f"--effective-from: {exc}") from exc
        if timezone.is_naive(effective_from):
            effective_from = timezone.make_aware(effective_from)
        actor = User.objects.filter(email__iexact=options["actor"]).first()
        if actor is None:
            raise CommandError(f"No user {options['actor']}")
        if options["rules"]:
            try:
                rules = json.loads(Path(options["rules"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"--rules: {exc}") from exc
            if not isinstance(rules, list):
                raise CommandError("--rules must hold a JSON list")
        else:
            _, ladder = sla_ladder_for(timezone.now())
            rules = [
                {
                    "step": r.step,
                    "days": r.days,
                    "working_days": r.working_days,
                    "report_type": r.report_type,
                    "sla_class": r.sla_class,
                }
                for r in ladder.rules
            ]
        try:
            ruleset = sla_ruleset_publish(
                actor=actor,
                name=options["name"],
                legal_basis=options["legal_basis"],
                effective_from=effective_from,
                rules=rules,
                cutoff_hour=options["cutoff_hour"],
                notes=options["notes"],
            )
        except ServiceError as exc:
            details = "; ".join(f"{e['field']}: {e['message']}" for e in exc.errors or [])
            raise CommandError(f"{exc.detail} {details}".strip()) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Published {ruleset} (effective from {ruleset.effective_from.isoformat()})"
            )
        )
