"""JSON API for the SAR table, its exports, the sponsor's sharing rules, chemical series
and the SAR plots' data.

The table comes from `sar.table`, so a partner's columns follow the sharing rules: a
binned assay's cells carry only their label (`value` is null). `as_partner` (an
organization id) shows the table as that partner sees it: the sponsor's people only.

Series (`series_router`): list and define a project's series, read one with its members
(tagged by hand or matching the core), tag and untag compounds. Plot data comes from
`plots.plot_data`, built on the SAR table, so every value follows the sharing rules.
"""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from cobench.api.schemas import Input, OrgRef
from cobench.assays import sharing
from cobench.assays.models import Assay, Series, SharingRule
from cobench.compounds.models import Compound
from cobench.compounds.querysets import coded_for
from cobench.core.access import get_visible
from cobench.tenancy import access
from cobench.tenancy.access import AuthenticatedRequest, project_for
from cobench.tenancy.models import Project

from . import plots, sar
from . import series as services

router = Router(tags=["sar"])
series_router = Router(tags=["series"])
# the series and plot operations keep the ids the API document has always given them
PUBLISHED = "cobench_assays_plot_api_"


class SarParams(Schema):
    sort: str = Field(
        "registry_id",
        max_length=80,
        description="registry_id, a property or an assay id; '-' first: descending",
    )
    columns: str = Field(
        "", max_length=4000, description="Properties and assay ids, comma-separated; empty: all"
    )
    range: list[str] = Field(
        [],
        description="<assay id>:<low>:<high> of a full assay's aggregated value; a bound may be ''",
    )
    substructure: str = Field("", max_length=5000, description="SMILES, SMARTS or molfile")
    similar_to: str = Field(
        "", max_length=5000, description="A registry id of the project or a structure"
    )
    threshold: float = Field(0.7, ge=0, le=1)
    compounds: list[str] = Field(
        [],
        description=f"Registry ids, repeated or comma-separated (at most {sar.MAX_SELECTED:,}): "
        "only these compounds' rows, e.g. the points selected on the plots; an id not in the "
        "project matches nothing",
    )
    as_partner: UUID | None = Field(
        None,
        description="A partner organization: the table as it sees it (the sponsor's people only)",
    )


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(sar.PER_PAGE, ge=1, le=sar.MAX_PER_PAGE)


class ColumnOut(Schema):
    id: UUID
    name: str
    unit: str
    endpoint: str
    mode: Literal["full", "binned"]
    bins: list[dict[str, Any]] = Field(description="The labels of a binned column, in order")


class CellOut(Schema):
    text: str
    value: float | None = Field(description="The aggregated value; null when binned or empty")
    qualifier: str
    n: int
    p_value: float | None
    binned: bool


class RowOut(Schema):
    compound_id: UUID
    registry_id: str
    coded: bool = Field(
        description="A coded sample (shared with you blinded): `smiles` and `svg` empty, "
        "`properties` null"
    )
    smiles: str
    svg: str
    series: list[str]
    properties: dict[str, Any]
    cells: dict[str, CellOut]
    similarity: float | None


class SarOut(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    sort: str
    properties: list[str]
    columns: list[ColumnOut]
    rows: list[RowOut]
    as_partner: OrgRef | None
    message: str


class RuleIn(Input):
    assay_id: UUID
    partner_id: UUID
    mode: Literal["full", "binned", "hidden"]
    bins: list[dict[str, Any]] = Field(
        [],
        description='Ascending: [{"upper": 100, "label": "< 100 nM"}, {"upper": null, ...}]',
    )
    starts_at: datetime | None = Field(None, description="Default now; later: scheduled")
    reason: str = Field(..., max_length=5000)


class RuleOut(Schema):
    id: UUID
    assay_id: UUID
    assay: str
    partner: OrgRef
    mode: str
    bins: list[dict[str, Any]]
    starts_at: datetime
    reason: str
    created_by: str = Field(alias="created_by_label")
    created_at: datetime

    @staticmethod
    def resolve_assay(rule: SharingRule) -> str:
        return rule.assay.name


def options(project: Project, params: SarParams) -> dict[str, Any]:
    """`sar.table`'s keyword arguments from the parameters."""
    columns = [c.strip() for c in params.columns.split(",") if c.strip()]
    return {
        "as_partner": access.partner_of(project, params.as_partner, field="as_partner"),
        "sort": params.sort,
        "columns": columns or None,
        "filters": sar.parse_filters(
            params.range,
            params.substructure,
            params.similar_to,
            params.threshold,
            params.compounds,
        ),
    }


def page_out(page: sar.SarPage) -> dict[str, Any]:
    """The page as the API (and the page's JSON) shows it."""
    return {
        "count": page.count,
        "page": page.page,
        "pages": page.pages,
        "per_page": page.per_page,
        "sort": page.sort,
        "properties": page.properties,
        "columns": [
            {
                "id": c.assay.pk,
                "name": c.assay.name,
                "unit": c.assay.unit,
                "endpoint": c.assay.endpoint,
                "mode": c.mode,
                "bins": [{"label": b["label"]} for b in c.bins],
            }
            for c in page.columns
        ],
        "rows": [
            {
                "compound_id": r.compound.pk,
                "registry_id": r.compound.registry_id,
                "coded": getattr(r.compound, "coded", False),
                "smiles": r.compound.smiles,
                "svg": r.compound.svg,
                "series": r.series,
                "properties": r.properties,
                "cells": {k: vars(cell) for k, cell in r.cells.items()},
                "similarity": r.score,
            }
            for r in page.rows
        ],
        "as_partner": page.as_partner,
        "message": page.message,
    }


@router.get("/projects/{project_id}/sar", response=SarOut)
def sar_table(
    request: AuthenticatedRequest,
    project_id: UUID,
    params: Query[SarParams],
    paging: Query[PageParams],
):
    """One page of the project's SAR table: a row per compound, a column per assay you see."""
    project = project_for(request, project_id)
    page = sar.table(
        request.user,
        project,
        page=paging.page,
        per_page=paging.per_page,
        **options(project, params),
    )
    return page_out(page)


@router.get("/projects/{project_id}/sar/export", response={200: None})
def sar_export(
    request: AuthenticatedRequest,
    project_id: UUID,
    params: Query[SarParams],
    format: Literal["csv", "sdf", "xlsx"] = "csv",
):
    """The whole table (filtered, sorted, columns chosen) as CSV, SDF or Excel."""
    project = project_for(request, project_id)
    first, rows = sar.all_rows(request.user, project, **options(project, params))
    body, content_type = sar.export(first, rows, format)
    response = HttpResponse(body, content_type=content_type)
    who = f"-as-{first.as_partner.short_name or 'partner'}" if first.as_partner else ""
    response["Content-Disposition"] = f'attachment; filename="{project.code}-sar{who}.{format}"'
    return response


@router.get("/projects/{project_id}/sharing-rules", response=list[RuleOut])
def list_rules(request: AuthenticatedRequest, project_id: UUID):
    """Every sharing rule of the project, newest first (the sponsor's people only)."""
    return sharing.history(request.user, project_for(request, project_id))


@router.post("/projects/{project_id}/sharing-rules", response={201: RuleOut})
def set_rule(request: AuthenticatedRequest, project_id: UUID, data: RuleIn):
    """Set what a partner sees of an assay from now (or `starts_at`): the sponsor's lead."""
    project = project_for(request, project_id)
    assay = get_visible(
        Assay.objects.select_related("project"), request.user, pk=data.assay_id, project=project
    )
    partner = access.partner_of(project, data.partner_id, field="partner_id")
    rule = sharing.set_rule(
        actor=request.user,
        assay=assay,
        partner=partner,
        mode=data.mode,
        bins=data.bins or None,
        starts_at=data.starts_at,
        reason=data.reason,
    )
    return Status(201, rule)


# Series and plots ---------------------------------------------------------------------


class ChemicalSeriesOut(Schema):
    id: UUID
    project_id: UUID
    name: str
    core: str = Field(description="SMILES or SMARTS core; empty: tagged by hand only or hidden")
    core_hidden: bool = Field(
        description="The core is not shown: the sponsor shares this project's compounds with "
        "you coded, and the core would draw their scaffold"
    )
    description: str
    created_at: datetime


class SeriesCompoundOut(Schema):
    compound_id: UUID
    registry_id: str
    smiles: str = Field(description="Empty for a coded sample (shared with you blinded)")
    tagged: bool = Field(description="Tagged with the series by hand")
    matches_core: bool


class ChemicalSeriesDetailOut(ChemicalSeriesOut):
    members: list[SeriesCompoundOut]
    partial: bool = Field(description="The core matched more compounds than were searched")


class ChemicalSeriesIn(Input):
    name: str = Field(min_length=1, max_length=services.MAX_NAME)
    core: str = Field("", max_length=2000, description="A SMILES or SMARTS substructure")
    description: str = Field("", max_length=services.MAX_DESCRIPTION)


class ChemicalSeriesPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=services.MAX_NAME)
    core: str | None = Field(None, max_length=2000)
    description: str | None = Field(None, max_length=services.MAX_DESCRIPTION)


class SeriesTagIn(Input):
    registry_id: str = Field(min_length=1, max_length=40)


def _get(request: AuthenticatedRequest, chemical_series_id: UUID) -> Series:
    return get_visible(
        Series.objects.select_related("project"), request.user, pk=chemical_series_id
    )


def _detail(request: AuthenticatedRequest, series: Series) -> dict:
    found = services.membership(actor=request.user, series=series)
    compounds = list(
        Compound.objects.in_project(series.project, seen_by=request.user)
        .filter(pk__in=found.compounds)
        .order_by("number")
        .values("id", "registry_id", "smiles")
    )
    coded = coded_for(request.user, [c["id"] for c in compounds])
    (series,) = services.without_cores(request.user, [series])
    return {
        **{f: getattr(series, f) for f in ChemicalSeriesOut.model_fields},
        "members": [
            {
                "compound_id": c["id"],
                "registry_id": c["registry_id"],
                "smiles": "" if c["id"] in coded else c["smiles"],
                "tagged": c["id"] in found.tagged,
                "matches_core": c["id"] in found.by_core,
            }
            for c in compounds
        ],
        "partial": found.partial,
    }


@series_router.get(
    "/projects/{project_id}/series",
    response=list[ChemicalSeriesOut],
    operation_id=PUBLISHED + "list_series",
)
def list_series(request: AuthenticatedRequest, project_id: UUID):
    """The project's chemical series, by name."""
    project = project_for(request, project_id)
    found = Series.objects.visible_to(request.user).filter(project=project).order_by("name")
    return services.without_cores(request.user, found)


@series_router.post(
    "/projects/{project_id}/series",
    response={201: ChemicalSeriesDetailOut},
    operation_id=PUBLISHED + "create_series",
)
def create_series(request: AuthenticatedRequest, project_id: UUID, payload: ChemicalSeriesIn):
    """Define a series: a name and optionally a core (SMILES or SMARTS) whose matches join it."""
    project = project_for(request, project_id)
    series = services.create_series(actor=request.user, project=project, **payload.dict())
    return Status(201, _detail(request, series))


@series_router.get(
    "/series/{chemical_series_id}",
    response=ChemicalSeriesDetailOut,
    operation_id=PUBLISHED + "get_series",
)
def get_series(request: AuthenticatedRequest, chemical_series_id: UUID):
    """A series with its members: tagged by hand or matching its core."""
    return _detail(request, _get(request, chemical_series_id))


@series_router.patch(
    "/series/{chemical_series_id}",
    response=ChemicalSeriesDetailOut,
    operation_id=PUBLISHED + "update_series",
)
def update_series(
    request: AuthenticatedRequest, chemical_series_id: UUID, payload: ChemicalSeriesPatch
):
    """Rename a series, change its core or description (fields left out stay)."""
    series = services.update_series(
        actor=request.user, series=_get(request, chemical_series_id), **payload.dict()
    )
    return _detail(request, series)


@series_router.post(
    "/series/{chemical_series_id}/members",
    response=ChemicalSeriesDetailOut,
    operation_id=PUBLISHED + "tag",
)
def tag(request: AuthenticatedRequest, chemical_series_id: UUID, payload: SeriesTagIn):
    """Tag a compound of the project (by registry id) with the series."""
    series = _get(request, chemical_series_id)
    services.tag_compound(actor=request.user, series=series, compound=payload.registry_id)
    return _detail(request, series)


@series_router.delete(
    "/series/{chemical_series_id}/members",
    response=ChemicalSeriesDetailOut,
    operation_id=PUBLISHED + "untag",
)
def untag(request: AuthenticatedRequest, chemical_series_id: UUID, registry_id: Query[SeriesTagIn]):
    """Remove a compound's hand-made tag (`?registry_id=`)."""
    series = _get(request, chemical_series_id)
    services.untag_compound(actor=request.user, series=series, compound=registry_id.registry_id)
    return _detail(request, series)


class PlotParams(Schema):
    assay: UUID | None = Field(None, description="The assay plotted (default: the first potency)")
    pairs: bool = Field(False, description="Also the matched pairs (slower the first time)")
    as_partner: UUID | None = Field(
        None,
        description="A partner organization: the plot as it sees it (the sponsor's people only)",
    )


class PlotAssayOut(Schema):
    id: UUID
    name: str
    mode: str = Field(description="full: numbers; binned: categories only")
    axis: str
    categories: list[str] | None = Field(description="A binned assay's category labels, in order")


class PlotPointOut(Schema):
    id: UUID
    registry_id: str
    registered: datetime
    coded: bool = Field(
        description="A coded sample (shared with you blinded): no properties, no picture"
    )
    mw: float | None = Field(description="null for a coded sample, as every property")
    clogp: float | None
    tpsa: float | None
    hbd: int | None
    hba: int | None
    rotatable_bonds: int | None
    y: float | None = Field(description="pIC50 etc. for potency, else the value; null if binned")
    qualifier: str
    text: str = Field(description="What the SAR table shows: the value with n, or the category")
    category: str | None = Field(description="A binned assay's category label")


class PairOut(Schema):
    a: UUID
    b: UUID
    a_registry_id: str
    b_registry_id: str
    constant: str = Field(description="What both share, with the attachment point [*:1]")
    a_part: str = Field(description="The part of a that b replaces ([*:1]: where it sits)")
    b_part: str = Field(description="What b has there instead ([H][*:1]: a hydrogen)")
    a_y: float | None
    b_y: float | None
    a_text: str
    b_text: str
    delta: float | None = Field(description="b's value less a's (null when binned or censored)")


class PlotOut(Schema):
    assays: list[PlotAssayOut]
    assay: UUID | None
    properties: dict[str, str]
    points: list[PlotPointOut]
    compounds: int = Field(description="Compounds of the project considered")
    truncated: bool = Field(description="More compounds than a plot draws")
    pairs: list[PairOut] | None


@series_router.get(
    "/projects/{project_id}/sar/plot",
    response=PlotOut,
    tags=["sar"],
    operation_id=PUBLISHED + "plot",
)
def plot(request: AuthenticatedRequest, project_id: UUID, params: Query[PlotParams]):
    """The points of the SAR plots for one assay, following the sharing rules: a binned
    assay's points carry only their category, never a number."""
    project = project_for(request, project_id)
    return plots.plot_data(
        request.user,
        project,
        assay_id=str(params.assay) if params.assay else None,
        as_partner=access.partner_of(project, params.as_partner, field="as_partner"),
        pairs=params.pairs,
    )
