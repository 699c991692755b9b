"""JSON API for the SAR table, its exports and the sponsor's sharing rules.

The table comes from `sar.table`, so a partner's columns follow the sharing rules: a
binned assay's cells carry only their label (`value` is null). `as_partner` (an
organization id) shows the table as that partner sees it: the sponsor's people only.
"""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from cobench.api.schemas import Input, OrgRef
from cobench.core.access import get_visible
from cobench.tenancy.access import AuthenticatedRequest, project_for
from cobench.tenancy.models import Project

from . import sar, sharing
from .models import Assay, SharingRule

router = Router(tags=["sar"])


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
        "as_partner": sharing.partner_of(project, params.as_partner, field="as_partner"),
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
    partner = sharing.partner_of(project, data.partner_id, field="partner_id")
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
