from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "lapor.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from .services import register_outbox_handlers

        register_outbox_handlers()
