"""The registry's section of the project home's "Compounds" card."""

from typing import Any

from django import template

from cobench.compounds import services
from cobench.compounds.models import Compound, Lot, Shipment

register = template.Library()


@register.inclusion_tag("compounds/_card_section.html", takes_context=True)
def registry_section(context: dict[str, Any], project: Any) -> dict[str, Any]:
    """How many compounds and lots the project has, the newest compounds, lots in transit."""
    compounds = Compound.objects.in_project(project).order_by("-number")
    return {
        "project": project,
        "count": services.registered_count(project),
        "lots": Lot.objects.filter(project=project).count(),
        "in_transit": Shipment.objects.filter(project=project, received_at=None).count(),
        "newest": list(compounds[:3]),
        "can": context.get("can", {}),
    }
