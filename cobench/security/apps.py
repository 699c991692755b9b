from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "cobench.security"
    label = "security"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  records sign-ins, failures, lockouts and sign-outs
