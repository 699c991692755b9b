"""The data of the SAR plots: potency against a property or over time, and matched pairs.

Every value comes from the SAR table's cells (`sar.cells`), so the plots follow the
sharing rules exactly as the table does: a binned assay reaches a partner as its
category's label only (plotted by category, never as a number) and a hidden assay is
not offered at all. Potency endpoints (IC50, EC50, Ki, Kd) are plotted as pIC50 etc.
(-log10 of the molar value, higher is better); other endpoints as their value.

Matched pairs are two compounds of the project that differ by one change: RDKit's
rdMMPA cuts each compound once at every acyclic single bond from a carbon (and, for
a hydrogen replaced by a group, at every atom bearing one), and two compounds that
share the larger part (the constant, with its attachment point) but not the smaller
(the variable, at most `MAX_VARIABLE` heavy atoms) are a pair. Of the cuts that pair
two compounds, the one with the largest constant (the smallest change) names it.
A compound never changes, so its cuts are cached by its SMILES.

A coded sample (a compound shared with the viewer's organization blinded) is plotted
over time only: it has no properties, no picture and takes part in no matched pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any
from uuid import UUID

from rdkit import Chem
from rdkit.Chem import rdMMPA

from cobench.assays import sharing
from cobench.assays.units import POTENCY_ENDPOINTS
from cobench.compounds.models import Compound
from cobench.compounds.querysets import coded_for
from cobench.core.errors import InvalidInput
from cobench.tenancy.access import partner_viewer
from cobench.tenancy.models import Organization, Project, User

from . import sar

MAX_POINTS = 5000
"""Most compounds a plot draws (the first by registry number); the answer says when cut."""
MAX_PAIRS = 2000
MAX_PAIR_COMPOUNDS = 1000
"""Most measured compounds searched for matched pairs (cutting one takes RDKit ~20 ms the
first time; the cuts are cached)."""
MAX_VARIABLE = 10
"""Largest change (heavy atoms) between the two compounds of a matched pair."""
PROPERTIES = sar.PROPERTIES


@dataclass(frozen=True)
class Cut:
    """One single cut of a compound: what stays (with [*:1]), what changes, their sizes."""

    constant: str
    variable: str
    constant_size: int
    variable_size: int


_ATOM = re.compile(r"\[([^\]]+)\]|Br|Cl|[BCNOPSFI]|[bcnops]")


def _heavy(smiles: str) -> int:
    """Heavy atoms of a fragment's SMILES, without parsing it (the [*:1] and [H] not counted)."""
    bracketed = (m.group(1) for m in _ATOM.finditer(smiles))
    return sum(1 for b in bracketed if b is None or not (b.startswith("*") or b == "H"))


def _hydrogen_cuts(mol: Chem.Mol) -> set[str]:
    """The compound with one hydrogen replaced by the attachment point, at each atom."""
    constants = set()
    for atom in mol.GetAtoms():
        if atom.GetTotalNumHs() == 0:
            continue
        rw = Chem.RWMol(mol)
        dummy = Chem.Atom(0)
        dummy.SetAtomMapNum(1)
        at = rw.AddAtom(dummy)
        rw.AddBond(atom.GetIdx(), at, Chem.BondType.SINGLE)
        changed = rw.GetAtomWithIdx(atom.GetIdx())
        if changed.GetNumExplicitHs():
            changed.SetNumExplicitHs(changed.GetNumExplicitHs() - 1)
        try:
            Chem.SanitizeMol(rw)
        except Exception:  # noqa: S112  RDKit's sanitization errors: that position takes no group
            continue
        constants.add(Chem.MolToSmiles(rw))
    return constants


@lru_cache(maxsize=50_000)
def cuts(smiles: str) -> tuple[Cut, ...]:
    """Every single cut of the compound `smiles` that leaves a change of at most
    `MAX_VARIABLE` heavy atoms, no larger than what stays."""
    mol = Chem.MolFromSmiles(smiles)
    if mol is None:
        return ()
    found: dict[tuple[str, str], Cut] = {}
    for _, chains in rdMMPA.FragmentMol(mol, maxCuts=1, resultsAsMols=False):
        parts = chains.split(".")
        if len(parts) != 2:
            continue
        a, b = parts  # rdMMPA writes each fragment as canonical SMILES
        for constant, variable in ((a, b), (b, a)):
            size, change = _heavy(constant), _heavy(variable)
            if change <= MAX_VARIABLE and change <= size:
                found[(constant, variable)] = Cut(constant, variable, size, change)
    size = mol.GetNumHeavyAtoms()
    for constant in _hydrogen_cuts(mol):
        found[(constant, "[H][*:1]")] = Cut(constant, "[H][*:1]", size, 0)
    return tuple(found.values())


@dataclass(frozen=True)
class Pair:
    """Two compounds that differ by one change: `constant` stays, `a_variable` becomes
    `b_variable` (SMILES with the attachment point [*:1])."""

    a: UUID
    b: UUID
    constant: str
    a_variable: str
    b_variable: str


def matched_pairs(compounds: list[tuple[UUID, str]]) -> list[Pair]:
    """The matched pairs among `compounds` ((id, SMILES), in registry order), at most
    `MAX_PAIRS`, the pairs of the smallest changes first."""
    order = {cid: i for i, (cid, _) in enumerate(compounds)}
    groups: dict[str, dict[str, list[UUID]]] = {}
    for cid, smiles in compounds:
        for cut in cuts(smiles):
            groups.setdefault(cut.constant, {}).setdefault(cut.variable, []).append(cid)
    best: dict[tuple[UUID, UUID], tuple[int, Pair]] = {}
    for constant, variables in groups.items():
        if len(variables) < 2:
            continue
        size = _heavy(constant)
        for (var_a, ids_a), (var_b, ids_b) in combinations(variables.items(), 2):
            for a in ids_a:
                for b in ids_b:
                    if a == b:
                        continue
                    if order[a] > order[b]:
                        pair = Pair(b, a, constant, var_b, var_a)
                    else:
                        pair = Pair(a, b, constant, var_a, var_b)
                    key = (pair.a, pair.b)
                    if key not in best or best[key][0] < size:
                        best[key] = (size, pair)
    ranked = sorted(best.values(), key=lambda item: (-item[0], order[item[1].a], order[item[1].b]))
    return [pair for _, pair in ranked[:MAX_PAIRS]]


# What a plot shows ----------------------------------------------------------------------------


def is_potency(assay: Any) -> bool:
    return assay.endpoint in POTENCY_ENDPOINTS


def _axis(column: sharing.Column) -> str:
    assay = column.assay
    if column.mode == sharing.BINNED:
        return f"{assay.name} (category)"
    if is_potency(assay):
        return f"p{assay.endpoint} ({assay.name})"
    return f"{assay.name} ({assay.unit})"


def _y(column: sharing.Column, cell: sar.Cell) -> float | None:
    """The number a point is drawn at: None for a binned cell, an empty one, or a potency
    that has no pIC50."""
    if cell.binned or cell.value is None:
        return None
    return cell.p_value if is_potency(column.assay) else cell.value


def _choose(columns: list[sharing.Column], assay_id: str | None) -> sharing.Column | None:
    if not columns:
        return None
    if assay_id:
        for column in columns:
            if str(column.assay.pk) == assay_id:
                return column
        raise InvalidInput("No such assay in this project's plots.", errors={"assay": ["Unknown."]})
    return next((c for c in columns if is_potency(c.assay)), columns[0])


def plot_data(
    user: User,
    project: Project,
    *,
    assay_id: str | None = None,
    as_partner: Organization | None = None,
    pairs: bool = False,
) -> dict[str, Any]:
    """The points of `project`'s compounds in one assay (default: the first potency assay)
    as `user` may see them, with every property (the page picks the x axis), the
    registration date, and (`pairs`) the matched pairs with the change in the plotted value."""
    columns = sharing.columns_for(user, project, as_partner=as_partner)
    column = _choose(columns, assay_id)
    seen = partner_viewer(project, as_partner) if as_partner else user  # the points it sees
    rows = list(
        Compound.objects.in_project(project, seen_by=seen)
        .order_by("number")
        .values("id", "registry_id", "smiles", "created_at", *PROPERTIES)[: MAX_POINTS + 1]
    )
    truncated = len(rows) > MAX_POINTS
    rows = rows[:MAX_POINTS]
    coded = coded_for(seen, [r["id"] for r in rows])
    for r in rows:
        r["coded"] = r["id"] in coded
        if r["coded"]:
            r.update({"smiles": "", **dict.fromkeys(PROPERTIES)})
    cells: dict[tuple[UUID, str], sar.Cell] = {}
    if column is not None:
        _, cells = sar.cells(
            user,
            project,
            [r["id"] for r in rows],
            assay_ids=[str(column.assay.pk)],
            as_partner=as_partner,
        )
    empty = sar.Cell("")
    points = []
    by_id: dict[UUID, dict[str, Any]] = {}
    for r in rows:
        cell = cells.get((r["id"], str(column.assay.pk)), empty) if column else empty
        point = {
            "id": str(r["id"]),
            "registry_id": r["registry_id"],
            "registered": r["created_at"].isoformat(),
            **{p: r[p] for p in PROPERTIES},
            "coded": r["coded"],
            "y": _y(column, cell) if column else None,
            "qualifier": cell.qualifier if not cell.binned else "=",
            "text": cell.text,
            "category": cell.text if cell.binned else None,
        }
        points.append(point)
        by_id[r["id"]] = point
    return {
        "assays": [
            {
                "id": str(c.assay.pk),
                "name": c.assay.name,
                "mode": c.mode,
                "axis": _axis(c),
                "categories": [b["label"] for b in c.bins] if c.mode == sharing.BINNED else None,
            }
            for c in columns
        ],
        "assay": str(column.assay.pk) if column else None,
        "properties": PROPERTIES,
        "points": [p for p in points if p["text"] and p["text"] != "—"],
        "compounds": len(points),
        "truncated": truncated,
        "pairs": _pairs(rows, by_id) if pairs and column else None,
    }


def _pairs(rows: list[dict[str, Any]], by_id: dict[UUID, dict[str, Any]]) -> list[dict]:
    """The matched pairs whose two compounds both have a value (or category) in the assay."""
    measured = [
        (r["id"], r["smiles"])
        for r in rows
        if by_id[r["id"]]["text"] not in ("", "—") and not r["coded"]
    ]
    measured = measured[:MAX_PAIR_COMPOUNDS]
    found = []
    for pair in matched_pairs(measured):
        a, b = by_id[pair.a], by_id[pair.b]
        exact = a["qualifier"] in ("=", "~") and b["qualifier"] in ("=", "~")
        delta = b["y"] - a["y"] if a["y"] is not None and b["y"] is not None and exact else None
        found.append(
            {
                "a": a["id"],
                "b": b["id"],
                "a_registry_id": a["registry_id"],
                "b_registry_id": b["registry_id"],
                "constant": pair.constant,
                "a_part": pair.a_variable,
                "b_part": pair.b_variable,
                "a_y": a["y"],
                "b_y": b["y"],
                "a_text": a["text"],
                "b_text": b["text"],
                "delta": delta,
            }
        )
    return found
