"""cobench's own system checks, run by `cobench check` (and `--deploy`) beside Django's."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_allowed_hosts(**kwargs: Any) -> list[Error]:
    """A production site answers only to its own host names: with '*' any Host header is
    believed, and the absolute URLs cobench builds from it (a calendar feed's secret address)
    could point elsewhere."""
    if settings.DEBUG or "*" not in settings.ALLOWED_HOSTS:
        return []
    return [
        Error(
            "ALLOWED_HOSTS contains '*' in production.",
            hint="Set ALLOWED_HOSTS to the site's host names, e.g. cobench.example.com.",
            id="cobench.E001",
        )
    ]
