"""The demo's biology: four CDK2 assays and replicate results for the registered ligands.

The numbers are made up, but shaped like a real cascade: a biochemical CDK2 IC50
(nM), a cellular EC50 some 3–30 fold weaker (µM), kinetic solubility (µM) and
microsomal intrinsic clearance (µL/min/mg). Each compound's true potency is drawn
once from a seeded generator (so every demo load gives the same numbers), the
well-known inhibitors near their published values; replicates scatter around it
by about 0.15 log units. Weak compounds run off the top of the dose range and are
reported as censored ("> 10000 nM"), very soluble or very stable ones off the
other end. Potency is measured at Helix Bio (the sponsor), microsomal stability at
Beacon Street's DMPK lab; one outlier and one invalid result are flagged with reasons.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, time, timedelta
from typing import Any

from cobench.core.permissions import Role
from cobench.demo.cast import BASEL, BOSTON, HYDERABAD, Demo

from . import services, sharing
from .aggregate import number
from .models import Assay

SEED = 20260105
# published-like CDK2 potencies (IC50, nM) of the set's known inhibitors
KNOWN = {
    "ZINC01649340": 700,  # roscovitine
    "ZINC00582575": 70,  # purvalanol A
    "ZINC01641925": 7000,  # olomoucine
    "ZINC00023543": 12000,  # NU2058
}
TOP_IC50_NM = 10_000  # the highest concentration of the biochemical dose range
TOP_EC50_UM = 30
SOLUBILITY_RANGE_UM = (1, 200)
CLINT_FLOOR = 5  # below this the microsomes turn over too little to measure

ASSAYS = (
    {
        "name": "CDK2/cyclin E IC50",
        "target": "CDK2/cyclin E",
        "kind": "biochemical",
        "endpoint": "IC50",
        "unit": "nM",
        "better": "lower",
        "description": "ADP-Glo kinase assay, 10-point dose response from 10 µM, ATP at Km.",
    },
    {
        "name": "HCT116 proliferation EC50",
        "target": "CDK2 (cellular)",
        "kind": "cellular",
        "endpoint": "EC50",
        "unit": "µM",
        "better": "lower",
        "description": "CellTiter-Glo after 72 h, 9 points from 30 µM.",
    },
    {
        "name": "Kinetic solubility pH 7.4",
        "kind": "physchem",
        "endpoint": "solubility",
        "unit": "µM",
        "better": "higher",
        "description": "Nephelometry from a 10 mM DMSO stock, 1–200 µM.",
    },
    {
        "name": "HLM intrinsic clearance",
        "target": "Human liver microsomes",
        "kind": "adme",
        "endpoint": "clearance",
        "unit": "µL/min/mg",
        "better": "lower",
        "description": "0.5 mg/mL microsomal protein, 1 µM compound, 5 time points to 45 min.",
    },
)


def _replicates(rng: random.Random) -> int:
    return rng.choice((1, 2, 2, 3, 3, 4))


def load(demo: Demo) -> None:
    """Define the four assays and record each tested compound's replicates."""
    compounds = demo.extra["compounds"]  # ZINC id → compound, in registration order
    helena = demo.user(Role.SPONSOR_LEAD)
    stefan = demo.user(Role.SPONSOR_SCIENTIST)
    boston, basel = demo.organizations[BOSTON.name], demo.organizations[BASEL.name]
    maria = demo.user(Role.PARTNER_SCIENTIST, BOSTON.name)
    lukas = demo.user(Role.PARTNER_LEAD, BASEL.name)  # runs the cellular assay
    today = demo.today
    start = datetime.combine(today - timedelta(days=130), time(8), tzinfo=UTC)
    assays: dict[str, Assay] = {}
    for spec in ASSAYS:
        owner = {"clearance": boston, "EC50": basel}.get(str(spec["endpoint"]))
        assays[spec["endpoint"]] = services.create_assay(
            actor=helena, project=demo.project, owner=owner, now=start, **spec
        )
    rng = random.Random(SEED)  # noqa: S311  made-up demo values, not a secret
    recorded = []

    def record(assay: Assay, compound, value: str, day, who, n: int) -> None:
        when = datetime.combine(day, time(16), tzinfo=UTC)
        recorded.append(
            services.record_result(
                actor=who,
                assay=assay,
                registry_id=compound.registry_id,
                value=value,
                run_date=day,
                experiment_id=f"{assay.endpoint.upper()}-{day:%y%m%d}-{n}",
                now=when,
            )
        )

    for zinc_id, compound in compounds.items():
        pic50 = math.log10(KNOWN[zinc_id] * 1e-9) * -1 if zinc_id in KNOWN else rng.gauss(6.3, 1.0)
        shift = rng.uniform(0.5, 1.5)  # cellular drop-off, log units
        log_sol = rng.gauss(1.4, 0.6)  # log10 µM
        log_clint = rng.gauss(1.4, 0.45)  # log10 µL/min/mg
        tested = compound.created_at.date() + timedelta(days=rng.randint(5, 12))
        if tested >= today:
            continue  # made too recently to be tested
        for n in range(1, _replicates(rng) + 1):
            ic50 = 10 ** (9 - pic50 + rng.gauss(0, 0.15))
            value = f">{TOP_IC50_NM}" if ic50 > TOP_IC50_NM else number(ic50)
            record(assays["IC50"], compound, value, tested, stefan, n)
        cell_day = min(tested + timedelta(days=7), today - timedelta(days=1))
        for n in range(1, rng.choice((1, 2, 2, 3)) + 1):
            ec50 = 10 ** (6 - pic50 + shift + rng.gauss(0, 0.2))
            value = f">{TOP_EC50_UM}" if ec50 > TOP_EC50_UM else number(ec50)
            record(assays["EC50"], compound, value, cell_day, lukas, n)
        sol = 10 ** (log_sol + rng.gauss(0, 0.1))
        low, high = SOLUBILITY_RANGE_UM
        value = f"<{low}" if sol < low else f">{high}" if sol > high else number(sol)
        record(assays["solubility"], compound, value, tested, stefan, 1)
        for n in range(1, rng.choice((1, 2)) + 1):
            clint = 10 ** (log_clint + rng.gauss(0, 0.1))
            value = f"<{CLINT_FLOOR}" if clint < CLINT_FLOOR else number(clint)
            record(assays["clearance"], compound, value, cell_day, maria, n)
    potency = [r for r in recorded if r.assay.endpoint == "IC50" and r.qualifier == "="]
    services.flag_result(
        actor=stefan,
        result=potency[7],
        flag="outlier",
        reason="Curve bottom at 30 %: partial inhibition, kept for reference.",
    )
    services.flag_result(
        actor=stefan,
        result=potency[20],
        flag="invalid",
        reason="Compound precipitated in the assay plate (visible at 3 µM and above).",
    )
    demo.extra["assays"] = assays
    _share(demo, assays)


POTENCY_BINS: dict[str, list[dict[str, Any]]] = {
    "IC50": [
        {"upper": 100, "label": "< 100 nM"},
        {"upper": 1000, "label": "100 nM – 1 µM"},
        {"upper": None, "label": "> 1 µM"},
    ],
    "EC50": [
        {"upper": 1, "label": "< 1 µM"},
        {"upper": 10, "label": "1 – 10 µM"},
        {"upper": None, "label": "> 10 µM"},
    ],
}


def _share(demo: Demo, assays: dict[str, Assay]) -> None:
    """The sponsor's rules: Beacon Street sees full values (it runs the clearance assay, so
    it sees that one anyway); Deccan sees potency as categories only and no ADME, with full
    cellular values scheduled from two weeks on."""

    helena = demo.user(Role.SPONSOR_LEAD)
    beacon, deccan = demo.organizations[BOSTON.name], demo.organizations[HYDERABAD.name]
    for endpoint in ("IC50", "EC50", "solubility"):
        sharing.set_rule(
            actor=helena,
            assay=assays[endpoint],
            partner=beacon,
            mode=sharing.FULL,
            reason="Beacon Street designs the next round from these numbers.",
        )
    for endpoint, bins in POTENCY_BINS.items():
        sharing.set_rule(
            actor=helena,
            assay=assays[endpoint],
            partner=deccan,
            mode=sharing.BINNED,
            bins=bins,
            reason="Deccan makes scale-up batches: potency bands are enough to rank them.",
        )
    for endpoint in ("solubility", "clearance"):
        sharing.set_rule(
            actor=helena,
            assay=assays[endpoint],
            partner=deccan,
            mode=sharing.HIDDEN,
            reason="ADME data stays with the design team.",
        )
    sharing.set_rule(
        actor=helena,
        assay=assays["EC50"],
        partner=deccan,
        mode=sharing.FULL,
        starts_at=datetime.combine(demo.today + timedelta(days=14), time(8), tzinfo=UTC),
        reason="From the amended agreement on, Deccan sees cellular values.",
    )
