"""Status helpers for templates: ages, the writer's local time, and the cards other pages show."""

import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html

from cobench.status import services
from cobench.status.render import markdown as render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(text)


def human(delta: timedelta) -> str:
    """A duration as people say it on a status page: minutes, hours, then whole days."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        minutes = max(1, seconds // 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if seconds < 86400:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = seconds // 86400
    return f"{days} day{'s' if days != 1 else ''}"


@register.filter
def ago(value: datetime | None, now: datetime | None = None) -> str:
    """“3 days ago”, “just now”: how long before `now` a time was."""
    if value is None:
        return "—"
    delta = (now or timezone.now()) - value
    return "just now" if delta < timedelta(minutes=1) else f"{human(delta)} ago"


@register.filter
def span(value: timedelta | None) -> str:
    """A duration: “4 days”."""
    return "—" if value is None else human(value)


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


@register.filter
def writer_time(version: Any) -> str:
    """When a version was saved, in its writer's time zone: “Tue 16 Jun, 09:12 New York time”."""
    zone = _zone(version.created_by_time_zone)
    if zone is None:
        return ""
    local = timezone.localtime(version.created_at, zone)
    place = version.created_by_time_zone.rsplit("/", 1)[-1].replace("_", " ")
    return format_html(
        '<time datetime="{}" title="{}">{} {} time</time>',
        version.created_at.isoformat(),
        version.created_by_time_zone,
        local.strftime("%a %-d %b, %H:%M"),
        place,
    )


@register.filter
def state_pill(label: str) -> str:
    return "state-" + label.replace(" ", "-")


@register.inclusion_tag("status/_card.html", takes_context=True)
def status_card(context: Any, project: Any) -> dict[str, Any]:
    """The project page's Status card: each partner's document, fresh or stale."""
    now = timezone.now()
    return {
        "project": project,
        "rows": services.project_freshness(project, seen_by=context["viewer"], now=now),
        "cadence": services.cadence_days(project),
        "now": now,
        "can": context.get("can", {}),
    }


@register.inclusion_tag("status/_stale_list.html", takes_context=True)
def stale_status_documents(context: Any) -> dict[str, Any]:
    """For leads: the stale status documents they answer for, across their projects."""
    user = context.get("user")
    now = timezone.now()
    rows = services.stale_for_leads(user, now=now) if user else []
    return {"rows": rows, "now": now}
