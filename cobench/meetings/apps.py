from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "cobench.meetings"
    label = "meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the periodic job)
