from django.apps import AppConfig


class CompoundRequestsConfig(AppConfig):
    name = "cobench.compound_requests"
    label = "compound_requests"
    verbose_name = "Compound requests"
    default_auto_field = "django.db.models.BigAutoField"
