"""The periodic job that tells leads about stale status documents."""

from datetime import timedelta

from cobench.core.context import request_id
from cobench.core.periodic import periodic

from . import services


@periodic(every=timedelta(hours=1))
def notify_stale_status_documents() -> int:
    """Hourly: notify the leads once per stale document version (safe to run twice)."""
    with request_id():
        return services.notify_stale()
