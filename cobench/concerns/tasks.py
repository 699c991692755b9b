"""The periodic job that escalates overdue concerns."""

from datetime import timedelta

from cobench.core.periodic import periodic

from . import services


@periodic(every=timedelta(minutes=5))
def escalate_overdue_concerns() -> int:
    """Every five minutes: escalate concerns not acknowledged or not resolved in time."""
    return services.escalate_overdue()
