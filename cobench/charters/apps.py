from django.apps import AppConfig


class ChartersConfig(AppConfig):
    name = "cobench.charters"
    label = "charters"
    default_auto_field = "django.db.models.BigAutoField"
