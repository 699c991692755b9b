from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "cobench.tenancy"
    label = "tenancy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signin  # noqa: F401  records sign-ins and sign-outs
