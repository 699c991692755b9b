"""The SAR table of a project: one row per compound, one column per assay the viewer sees.

`table(user, project, ...)` is the one way the table is read: the page, the API, the
exports and the plots call it. Its columns are the assays `user` sees
(`sharing.columns_for`); the sponsor's people may ask for the table as a partner
organization sees it (`as_partner`). A full column shows the aggregate of the valid
results (`aggregate.aggregate`) with n; a binned column only the label of the aggregate's
bin (`sharing.bin_label`), computed here, on the server: the number never leaves.

Sorting, value filters and cells read each compound's stored aggregate per assay
(`Summary`: `aggregate`'s value, qualifier and n, rewritten with every change to the
results), by index, so a page costs the same whatever the project's size. A
binned column sorts by bin (ties by registry number) and cannot be filtered by value:
either would tell the order of the hidden numbers. For the same reason a partner shared
compounds blinded (coded samples, `cobench.compounds.querysets.coded_for`) cannot sort
by a computed property, and its coded rows show no structure or properties.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.db import connections
from django.db.models import Case, F, FloatField, Value, When
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual

from cobench.assays import sharing
from cobench.assays.aggregate import describe, number
from cobench.assays.models import Assay, Summary
from cobench.assays.units import POTENCY_ENDPOINTS, convert, is_molar
from cobench.compounds.models import Compound, ProjectCompound
from cobench.compounds.querysets import blinded_projects
from cobench.compounds.services import blind
from cobench.core.errors import InvalidInput
from cobench.core.text import neutralise
from cobench.search import services as search
from cobench.tenancy.access import partner_viewer
from cobench.tenancy.models import Organization, Project

from .series import series_of

PER_PAGE = 100
MAX_PER_PAGE = 500
PROPERTIES: dict[str, str] = {
    "mw": "MW",
    "clogp": "cLogP",
    "tpsa": "TPSA",
    "hbd": "HBD",
    "hba": "HBA",
    "rotatable_bonds": "Rot. bonds",
}


@dataclass(frozen=True)
class Filters:
    """What narrows the table: aggregated value ranges of full assays (assay id → (low,
    high), either None), a substructure, similarity to a compound or structure, and a
    selection of compounds by registry id (points chosen on the plots; empty: no such
    filter)."""

    ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    substructure: str = ""
    similar_to: str = ""
    threshold: float = 0.7
    compounds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cell:
    """One compound in one assay: `text` to show; `value` (None when binned or empty),
    `qualifier` and `n` of the aggregate."""

    text: str
    value: float | None = None
    qualifier: str = "="
    n: int = 0
    p_value: float | None = None
    binned: bool = False


_EMPTY = Cell("—")


@dataclass(frozen=True)
class Row:
    compound: Compound
    series: list[str]
    properties: dict[str, Any]
    cells: dict[str, Cell]
    score: float | None = None


@dataclass(frozen=True)
class SarPage:
    """One page of the table: the columns (properties and assays) chosen, rows, paging."""

    project: Project
    columns: list[sharing.Column]
    properties: list[str]
    rows: list[Row]
    count: int
    page: int
    per_page: int
    sort: str
    filters: Filters
    as_partner: Organization | None = None
    message: str = ""

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.per_page))


# The aggregated value in SQL -------------------------------------------------------------


def _summaries(assay: Assay) -> Any:
    """The compounds' aggregates in `assay` (`Summary`, kept in step with the results)."""
    return Summary.objects.filter(assay_id=assay.pk).order_by()


def _potency(assay: Assay) -> bool:
    return assay.endpoint in POTENCY_ENDPOINTS


# the summaries' values are `aggregate`'s (a mean of logs to 12 significant digits);
# bounds are compared with a slack of 1e-11 all the same, as a mean in floating point
# can miss the last digit (999.9999999999998 for 1000)
_SLACK = 1e-11


def _below(bound: float) -> float:
    return bound - abs(bound) * _SLACK


def _above(bound: float) -> float:
    return bound + abs(bound) * _SLACK


def bin_order_sql(bins: Any) -> Any:
    """SQL, over a summary: `sharing.bin_order` of its value and qualifier."""
    value = F("value")
    uppers = [b["upper"] for b in bins[:-1]]
    last = len(bins) - 1
    index: Any = Value(0.0)
    reach: Any = Value(0.0)  # bins whose upper bound lies below the value
    for u in uppers:
        index = index + Case(When(GreaterThanOrEqual(value, _below(u)), then=1.0), default=0.0)
        reach = reach + Case(When(GreaterThan(value, _above(u)), then=1.0), default=0.0)
    return Case(
        When(qualifier="=", then=index),
        When(qualifier="<", then=Case(When(GreaterThan(reach, 0), then=reach - 0.5), default=0.0)),
        When(GreaterThanOrEqual(index, last), then=index),
        When(GreaterThan(index, 0), then=index - 0.5),
        default=Value(-0.75),
        output_field=FloatField(),
    )


def _page_ids(
    links: Any,
    column: sharing.Column | None,
    order: Any,
    descending: bool,
    start: int,
    size: int,
    narrowed: bool,
) -> tuple[int, list[UUID]]:
    """The row count and the compound ids of one page, from `links` (the project's compound
    links, filtered). Sorted by an assay: the compounds with a value ranked by their
    summaries (ties by compound id), then those without, by number."""
    if column is None:
        order = order.desc() if descending else order.asc()
        ranked = links.order_by(order, "compound__number").values_list("compound_id", flat=True)
        return links.count(), list(ranked[start : start + size])
    key = bin_order_sql(column.bins) if column.mode == sharing.BINNED else F("value")
    measured = _summaries(column.assay)
    in_sort: int | None
    if narrowed:  # the ranking and both counts in one query
        count, in_sort, ids = _ranked_links(
            links, measured.annotate(k=key), descending, start, size
        )
    else:  # every summary of the project's assay is of a compound of the project
        ranked = measured.annotate(k=key).order_by(
            F("k").desc() if descending else F("k").asc(), "compound_id"
        )
        count = links.count()
        ids = list(ranked.values_list("compound_id", flat=True)[start : start + size])
        in_sort = None
    if len(ids) < size and start < count:
        if in_sort is None:
            in_sort = measured.count()
        skip = max(0, start - in_sort)
        rest = links.exclude(compound_id__in=measured.values("compound_id"))
        rest = rest.order_by("compound__number").values_list("compound_id", flat=True)
        ids += rest[skip : skip + size - len(ids)]
    return count, ids


def _ranked_links(
    links: Any, measured: Any, descending: bool, start: int, size: int
) -> tuple[int, int, list[UUID]]:
    """(rows, rows with a sort value, the ids of the page's rows with a sort value) for
    filtered `links`, ranked by `measured`'s per-compound value `k` (ties by compound id):
    one query, the links left-joined to the summaries and counted by a window."""
    links_sql, links_params = _sql(links.order_by().values("compound_id"))
    ranked_sql, ranked_params = _sql(measured.values("compound_id", "k"))
    direction = "DESC" if descending else "ASC"
    # the text holds only SQL Django compiled (with its parameters apart) and ASC or DESC
    sql = (
        "SELECT l.compound_id, COUNT(*) OVER (), COUNT(m.k) OVER (), m.k IS NULL"  # noqa: S608
        f" FROM ({links_sql}) l LEFT JOIN ({ranked_sql}) m ON m.compound_id = l.compound_id"
        f" ORDER BY m.k IS NULL, m.k {direction}, l.compound_id LIMIT %s OFFSET %s"
    )
    with connections[links.db].cursor() as cursor:
        cursor.execute(sql, [*links_params, *ranked_params, size, start])
        rows = cursor.fetchall()
    if not rows:
        return links.count(), 0, []
    ids = [_uuid(cid) for cid, _, _, unranked in rows if not unranked]
    return rows[0][1], rows[0][2], ids


def _sql(queryset: Any) -> tuple[str, tuple[Any, ...]]:
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _uuid(value: Any) -> UUID:
    """A UUID column read by a raw query (SQLite gives its hex text)."""
    return value if isinstance(value, UUID) else UUID(value)


# The table ---------------------------------------------------------------------------------


def _bad(field_name: str, message: str) -> InvalidInput:
    return InvalidInput(message, errors={field_name: [message]})


def _choose(
    columns: list[str] | None, available: dict[str, sharing.Column]
) -> tuple[list[str], list[sharing.Column]]:
    """The properties and assay columns asked for (all when None), in the order given."""
    if not columns:
        return list(PROPERTIES), list(available.values())
    props, assays = [], []
    for key in columns:
        if key in PROPERTIES:
            props.append(key)
        elif key in available:
            assays.append(available[key])
        else:
            raise _bad("columns", f"No column {key[:60]!r} in this table.")
    return props, assays


def _structure_filter(user: Any, project: Project, filters: Filters) -> tuple[Any, str, dict]:
    """Compound ids matching the structure filters (None: no such filter), a message when a
    search was cut short, and similarity scores."""
    ids: set[UUID] | None = None
    messages, scores = [], {}
    if filters.substructure.strip():
        found = search.search_substructure(actor=user, query=filters.substructure, project=project)
        ids = {cid for cid, _ in found.found}
        messages.append(found.message)
    if filters.similar_to.strip():
        query = filters.similar_to.strip()
        known = next(
            (
                c.smiles
                for c in blind(
                    user,
                    Compound.objects.in_project(project, seen_by=user)
                    .filter(registry_id=query)
                    .only("id", "registry_id", "smiles")[:1],
                )
                if not c.coded  # type: ignore[attr-defined]
            ),
            None,
        )
        found = search.search_similarity(
            actor=user,
            query=known or query,
            threshold=filters.threshold,
            top=search.MAX_HITS,
            project=project,
        )
        scores = {cid: score for cid, score in found.found}
        ids = set(scores) if ids is None else ids & set(scores)
        messages.append(found.message)
    return ids, " ".join(m for m in messages if m), scores


def _cells(
    project: Project, columns: list[sharing.Column], ids: list[UUID]
) -> dict[tuple[UUID, str], Cell]:
    """The cells of the compounds `ids` in `columns`, which are what `user` sees (from
    `sharing.columns_for`, the same SQL rule as `Result.objects.visible_to`): summaries of
    full columns; of binned ones only the label, the values read here only to label them."""
    cells: dict[tuple[UUID, str], Cell] = {}
    if not ids or not columns:
        return cells
    connection = connections[Summary.objects.db]
    compound, assay_field = Summary._meta.get_field("compound"), Summary._meta.get_field("assay")
    compounds = [compound.get_db_prep_value(pk, connection) for pk in ids]
    assays = [assay_field.get_db_prep_value(c.assay.pk, connection) for c in columns]
    # by compound and assay only, read raw (up to 8 x 500 rows; building the query with the
    # ORM cost a page more than running it): the columns are the project's assays, the ids
    # the project's compounds through the viewer's links
    # our table's name and placeholders; the ids are parameters
    sql = (
        f"SELECT compound_id, assay_id, value, qualifier, n, censored"  # noqa: S608
        f" FROM {Summary._meta.db_table}"
        f" WHERE compound_id IN ({', '.join(['%s'] * len(compounds))})"
        f" AND assay_id IN ({', '.join(['%s'] * len(assays))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*compounds, *assays])
        rows = cursor.fetchall()
    uuids: dict[Any, UUID] = {}
    by_id = {str(c.assay.pk): c for c in columns}
    names: dict[Any, str] = {}
    for compound_id, assay_id, value, qualifier, n, censored in rows:
        key = uuids.get(compound_id) or uuids.setdefault(compound_id, _uuid(compound_id))
        assay = names.get(assay_id) or names.setdefault(assay_id, str(_uuid(assay_id)))
        cells[(key, assay)] = _cell(by_id[assay], value, qualifier, n, censored)
    return cells


@lru_cache(maxsize=64)
def _p_factor(unit: str) -> float | None:
    """What one `unit` is in molar (for pIC50s), None when not molar."""
    return convert(1.0, unit, "M") if is_molar(unit) else None


def _cell(
    column: sharing.Column, value: float | None, qualifier: str, n: int, censored: int
) -> Cell:
    """The cell of one aggregate (`aggregate.aggregate`'s value, qualifier, n and censored
    count, from SQL): a full column's text and numbers, a binned one's label only."""
    if value is None:
        return _EMPTY
    value = float(f"{value:.12g}")  # exp(mean(ln)): 123.456789, not ...0001
    unit = column.assay.unit
    if column.mode == sharing.BINNED:
        return Cell(
            sharing.bin_label(value, qualifier, column.bins, unit), None, "=", n, None, True
        )
    p = _p_factor(unit) if _potency(column.assay) else None
    p_value = -math.log10(value * p) if p and value > 0 else None
    return Cell(describe(value, qualifier, n, censored, unit), value, qualifier, n, p_value)


def table(
    user: Any,
    project: Project,
    *,
    as_partner: Organization | None = None,
    sort: str | None = None,
    filters: Filters | None = None,
    columns: list[str] | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    at: datetime | None = None,
) -> SarPage:
    """One page of `project`'s SAR table as `user` sees it (or as the partner organization
    `as_partner` does: the sponsor's people only). `sort` is "registry_id", a property or
    an assay id, "-" in front for descending; `columns` property names and assay ids."""
    filters = filters or Filters()
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise _bad("per_page", f"From 1 to {MAX_PER_PAGE} rows a page.")
    if page < 1:
        raise _bad("page", "Pages count from 1.")
    available = {
        str(c.assay.pk): c for c in sharing.columns_for(user, project, as_partner=as_partner, at=at)
    }
    props, chosen = _choose(columns, available)
    user = partner_viewer(project, as_partner) if as_partner else user  # the rows it sees
    # the project's compound links: counted and filtered without reading the compounds
    links = ProjectCompound.objects.visible_to(user).filter(project=project)
    for assay_id, (low, high) in filters.ranges.items():
        column = available.get(assay_id)
        if column is None:
            raise _bad("range", f"No assay {assay_id[:60]!r} in this table.")
        if column.mode != sharing.FULL:
            raise _bad("range", f"{column.assay.name} shows categories only: no value filter.")
        within = _summaries(column.assay)
        if low is not None:
            within = within.filter(value__gte=_below(low))
        if high is not None:
            within = within.filter(value__lte=_above(high))
        links = links.filter(compound_id__in=within.values("compound_id"))
    ids, message, scores = _structure_filter(user, project, filters)
    if ids is not None:
        links = links.filter(compound_id__in=ids)
    if filters.compounds:  # within the project's links: another project's ids match nothing
        links = links.filter(compound__registry_id__in=filters.compounds)
    sort = sort or "registry_id"
    key = sort.removeprefix("-")
    sorted_by: sharing.Column | None = None
    if key == "registry_id":
        order: Any = F("compound__number")
    elif key in PROPERTIES:
        if project.pk in blinded_projects(user):
            raise _bad("sort", "Compounds are shared with you coded: no sorting by properties.")
        order = F(f"compound__{key}")
    elif key in available:
        order, sorted_by = None, available[key]
    else:
        raise _bad("sort", f"Cannot sort by {key[:60]!r}.")
    start = (page - 1) * per_page
    narrowed = bool(filters.ranges) or ids is not None or bool(filters.compounds)
    if key == "registry_id" and not narrowed:
        # the registry's own index walked in order: sorting every link of a project by its
        # compound's number took seconds at a million compounds
        walked = Compound.objects.in_project(project, seen_by=user).order_by(
            "-number" if sort.startswith("-") else "number"
        )
        count = links.count()
        page_ids = list(walked.values_list("pk", flat=True)[start : start + per_page])
    else:
        count, page_ids = _page_ids(
            links, sorted_by, order, sort.startswith("-"), start, per_page, narrowed
        )
    # what a row shows: no molfile, InChI or registration records (the SDF export asks)
    shown = ("id", "number", "registry_id", "smiles", "svg", "created_at", *PROPERTIES)
    found = Compound.objects.only(*shown).order_by().in_bulk(page_ids)  # no join to sort
    ordered = [found[pk] for pk in page_ids]
    cells = _cells(project, chosen, page_ids)
    series = series_of(project, [(c.pk, c.smiles) for c in ordered])
    ordered = blind(user, ordered)  # after their series: a coded sample keeps it
    keys = [str(col.assay.pk) for col in chosen]
    rows = [
        Row(
            compound=c,
            series=[s.name for s in series.get(c.pk, [])],
            properties={p: getattr(c, p) for p in props},
            cells={key: cells.get((c.pk, key), _EMPTY) for key in keys},
            score=scores.get(c.pk),
        )
        for c in ordered
    ]
    return SarPage(
        project=project,
        columns=chosen,
        properties=props,
        rows=rows,
        count=count,
        page=page,
        per_page=per_page,
        sort=sort,
        filters=filters,
        as_partner=as_partner,
        message=message,
    )


def cells(
    user: Any,
    project: Project,
    compound_ids: list[UUID],
    *,
    assay_ids: list[str] | None = None,
    as_partner: Organization | None = None,
    at: datetime | None = None,
) -> tuple[list[sharing.Column], dict[tuple[UUID, str], Cell]]:
    """The assay columns `user` sees (those of `assay_ids` only, when given) and the cells of
    the compounds `compound_ids` (keyed by compound id and assay id), by the table's rules:
    for the plots and a request's evidence."""
    columns = sharing.columns_for(user, project, as_partner=as_partner, at=at)
    if assay_ids is not None:
        columns = [c for c in columns if str(c.assay.pk) in assay_ids]
    return columns, _cells(project, columns, list(compound_ids))


def fmt(value: Any) -> str:
    """A property for display and export: numbers with 3 significant digits."""
    if isinstance(value, float):
        return number(value)
    return str(value)


# Query parameters and exports ----------------------------------------------------------------


# a selection travels in the address (`?compounds=CB-000012,...`): gunicorn, which `cobench
# serve` runs, refuses a request line over 4 KB (414), and 300 ids of ten characters fit
MAX_SELECTED = 300
_REGISTRY_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,39}", re.ASCII)


def _selection(texts: list[str]) -> tuple[str, ...]:
    """Registry ids from `compounds` parameters, each one id or several separated by commas
    or spaces; in the order given, once each."""
    found: dict[str, None] = {}
    for text in texts:
        for part in re.split(r"[,\s]+", text.strip()):
            if not part:
                continue
            if not _REGISTRY_ID.fullmatch(part):
                raise _bad("compounds", f"{part[:60]!r} is not a registry id (e.g. CB-000012).")
            found[part] = None
            if len(found) > MAX_SELECTED:
                raise _bad(
                    "compounds", f"At most {MAX_SELECTED:,} compounds at a time: select fewer."
                )
    return tuple(found)


def parse_filters(
    ranges: list[str],
    substructure: str = "",
    similar_to: str = "",
    threshold: float = 0.7,
    compounds: list[str] | None = None,
) -> Filters:
    """Filters from the doors' parameters: `range` as "<assay id>:<low>:<high>" (either bound
    may be empty), the structure filters as typed, `compounds` as registry ids (repeated or
    comma-separated, at most MAX_SELECTED)."""
    parsed: dict[str, tuple[float | None, float | None]] = {}
    for text in ranges[:20]:
        parts = text.split(":")
        try:
            if len(parts) != 3:
                raise ValueError
            low, high = (float(p) if p.strip() else None for p in parts[1:])
            if any(b is not None and not math.isfinite(b) for b in (low, high)):
                raise ValueError
        except ValueError:
            raise _bad("range", "A range is <assay id>:<low>:<high>, e.g. 'id:10:1000'.") from None
        parsed[parts[0].strip()] = (low, high)
    if not 0 <= threshold <= 1:
        raise _bad("threshold", "A similarity from 0 to 1.")
    selected = _selection(compounds or [])
    return Filters(parsed, substructure[:5000], similar_to[:5000], threshold, selected)


MAX_EXPORT = 50_000


def all_rows(user: Any, project: Project, **options: Any) -> tuple[SarPage, list[Row]]:
    """Every row of the table (up to MAX_EXPORT), page after page, for the exports."""
    first = table(user, project, page=1, per_page=MAX_PER_PAGE, **options)
    if first.count > MAX_EXPORT:
        raise _bad("filters", f"At most {MAX_EXPORT:,} rows export: filter the table.")
    rows = list(first.rows)
    for number_ in range(2, first.pages + 1):
        rows += table(user, project, page=number_, per_page=MAX_PER_PAGE, **options).rows
    return first, rows


def export_records(page: SarPage, rows: list[Row]) -> tuple[list[str], list[list[Any]]]:
    """Header and records of an export: a full assay gives its value (a censored one as
    text, "> 10000"), a binned one its label; each with its n."""
    header = ["registry_id", "smiles", "series", *page.properties]
    for column in page.columns:
        unit = f" [{column.assay.unit}]" if column.mode == sharing.FULL else ""
        header += [f"{column.assay.name}{unit}", f"{column.assay.name} n"]
    records = []
    for row in rows:
        record: list[Any] = [row.compound.registry_id, row.compound.smiles, "; ".join(row.series)]
        record += [row.properties[p] for p in page.properties]
        for column in page.columns:
            cell = row.cells[str(column.assay.pk)]
            if cell.binned or cell.value is None:
                shown: Any = "" if cell.text == "—" else cell.text
            elif cell.qualifier != "=":
                shown = f"{cell.qualifier} {number(cell.value)}"
            else:
                shown = cell.value
            record += [shown, cell.n or ""]
        records.append(record)
    return header, records


def export(page: SarPage, rows: list[Row], kind: str) -> tuple[bytes, str]:
    """The rows as CSV, SDF or Excel: (content, content type). Text cells never start a
    spreadsheet formula."""
    header, records = export_records(page, rows)
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([neutralise(h) for h in header])
        writer.writerows([[neutralise(v) for v in r] for r in records])
        return out.getvalue().encode(), "text/csv; charset=utf-8"
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("SAR")
        sheet.append([neutralise(h) for h in header])
        for r in records:
            sheet.append([neutralise(v) for v in r])
        out_b = io.BytesIO()
        book.save(out_b)
        return out_b.getvalue(), (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    if kind == "sdf":
        from rdkit import Chem

        out = io.StringIO()
        writer = Chem.SDWriter(out)
        molfiles: dict[Any, str] = {}
        ids = [row.compound.pk for row in rows]
        for i in range(0, len(ids), 1000):
            chunk = Compound.objects.filter(pk__in=ids[i : i + 1000])
            molfiles.update(chunk.values_list("pk", "molblock"))
        for row, record in zip(rows, records, strict=True):
            coded = getattr(row.compound, "coded", False)
            molblock = None if coded else molfiles.get(row.compound.pk)
            mol = Chem.MolFromMolBlock(molblock) if molblock else None
            mol = mol or Chem.MolFromSmiles(row.compound.smiles) or Chem.Mol()
            mol.SetProp("_Name", row.compound.registry_id)
            for key, value in zip(header, record, strict=True):
                mol.SetProp(key, "" if value is None else " ".join(str(value).splitlines()))
            writer.write(mol)
        writer.close()
        return out.getvalue().encode(), "chemical/x-mdl-sdfile"
    raise _bad("format", "One of csv, sdf, xlsx.")
