"""JSON API for assays and their results: define assays, record, read and flag results.

Every assay and result is fetched through `Assay.objects.visible_to` /
`Result.objects.visible_to`, where the sponsor's sharing rules are enforced: an assay
hidden from a partner does not exist for its people (404).
"""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cobench.api.concurrency import expected_version, set_etag
from cobench.api.schemas import Input, OrgRef
from cobench.core import attachments
from cobench.core.access import get_visible
from cobench.tenancy.access import AuthenticatedRequest, organization_or_422, project_for

from . import imports, services
from .aggregate import per_compound
from .models import Assay, AssayFile, Result

router = Router(tags=["assays"])

Kind = Literal["biochemical", "cellular", "adme", "pk", "safety", "physchem"]
Endpoint = Literal[
    "IC50",
    "EC50",
    "Ki",
    "Kd",
    "inhibition",
    "solubility",
    "clearance",
    "permeability",
    "half_life",
    "other",
]
Better = Literal["lower", "higher"]
Qualifier = Literal["=", "<", ">", "~", ""]
Flag = Literal["invalid", "outlier", ""]


class AssayOut(Schema):
    id: UUID
    project_id: UUID
    name: str
    target: str
    kind: Kind
    endpoint: Endpoint
    unit: str = Field(description="The canonical unit every value is stored in")
    concentration: str
    better: Better
    owner: OrgRef
    description: str
    created_by: str = Field(alias="created_by_label")
    created_at: datetime
    version: int


class AssayIn(Input):
    name: str = Field(min_length=1, max_length=200)
    target: str = Field("", max_length=200)
    kind: Kind
    endpoint: Endpoint
    unit: str = Field(min_length=1, max_length=40, description="A unit, e.g. nM, µg/mL, %")
    concentration: str = Field("", max_length=40)
    better: Better
    owner_id: UUID | None = Field(None, description="The organization running it; the sponsor")
    description: str = Field("", max_length=20_000)


class AssayPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    target: str | None = Field(None, max_length=200)
    kind: Kind | None = None
    endpoint: Endpoint | None = None
    unit: str | None = Field(None, min_length=1, max_length=40)
    concentration: str | None = Field(None, max_length=40)
    better: Better | None = None
    owner_id: UUID | None = None
    description: str | None = Field(None, max_length=20_000)
    version: int | None = Field(None, ge=1, description="The version you read (or If-Match)")


class ResultOut(Schema):
    id: UUID
    assay_id: UUID
    compound_id: UUID
    registry_id: str = Field(alias="compound.registry_id")
    lot_id: UUID | None
    qualifier: str
    value: float = Field(description="In the assay's unit")
    unit: str = Field(alias="assay.unit")
    entered_value: str
    entered_unit: str
    run_date: date
    experiment_id: str
    flag: str
    flag_reason: str
    created_by: str = Field(alias="created_by_label")
    created_at: datetime
    version: int


class ResultIn(Input):
    registry_id: str = Field("", max_length=40, description="The compound; or give lot_number")
    lot_number: str = Field("", max_length=50)
    value: float | str = Field(description='A number, or a text with its qualifier: "<10"')
    qualifier: Qualifier = ""
    unit: str = Field("", max_length=40, description="Default: the assay's unit")
    run_date: date | None = Field(None, description="Default: today")
    experiment_id: str = Field("", max_length=100)


class FlagIn(Input):
    flag: Flag = Field(description='"invalid", "outlier", or "" to lift the flag')
    reason: str = Field(min_length=1, max_length=5000)
    version: int | None = Field(None, ge=1)


class AggregateOut(Schema):
    compound_id: UUID
    registry_id: str
    n: int
    qualifier: str
    value: float | None
    unit: str
    sd: float | None
    p_value: float | None = Field(description="pIC50, pEC50... for potency endpoints")
    censored: int
    text: str


class AssayFileOut(Schema):
    id: UUID
    assay_id: UUID
    name: str = Field(alias="original_name")
    content_type: str
    size: int
    sha256: str
    uploaded_by: str = Field(alias="uploaded_by_label")
    uploaded_at: datetime


def _assay(request: AuthenticatedRequest, assay_id: UUID | str) -> Assay:
    assays = Assay.objects.select_related("owner", "project", "project__sponsor")
    return get_visible(assays, request.user, pk=assay_id)


def _results(request: AuthenticatedRequest, assay: Assay):
    results = Result.objects.visible_to(request.user).filter(assay=assay)
    return results.select_related("compound", "assay")


@router.get("/projects/{project_id}/assays", response=list[AssayOut])
def list_assays(request: AuthenticatedRequest, project_id: UUID):
    """The assays of a project you may see."""
    project = project_for(request, project_id)
    return Assay.objects.visible_to(request.user).filter(project=project).select_related("owner")


@router.post("/projects/{project_id}/assays", response={201: AssayOut})
def create_assay(request: AuthenticatedRequest, project_id: UUID, body: AssayIn):
    """Define an assay (sponsor lead or scientist); its unit is the one values are kept in."""
    project = project_for(request, project_id)
    owner = None
    if body.owner_id is not None:
        owner = organization_or_422(body.owner_id, field="owner_id")
    fields = body.model_dump(exclude={"owner_id"})
    assay = services.create_assay(actor=request.user, project=project, owner=owner, **fields)
    return Status(201, assay)


@router.get("/assays/{assay_id}", response=AssayOut)
def get_assay(request: AuthenticatedRequest, assay_id: UUID, response: HttpResponse):
    """An assay; the ETag is its version."""
    assay = _assay(request, assay_id)
    set_etag(response, assay.version)
    return assay


@router.patch("/assays/{assay_id}", response=AssayOut)
def update_assay(
    request: AuthenticatedRequest, assay_id: UUID, body: AssayPatch, response: HttpResponse
):
    """Change an assay; send the version you read (If-Match or `version`)."""
    assay = _assay(request, assay_id)
    fields = body.model_dump(exclude_unset=True, exclude={"version", "owner_id"})
    if body.owner_id is not None:
        fields["owner"] = organization_or_422(body.owner_id, field="owner_id")
    assay = services.update_assay(
        actor=request.user,
        assay=assay,
        expected_version=expected_version(request, body.version),
        **fields,
    )
    set_etag(response, assay.version)
    return assay


@router.get("/assays/{assay_id}/files", response=list[AssayFileOut])
def list_files(request: AuthenticatedRequest, assay_id: UUID):
    """An assay's protocol and other files."""
    return _assay(request, assay_id).files.all()


@router.post("/assays/{assay_id}/files", response={201: AssayFileOut})
def upload_file(request: AuthenticatedRequest, assay_id: UUID, file: UploadedFile = File(...)):
    """Attach a protocol (multipart field `file`); size and type checked."""
    attachment = services.attach_assay_file(
        actor=request.user, assay=_assay(request, assay_id), upload=file
    )
    return Status(201, attachment)


@router.get("/assay-files/{assay_file_id}", response={200: None})
def download_file(request: AuthenticatedRequest, assay_file_id: UUID):
    """The file itself, as an attachment."""
    attachment = get_visible(AssayFile.objects, request.user, pk=assay_file_id)
    _assay(request, attachment.assay_id)  # an assay hidden from you hides its files too
    return attachments.file_response(attachment)


@router.get("/assays/{assay_id}/results", response=list[ResultOut])
@paginate
def list_results(
    request: AuthenticatedRequest,
    assay_id: UUID,
    registry_id: str | None = Query(None, max_length=40, description="One compound's results"),
):
    """An assay's results, flagged ones included (with their flag), by compound and run date."""
    results = _results(request, _assay(request, assay_id))
    if registry_id:
        results = results.filter(compound__registry_id=registry_id.strip())
    return results


@router.post("/assays/{assay_id}/results", response={201: ResultOut})
def record_result(request: AuthenticatedRequest, assay_id: UUID, body: ResultIn):
    """Record a result (people of the assay's owner organization); converted to the assay's unit.

    Unknown or incompatible units, non-numbers and compounds of another project answer
    422 with the field at fault.
    """
    result = services.record_result(
        actor=request.user, assay=_assay(request, assay_id), **body.model_dump()
    )
    return Status(201, result)


@router.get("/assays/{assay_id}/aggregates", response=list[AggregateOut])
def list_aggregates(request: AuthenticatedRequest, assay_id: UUID):
    """One aggregated value per compound (invalid results left out; the rule: see the docs)."""
    assay = _assay(request, assay_id)
    rows = _results(request, assay).values_list(
        "compound_id", "compound__registry_id", "qualifier", "value", "flag"
    )
    aggregates = per_compound(
        (((cid, rid), q, v, f) for cid, rid, q, v, f in rows),
        endpoint=assay.endpoint,
        unit=assay.unit,
    )
    return [
        {"compound_id": cid, "registry_id": rid, **agg.__dict__, "text": agg.text}
        for (cid, rid), agg in sorted(aggregates.items(), key=lambda item: item[0][1])
    ]


@router.get("/results/{result_id}", response=ResultOut)
def get_result(request: AuthenticatedRequest, result_id: UUID, response: HttpResponse):
    """One result; the ETag is its version (a flag changes it)."""
    result = get_visible(
        Result.objects.select_related("compound", "assay"), request.user, pk=result_id
    )
    set_etag(response, result.version)
    return result


@router.post("/results/{result_id}/flag", response=ResultOut)
def flag_result(request: AuthenticatedRequest, result_id: UUID, body: FlagIn):
    """Flag a result invalid or outlier, or lift its flag (""); a reason is required."""
    result = get_visible(Result.objects, request.user, pk=result_id)
    return services.flag_result(
        actor=request.user,
        result=result,
        flag=body.flag,
        reason=body.reason,
        expected_version=body.version,
    )


# Import ------------------------------------------------------------------------------------


class ImportOut(Schema):
    id: UUID
    project_id: UUID
    assay_id: UUID | None
    file: str = Field(alias="original_name")
    size: int
    sha256: str
    format: Literal["csv", "xlsx"]
    sheet: str
    sheets: list[str]
    mapping: dict[str, str] = Field(description="target → file column")
    unit: str
    state: Literal["uploaded", "checking", "checked", "queued", "running", "done", "failed"]
    rows: int
    done_through: int = Field(description="Rows checked so far")
    percent: int
    imported: int
    check: dict = Field(
        alias="check_report",
        description="rows, valid, bad (counts); errors (row, error) and notes",
    )
    message: str
    uploaded_by: str = Field(alias="uploaded_by_label")
    created_at: datetime
    finished_at: datetime | None


def _import(request: AuthenticatedRequest, result_import_id: UUID) -> imports.ResultImport:
    jobs = imports.ResultImport.objects.select_related("project", "assay")
    return get_visible(jobs, request.user, pk=result_import_id)


@router.post("/projects/{project_id}/result-imports", response={201: ImportOut})
def create_import(
    request: AuthenticatedRequest,
    project_id: UUID,
    file: UploadedFile = File(...),
    assay_id: str = Form("", max_length=40, description="The assay of every row"),
    mapping: str = Form("", max_length=20_000, description="JSON, or target=column lines"),
    unit: str = Form("", max_length=40, description="The unit of rows without one"),
    sheet: str = Form("", max_length=200, description="Excel: the sheet (default: first)"),
):
    """Upload a CSV or Excel (.xlsx) file of results and run its dry run (nothing imported).

    Targets: registry_id, lot_number or smiles (the compound), assay (or `assay_id`
    for the file), value (a leading qualifier like "<10" is read), qualifier, unit,
    run_date, experiment_id. Unmapped targets are guessed from the column names. The
    answer's `check` lists every bad row; start the import with `/start`.
    """
    project = project_for(request, project_id)
    assay = _assay(request, assay_id) if assay_id.strip() else None
    job = imports.create_import(
        actor=request.user,
        project=project,
        upload=file,
        assay=assay,
        mapping=imports.parse_mapping(mapping),
        unit=unit,
        sheet=sheet,
    )
    return Status(201, imports.check_import(actor=request.user, job=job))


@router.get("/projects/{project_id}/result-imports", response=list[ImportOut])
@paginate
def list_imports(request: AuthenticatedRequest, project_id: UUID):
    """A project's result imports you may see (your organization's; all for the sponsor)."""
    project = project_for(request, project_id)
    return imports.ResultImport.objects.visible_to(request.user).filter(project=project)


@router.get("/result-imports/{result_import_id}", response=ImportOut)
def get_import(request: AuthenticatedRequest, result_import_id: UUID):
    """An import's state, progress (`done_through` of `rows`) and dry-run report."""
    return _import(request, result_import_id)


@router.post("/result-imports/{result_import_id}/start", response={202: ImportOut})
def start_import(request: AuthenticatedRequest, result_import_id: UUID):
    """Import a checked file: every result, or none if any row is bad (then state `failed`)."""
    job = imports.start_and_run(actor=request.user, job=_import(request, result_import_id))
    return Status(202, job)
