"""CDK2 biology for the sharing and SAR suites: two assays of the sponsor with results."""

from dataclasses import dataclass
from typing import Any

from cobench.assays import services as assays
from cobench.assays import sharing
from cobench.assays.models import Assay
from cobench.compounds import services as compounds

from ..conftest import World

ROSCOVITINE = "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1"
PURVALANOL = "CC(C)n1cnc2c(Nc3cccc(Cl)c3)nc(N[C@@H](CO)C(C)C)nc21"
POTENCY_BINS = [
    {"upper": 100, "label": "< 100 nM"},
    {"upper": 1000, "label": "100 nM – 1 µM"},
    {"upper": None, "label": "> 1 µM"},
]


@dataclass
class Bio:
    potency: Assay
    solubility: Assay
    compounds: list[Any]


def new_assay(world: World, name: str, **fields: Any) -> Assay:
    values = {"kind": "biochemical", "endpoint": "IC50", "unit": "nM", "better": "lower"}
    return assays.create_assay(
        actor=world.sponsor_lead, project=world.project, name=name, **(values | fields)
    )


def record(world: World, assay: Assay, compound: Any, value: Any) -> Any:
    return assays.record_result(
        actor=world.sponsor_scientist, assay=assay, registry_id=compound.registry_id, value=value
    )


def cdk2_biology(world: World) -> Bio:
    """Roscovitine (IC50 123.456789 and 150 nM; solubility 80 µM) and purvalanol (> 10 µM)."""
    found = [
        compounds.register_structure(
            actor=world.partner_scientist, project=world.project, structure=s
        ).compound
        for s in (ROSCOVITINE, PURVALANOL)
    ]
    potency = new_assay(world, "CDK2 IC50", target="CDK2")
    solubility = new_assay(
        world,
        "Kinetic solubility",
        kind="physchem",
        endpoint="solubility",
        unit="µM",
        better="higher",
    )
    record(world, potency, found[0], "123.456789")
    record(world, potency, found[0], "150")
    record(world, potency, found[1], ">10000")
    record(world, solubility, found[0], "80")
    return Bio(potency, solubility, found)


def share(world: World, assay: Assay, mode: str, **extra: Any) -> Any:
    if mode == "binned":
        extra.setdefault("bins", POTENCY_BINS)
    return sharing.set_rule(
        actor=world.sponsor_lead,
        assay=assay,
        partner=world.partner,
        mode=mode,
        reason=extra.pop("reason", "Needed for the hinge work"),
        **extra,
    )
