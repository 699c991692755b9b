from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cobench.core"
    label = "core"
