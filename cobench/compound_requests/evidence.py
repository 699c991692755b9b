"""The data behind a request: the compounds its rationale names, with their assay values as
the viewer may see them.

The values come from the SAR table (`cobench.assays.sar.sar.table`), so the sharing rules
apply exactly as on the SAR page: a partner sees a binned assay's label, never its
number, and a hidden assay not at all; a compound shared with it blinded is a coded
sample, without its picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cobench.assays.sar import sar
from cobench.compounds.models import Compound
from cobench.compounds.services import blind
from cobench.tenancy.models import User

from .models import CompoundRequest


@dataclass(frozen=True)
class Row:
    """One compound behind a request and its cells, one per column, as the viewer sees them."""

    compound: Compound
    cells: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    """The compounds behind a request (registry order) and the assay columns the viewer sees."""

    rows: list[Row]
    columns: list[Any] = field(default_factory=list)

    @property
    def compounds(self) -> list[Compound]:
        return [row.compound for row in self.rows]


def evidence_table(user: User, request: CompoundRequest) -> Evidence:
    """The compounds behind `request` that `user` sees, with the assay values they may see."""
    # the request's few compounds by key, each checked by its own links: joined, ordered by
    # number in SQL or filtered by `pk IN` every visible one, SQLite walks the registry instead
    linked = request.evidence.through.objects.filter(compoundrequest=request)
    ids = list(linked.values_list("compound_id", flat=True))
    found = Compound.objects.filter(pk__in=ids).in_project(request.project, seen_by=user)
    compounds = blind(user, sorted(found.order_by(), key=lambda c: c.number))
    if not compounds:
        return Evidence(rows=[])
    columns, cells = sar.cells(user, request.project, [c.pk for c in compounds])
    empty = sar.Cell("")
    return Evidence(
        rows=[
            Row(c, [cells.get((c.pk, str(col.assay.pk)), empty) for col in columns])
            for c in compounds
        ],
        columns=columns,
    )
