from django.apps import AppConfig


class RoutingConfig(AppConfig):
    """Saved replies and the near-identical-answer check (issue 4, monev indicator 3.4)."""

    name = "lapor.routing"
    label = "routing"

    def ready(self) -> None:
        from lapor.reports.services import outbox_register

        from .tasks import on_report_outbox

        # every `respond` event is fingerprinted after commit, through the reports outbox
        outbox_register("report.respond", on_report_outbox)
