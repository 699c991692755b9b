"""Small template helpers: times in the viewer's zone, history links, labels."""

import json
from datetime import date, datetime
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from cobench.audit.services import target_type
from cobench.charters.layout import path_label

register = template.Library()


@register.filter
def when(value: datetime | date | None) -> str:
    """A time in the viewer's time zone, with its zone named; dates as dates."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return format_html(
            '<time datetime="{}" title="{}">{}</time>',
            value.isoformat(),
            local.tzname(),
            local.strftime("%-d %b %Y, %H:%M %Z"),
        )
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), value.strftime("%-d %b %Y")
    )


@register.simple_tag
def history_url(obj: Any) -> str:
    """The audit history page of a model instance."""
    return reverse("history", kwargs={"target_type": target_type(obj), "target_id": obj.pk})


@register.filter
def field_label(path: str) -> str:
    return path_label(path)


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def state_class(label: str) -> str:
    return "state-" + label.replace(" ", "-")


@register.filter
def as_text(value: Any) -> str:
    """An audit value (anything JSON) as a short line."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@register.filter
def day(value: datetime | None) -> str:
    """Only the date of a time, in the viewer's time zone (for narrow columns)."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        value.isoformat(),
        local.strftime("%H:%M %Z"),
        local.strftime("%-d %b %Y"),
    )
