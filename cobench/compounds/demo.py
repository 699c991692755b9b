"""The demo's registry: a few CDK2 inhibitors with lots (one as a salt) and a chain of custody.

The structures are illustrative, written by hand as SMILES after well-known CDK2
inhibitors of the purine and aminopyrimidine classes (roscovitine, olomoucine, a
purvalanol-like and a dinaciclib-like analogue); they are not a curated data set.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from cobench.chem import RecordError
from cobench.core.permissions import Role

from . import services

if TYPE_CHECKING:
    from cobench.demo.loader import Demo

ROSCOVITINE = "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1"
# (structure, registering partner, days ago, lot details)
SERIES = (
    (ROSCOVITINE, "boston", 40, {"purity": "99.1", "amount": "250", "appearance": "White powder"}),
    ("Cn1cnc2c(NCc3ccccc3)nc(NCCO)nc21", "boston", 35, {"purity": "98.4", "amount": "120"}),
    (
        "CC(C)n1cnc2c(Nc3cccc(Cl)c3)nc(N[C@H](CO)C(C)C)nc21",
        "hyderabad",
        30,
        {"purity": "97.2", "amount": "85", "appearance": "Off-white solid"},
    ),
    (
        "CCc1cnn2c(NCc3ccc[n+]([O-])c3)cc(N3CCCC[C@H]3CCO)nc12",
        "hyderabad",
        21,
        {"purity": "96.5", "amount": "40", "appearance": "Pale yellow foam"},
    ),
    ("c1ccc(Nc2nccc(-c3cccnc3)n2)cc1", "boston", 14, {"purity": "99.5", "amount": "1.2"}),
    # the same roscovitine, made again as its hydrochloride: a second lot, not a second compound
    (
        f"{ROSCOVITINE}.Cl",
        "hyderabad",
        10,
        {
            "purity": "98.8",
            "amount": "2.5",
            "amount_unit": "g",
            "appearance": "White crystals",
            "salt_form": "HCl",
        },
    ),
)


def load(demo: Demo) -> None:
    """Register the series through the services (standardized in batch, then one by one)."""
    from cobench.demo.loader import BOSTON, HYDERABAD, SPONSOR

    assert demo.project is not None
    project, orgs = demo.project, demo.organizations
    midnight = datetime.combine(demo.today, time(9), tzinfo=UTC)
    chemists = {
        "boston": demo.user(Role.PARTNER_SCIENTIST, BOSTON.name),
        "hyderabad": demo.user(Role.PARTNER_SCIENTIST, HYDERABAD.name),
    }
    standardized = services.standardize_structures([s for s, *_ in SERIES])
    lots = []
    for (structure, who, days, details), std in zip(SERIES, standardized, strict=True):
        assert not isinstance(std, RecordError), std
        when = midnight - timedelta(days=days)
        registration = services.register_compound(
            actor=chemists[who],
            project=project,
            standardized=std,
            structure=structure,
            produced_on=when.date(),
            purity=Decimal(details["purity"]),
            amount=Decimal(details["amount"]),
            amount_unit=details.get("amount_unit", "mg"),
            appearance=details.get("appearance", ""),
            salt_form=details.get("salt_form", ""),
            notes="Illustrative demo structure (hand-written SMILES after a known CDK2 inhibitor).",
            now=when,
        )
        lots.append(registration.lot)
    # roscovitine's first lot: Beacon Street → Helix (received), then on to Deccan (in transit)
    first = lots[0]
    brian = demo.user(Role.PARTNER_LEAD, BOSTON.name)
    stefan = demo.user(Role.SPONSOR_SCIENTIST)
    leg = services.send_lot(
        actor=brian,
        lot=first,
        to_org=orgs[SPONSOR.name],
        carrier="World Courier",
        tracking_number="WC-4471-0932",
        sent_at=midnight - timedelta(days=37),
        now=midnight - timedelta(days=37),
    )
    services.receive_shipment(
        actor=stefan,
        shipment=leg,
        condition="good",
        received_at=midnight - timedelta(days=34),
        now=midnight - timedelta(days=34),
    )
    services.send_lot(
        actor=stefan,
        lot=first,
        to_org=orgs[HYDERABAD.name],
        carrier="DHL Medical Express",
        tracking_number="DHL-88213377",
        sent_at=midnight - timedelta(days=2),
        now=midnight - timedelta(days=2),
    )
    demo.extra["lots"] = lots
