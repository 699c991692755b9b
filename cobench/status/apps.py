from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "cobench.status"
    label = "status"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  registers the periodic staleness job
