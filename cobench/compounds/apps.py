from django.apps import AppConfig


class CompoundsConfig(AppConfig):
    name = "cobench.compounds"
    label = "compounds"
    default_auto_field = "django.db.models.BigAutoField"
