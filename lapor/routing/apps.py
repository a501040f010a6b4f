from django.apps import AppConfig


class RoutingConfig(AppConfig):
    """Saved replies and the near-identical-answer check (issue 4, monev indicator 3.4)."""

    name = "lapor.routing"
    label = "routing"

    def ready(self) -> None:
        from lapor.core.outbox import outbox_subscribe

        from .tasks import on_report_outbox

        # every `respond` event is fingerprinted after commit, through the outbox
        outbox_subscribe("routing.fingerprint", "report.respond", on_report_outbox)
