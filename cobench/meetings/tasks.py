"""The meetings' periodic jobs: overdue action items and engagement as time passes."""

from datetime import timedelta

from cobench.core.periodic import periodic

from . import services


@periodic(every=timedelta(hours=1))
def notify_overdue_action_items() -> int:
    """Tell owners of newly overdue action items, once per item and due date."""
    return services.notify_overdue_action_items()


@periodic(every=timedelta(hours=1))
def refresh_engagement_warnings() -> int:
    """Raise or clear engagement warnings as meetings start and attendance comes in."""
    return services.refresh_all_engagement()
