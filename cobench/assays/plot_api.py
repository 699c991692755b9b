"""JSON API for chemical series and the SAR plots' data.

Series: list and define a project's series, read one with its members (tagged by
hand or matching the core), tag and untag compounds. Plot data comes from
`plots.plot_data`, built on the SAR table, so every value follows the sharing rules.
"""

from datetime import datetime
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status

from cobench.api.schemas import Input
from cobench.compounds.models import Compound
from cobench.core.access import get_visible
from cobench.tenancy.access import AuthenticatedRequest, project_for

from . import plots, sharing
from . import series as services
from .models import Series

router = Router(tags=["series"])


class ChemicalSeriesOut(Schema):
    id: UUID
    project_id: UUID
    name: str
    core: str = Field(description="SMILES or SMARTS core; empty: tagged by hand only")
    description: str
    created_at: datetime


class SeriesCompoundOut(Schema):
    compound_id: UUID
    registry_id: str
    smiles: str
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
    compounds = (
        Compound.objects.in_project(series.project)
        .filter(pk__in=found.compounds)
        .order_by("number")
        .values("id", "registry_id", "smiles")
    )
    return {
        **{f: getattr(series, f) for f in ChemicalSeriesOut.model_fields},
        "members": [
            {
                "compound_id": c["id"],
                "registry_id": c["registry_id"],
                "smiles": c["smiles"],
                "tagged": c["id"] in found.tagged,
                "matches_core": c["id"] in found.by_core,
            }
            for c in compounds
        ],
        "partial": found.partial,
    }


@router.get("/projects/{project_id}/series", response=list[ChemicalSeriesOut])
def list_series(request: AuthenticatedRequest, project_id: UUID):
    """The project's chemical series, by name."""
    project = project_for(request, project_id)
    return Series.objects.visible_to(request.user).filter(project=project).order_by("name")


@router.post("/projects/{project_id}/series", response={201: ChemicalSeriesDetailOut})
def create_series(request: AuthenticatedRequest, project_id: UUID, payload: ChemicalSeriesIn):
    """Define a series: a name and optionally a core (SMILES or SMARTS) whose matches join it."""
    project = project_for(request, project_id)
    series = services.create_series(actor=request.user, project=project, **payload.dict())
    return Status(201, _detail(request, series))


@router.get("/series/{chemical_series_id}", response=ChemicalSeriesDetailOut)
def get_series(request: AuthenticatedRequest, chemical_series_id: UUID):
    """A series with its members: tagged by hand or matching its core."""
    return _detail(request, _get(request, chemical_series_id))


@router.patch("/series/{chemical_series_id}", response=ChemicalSeriesDetailOut)
def update_series(
    request: AuthenticatedRequest, chemical_series_id: UUID, payload: ChemicalSeriesPatch
):
    """Rename a series, change its core or description (fields left out stay)."""
    series = services.update_series(
        actor=request.user, series=_get(request, chemical_series_id), **payload.dict()
    )
    return _detail(request, series)


@router.post("/series/{chemical_series_id}/members", response=ChemicalSeriesDetailOut)
def tag(request: AuthenticatedRequest, chemical_series_id: UUID, payload: SeriesTagIn):
    """Tag a compound of the project (by registry id) with the series."""
    series = _get(request, chemical_series_id)
    services.tag_compound(actor=request.user, series=series, compound=payload.registry_id)
    return _detail(request, series)


@router.delete("/series/{chemical_series_id}/members", response=ChemicalSeriesDetailOut)
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
    mw: float
    clogp: float
    tpsa: float
    hbd: int
    hba: int
    rotatable_bonds: int
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


@router.get("/projects/{project_id}/sar/plot", response=PlotOut, tags=["sar"])
def plot(request: AuthenticatedRequest, project_id: UUID, params: Query[PlotParams]):
    """The points of the SAR plots for one assay, following the sharing rules: a binned
    assay's points carry only their category, never a number."""
    project = project_for(request, project_id)
    return plots.plot_data(
        request.user,
        project,
        assay_id=str(params.assay) if params.assay else None,
        as_partner=sharing.partner_of(project, params.as_partner, field="as_partner"),
        pairs=params.pairs,
    )
