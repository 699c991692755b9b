from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cobench.demo"
    label = "demo"
    verbose_name = "Demo partnership"
