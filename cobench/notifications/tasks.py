"""Periodic jobs of the notifications app."""

from datetime import timedelta

from cobench.core.periodic import periodic

from .services import send_digests


@periodic(every=timedelta(hours=1))
def send_daily_digests() -> int:
    """The hourly job behind the daily digest (each person gets one a day)."""
    return send_digests()
