from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cobench.core"
    label = "core"

    def ready(self) -> None:
        # periodic jobs register themselves when their app's tasks module is imported
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
        from cobench.core import checks  # noqa: F401  (registers cobench's own system checks)
