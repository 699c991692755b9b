from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cobench.search"
    label = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  registers the periodic index job
