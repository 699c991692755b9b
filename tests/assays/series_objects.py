"""CDK2's chemical series for the shared suites (isolation, audit coverage)."""

from typing import Any

from cobench.assays.models import Series, SeriesMember
from cobench.assays.sar import series

from ..compounds.objects import register
from ..conftest import World

PURINE = "c1ncc2nc[nH]c2n1"


def new_series(w: World, name: str = "Purines", core: str = PURINE) -> Series:
    return series.create_series(actor=w.partner_scientist, project=w.project, name=name, core=core)


def new_member(w: World) -> SeriesMember:
    compound = register(w).compound
    tagged = new_series(w, name="Hand-picked hinge binders", core="")
    return series.tag_compound(actor=w.sponsor_scientist, series=tagged, compound=compound)


def cdk2_series(w: World) -> dict[str, Any]:
    """A CDK2 series with a secret-looking name, and what would betray it."""
    found = new_series(w, name="Secret aminopurine series")
    return {"chemical_series": found, "markers": ["Secret aminopurine series", str(found.id)]}
