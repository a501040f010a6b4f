"""`manage.py render_workflow [--check]`: write docs/workflow.md from the workflow table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.reports.workflow import render_mermaid

DOC = Path(settings.BASE_DIR) / "docs" / "workflow.md"


class Command(BaseCommand):
    help = "Generate docs/workflow.md (state diagram and transition table) from workflow.py."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="fail if the file is stale")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render_mermaid()
        if options["check"]:
            if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
                raise CommandError("docs/workflow.md is stale: run manage.py render_workflow")
            self.stdout.write("docs/workflow.md is up to date.")
            return
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {DOC}")
