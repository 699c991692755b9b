from django.apps import AppConfig


class AssaysConfig(AppConfig):
    name = "cobench.assays"
    label = "assays"
    default_auto_field = "django.db.models.BigAutoField"
