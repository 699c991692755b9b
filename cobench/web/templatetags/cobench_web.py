"""Small template helpers: times in the viewer's zone, history links, labels, pictures."""

import json
import re
from datetime import date, datetime
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

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


_STYLE = re.compile(r"""\sstyle=(['"])(.*?)\1""")
_DECLARATION = re.compile(r"^\s*([a-z-]+)\s*:\s*(.*?)\s*$")


def _presentation(match: re.Match[str]) -> str:
    pairs = (_DECLARATION.match(d) for d in match.group(2).split(";"))
    return "".join(f' {m[1]}="{escape(m[2])}"' for m in pairs if m)


@register.filter
def inline_svg(svg: str) -> SafeString:
    """A stored RDKit picture (SVG we drew), put inline in the page. RDKit styles its shapes
    with style attributes, which the Content-Security-Policy refuses in a page; as SVG
    presentation attributes (fill, stroke, stroke-width...) they draw the same and are allowed."""
    return mark_safe(_STYLE.sub(_presentation, svg))  # noqa: S308  (drawn by RDKit, not typed)
