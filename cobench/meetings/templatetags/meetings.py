"""The meetings' card on the project page."""

from typing import Any

from django import template
from django.utils import timezone

from cobench.meetings import services
from cobench.meetings.models import ActionItem, Meeting, MeetingSeries

register = template.Library()


@register.inclusion_tag("meetings/_project_card.html", takes_context=True)
def meetings_card(context: dict[str, Any], project: Any) -> dict[str, Any]:
    """Series with their engagement, the next meeting and open action items of `project`."""
    user = context["viewer"]
    series = MeetingSeries.objects.visible_to(user).filter(project=project)
    now = timezone.now()
    items = ActionItem.objects.visible_to(user).filter(
        project=project, status=ActionItem.Status.OPEN
    )
    return {
        "project": project,
        "engagements": [services.engagement(s, now=now) for s in series],
        "series_count": series.count(),
        "next": Meeting.objects.visible_to(user)
        .filter(project=project, starts_at__gte=now, status=Meeting.Status.SCHEDULED)
        .select_related("series")
        .order_by("starts_at")
        .first(),
        "open_items": items.count(),
        "overdue_items": items.filter(due_date__lt=timezone.localdate()).count(),
    }
