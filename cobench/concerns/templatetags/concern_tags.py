"""The concerns card other pages show (the project home)."""

from typing import Any

from django import template

from cobench.concerns import services

register = template.Library()


@register.inclusion_tag("concerns/_card.html", takes_context=True)
def concerns_card(context: dict[str, Any], project: Any) -> dict[str, Any]:
    """Concerns awaiting a response, the escalated ones, and the latest three."""
    request = context["request"]
    member = context.get("me")
    info = services.summary(project, context["viewer"])
    return {
        "project": project,
        "info": info,
        "latest": [
            {"concern": c, "raiser": services.raiser_label(request.user, c, member)}
            for c in info["latest"]
        ],
        "can": context.get("can", {}),
    }
