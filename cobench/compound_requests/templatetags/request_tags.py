"""The "Compounds" card of the project home: requests now; registered compounds join it."""

from typing import Any

from django import template

from cobench.compound_requests import services

register = template.Library()


@register.inclusion_tag("compound_requests/_card.html", takes_context=True)
def compounds_card(context: dict[str, Any], project: Any) -> dict[str, Any]:
    """Requests by state, those waiting for an answer and those overdue.

    The one card for chemistry on the project home: the compounds registry adds
    its own section to `compound_requests/_card.html` (through its own tag).
    """
    return {
        "project": project,
        "info": services.summary(project, context["viewer"]),
        "can": context.get("can", {}),
        "request": context.get("request"),
        "me": context.get("me"),
        "viewer": context["viewer"],
    }
