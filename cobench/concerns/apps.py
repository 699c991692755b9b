from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "cobench.concerns"
    label = "concerns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  registers the periodic escalation job
