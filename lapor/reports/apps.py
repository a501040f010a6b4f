from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lapor.reports"
    label = "reports"

    def ready(self) -> None:
        from lapor.core.outbox import outbox_subscribe
        from lapor.deadlines.choices import CALENDAR_CHANGED

        from .subscribers import on_calendar_changed

        # a decree changed the working calendar: the running deadlines are computed again
        outbox_subscribe("reports.recompute_deadlines", CALENDAR_CHANGED, on_calendar_changed)
