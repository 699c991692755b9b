"""The registry's section of the project home's "Compounds" card."""

from typing import Any

from django import template

from cobench.compounds import services
from cobench.compounds.models import Compound, Lot, Shipment

register = template.Library()


@register.inclusion_tag("compounds/_card_section.html", takes_context=True)
def registry_section(context: dict[str, Any], project: Any) -> dict[str, Any]:
    """How many compounds and lots the project has that the viewer sees, the newest
    compounds, lots in transit."""
    user = context["viewer"]
    compounds = Compound.objects.in_project(project, seen_by=user).order_by("-number")
    shipments = Shipment.objects.visible_to(user).filter(project=project, received_at=None)
    return {
        "project": project,
        "count": services.registered_count(project, user),
        "lots": Lot.objects.visible_to(user).filter(project=project).count(),
        "in_transit": shipments.count(),
        "newest": services.blind(user, compounds[:3]),
        "can": context.get("can", {}),
    }
