"""The demo's chemical series and the data behind two requests.

Two series by core (the purines, roscovitine's family, and the oxindoles), one tagged
by hand (the anilinopyrimidines the chemists grouped themselves), and three purines
named as the data behind two open requests, so a partner's request page shows their
values as that partner may see them.
"""

from __future__ import annotations

from cobench.compound_requests import services as requests
from cobench.compound_requests.models import CompoundRequest
from cobench.compounds.models import Compound
from cobench.core.permissions import Role
from cobench.demo.cast import BOSTON, Demo

from . import series

PURINES = "c1ncc2nc[n]c2n1"  # SMARTS: any purine, N9 free or substituted
OXINDOLES = "O=C1Nc2ccccc2C1"
HAND_PICKED = (
    "Cc1nc2ccccn2c1-c1ccnc(Nc2ccccc2)n1",
    "Cc1ccc(F)c(Nc2ccnc(Nc3ccc(S(N)(=O)=O)cc3)n2)c1",
)


def load(demo: Demo) -> None:
    """Define the series, tag the hand-picked ones, name the evidence of open requests."""
    project = demo.project
    maria = demo.user(Role.PARTNER_SCIENTIST, BOSTON.name)
    stefan = demo.user(Role.SPONSOR_SCIENTIST)
    helena = demo.user(Role.SPONSOR_LEAD)
    series.create_series(
        actor=stefan,
        project=project,
        name="Purines",
        core=PURINES,
        description="Roscovitine's family: 2,6,9-substituted purines binding the hinge.",
    )
    series.create_series(
        actor=maria,
        project=project,
        name="Oxindoles",
        core=OXINDOLES,
        description="3-ylidene oxindoles (SU9516-like).",
    )
    picked = series.create_series(
        actor=maria,
        project=project,
        name="Anilinopyrimidines",
        description="Grouped by hand: the 2-anilinopyrimidines with an aryl at C4.",
    )
    in_project = Compound.objects.in_project(project, seen_by=None)
    for compound in in_project.filter(smiles__in=HAND_PICKED):
        series.tag_compound(actor=maria, series=picked, compound=compound)
    purines = [c for c in in_project.order_by("number") if _is_purine(c.smiles)]
    backing = purines[:3]
    open_requests = CompoundRequest.objects.filter(
        project=project, state__in=("proposed", "accepted", "in_synthesis")
    ).order_by("number")[:2]
    for request in open_requests:
        requests.set_evidence(actor=helena, request=request, evidence=backing)


def _is_purine(smiles: str) -> bool:
    from rdkit import Chem

    mol = Chem.MolFromSmiles(smiles)
    return mol is not None and mol.HasSubstructMatch(Chem.MolFromSmarts(PURINES))
