"""JSON API for the compound registry: register, list and read compounds, lots, files, shipments.

A compound is reached through a project (its lots, files and shipments are that
project's); `GET /compounds/{id}` shows the lots of every project of the caller's.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.db.models import F
from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cobench.api.concurrency import expected_version, set_etag
from cobench.api.schemas import Input, OrgRef
from cobench.core import attachments
from cobench.core.access import get_visible
from cobench.core.errors import InvalidInput
from cobench.tenancy.access import AuthenticatedRequest, organization_or_422, project_for
from cobench.tenancy.models import Organization

from . import imports, services
from .models import Compound, Lot, LotFile, Shipment

router = Router(tags=["compounds"])

Unit = Literal["mg", "g", "kg"]
Kind = Literal["nmr", "lcms", "certificate", "other"]
Condition = Literal["good", "damaged", "temperature_excursion", "leaked", "other"]
MAX_IDS = 1000


class PropertiesOut(Schema):
    formula: str
    mw: float
    exact_mass: float
    clogp: float
    tpsa: float
    hbd: int
    hba: int
    rotatable_bonds: int
    rings: int
    lipinski_violations: int


CODED = (
    "; empty for a coded sample (`coded`: the sponsor shares the compound with your "
    "organization blinded)"
)


class CompoundOut(Schema):
    id: UUID
    registry_id: str
    coded: bool = Field(
        False,
        description="A coded sample: the sponsor shares it with your organization blinded, "
        "so its structure, identifiers and computed properties are not shown",
    )
    smiles: str = Field(description="Canonical SMILES of the standardized parent" + CODED)
    inchi: str = Field(description="InChI" + CODED)
    inchikey: str = Field(description="InChIKey" + CODED)
    registration_key: str = Field(description="The registry's key of the structure" + CODED)
    properties: PropertiesOut | None = Field(description="Computed properties; null if coded")
    stereo: dict
    warnings: list[str]
    versions: dict[str, str]
    created_at: datetime

    @staticmethod
    def resolve_coded(compound: Compound) -> bool:
        return bool(getattr(compound, "coded", False))

    @staticmethod
    def resolve_properties(compound: Compound) -> Compound | None:
        return None if getattr(compound, "coded", False) else compound


class ShipmentOut(Schema):
    id: UUID
    lot_id: UUID
    number: int
    from_org: OrgRef
    to_org: OrgRef
    carrier: str
    tracking_number: str
    sent_at: datetime
    sent_by: str = Field(alias="sent_by_label")
    received_at: datetime | None
    received_by: str = Field(alias="received_by_label")
    condition: str
    condition_notes: str


class LotOut(Schema):
    id: UUID
    project_id: UUID
    compound_id: UUID
    registry_id: str = Field(alias="compound.registry_id")
    lot_number: str
    producer: OrgRef
    produced_on: date
    purity: Decimal | None
    amount: Decimal | None
    amount_unit: Unit
    appearance: str
    salt_form: str
    removed_fragments: list[str]
    structure: str = Field(description="The structure as submitted" + CODED)
    notes: str
    registered_by: str = Field(alias="registered_by_label")
    created_at: datetime
    held_by: OrgRef
    shipments: list[ShipmentOut]
    version: int

    @staticmethod
    def resolve_held_by(lot: Lot) -> Organization:
        return services.custodian(lot)

    @staticmethod
    def resolve_shipments(lot: Lot) -> list:
        return list(lot.shipments.select_related("from_org", "to_org"))


class CompoundDetailOut(CompoundOut):
    molblock: str = Field(description="The parent as a molfile" + CODED)
    lots: list[LotOut] = Field(description="Its lots in the projects you are a member of")

    @staticmethod
    def resolve_lots(compound: Compound, context: dict) -> list:
        user = context["request"].user
        lots = Lot.objects.visible_to(user).filter(compound=compound)
        return services.blind_lots(
            user, lots.select_related("producer", "compound").order_by("number")
        )


class RegistrationOut(Schema):
    created: bool = Field(description="Whether the structure was new to the sponsor's registry")
    compound: CompoundOut
    lot: LotOut
    warnings: list[str]


class LotFields(Input):
    produced_on: date | None = None
    purity: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    amount: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=3)
    amount_unit: Unit = "mg"
    appearance: str = Field("", max_length=200)
    salt_form: str = Field("", max_length=200, description="Default: the fragments removed")
    notes: str = Field("", max_length=20_000)


class RegisterIn(LotFields):
    structure: str = Field(
        min_length=1,
        max_length=services.MAX_STRUCTURE_CHARS,
        description="A SMILES or a molfile (V2000 or V3000)",
    )


class LotPatch(Input):
    produced_on: date | None = None
    purity: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    amount: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=3)
    amount_unit: Unit | None = None
    appearance: str | None = Field(None, max_length=200)
    salt_form: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=20_000)
    version: int | None = Field(None, ge=1, description="The version you read (or If-Match)")


class ShipIn(Input):
    to_organization_id: UUID
    carrier: str = Field(min_length=1, max_length=100)
    tracking_number: str = Field("", max_length=100)
    sent_at: datetime | None = Field(None, description="Default: now")


class ReceiveIn(Input):
    condition: Condition
    condition_notes: str = Field("", max_length=5000, description="Required unless good")
    received_at: datetime | None = Field(None, description="Default: now")


class LotFileOut(Schema):
    id: UUID
    lot_id: UUID
    kind: Kind
    name: str = Field(alias="original_name")
    content_type: str
    size: int
    sha256: str
    uploaded_by: str = Field(alias="uploaded_by_label")
    uploaded_at: datetime


def _compound(request: AuthenticatedRequest, compound_id: UUID) -> Compound:
    return get_visible(Compound.objects, request.user, pk=compound_id)


def _lot(request: AuthenticatedRequest, lot_id: UUID) -> Lot:
    lots = Lot.objects.select_related("compound", "producer", "project")
    return get_visible(lots, request.user, pk=lot_id)


@router.post("/projects/{project_id}/compounds", response={201: RegistrationOut})
def register(request: AuthenticatedRequest, project_id: UUID, body: RegisterIn):
    """Register a structure with a new lot; a structure already registered gets the lot only.

    The structure is standardized (ChEMBL pipeline: salts and solvents stripped to
    the parent) in a separate process; unreadable structures answer 422 with RDKit's
    messages.
    """
    registration = services.register_structure(
        actor=request.user, project=project_for(request, project_id), **body.model_dump()
    )
    return Status(201, registration)


@router.get("/projects/{project_id}/compounds", response=list[CompoundOut])
@paginate
def list_compounds(
    request: AuthenticatedRequest,
    project_id: UUID,
    registry_id: str | None = Query(
        None, max_length=40, description="Exact, or a prefix (as typed or in capitals)"
    ),
    formula: str | None = Query(None, max_length=200),
):
    """The compounds registered in a project, by registry id."""
    project = project_for(request, project_id)
    compounds = Compound.objects.in_project(project, seen_by=request.user)
    if registry_id:
        compounds = compounds.by_registry_id_prefix(registry_id.strip())
    if formula:
        compounds = compounds.filter(formula=formula.strip())
    # found by a prefix: sorted after the registry-id index has found them (`number + 0`
    # is no index's order), where SQLite would rather walk an index in order, checking each
    compounds = compounds.order_by(F("number") + 0 if registry_id else "number")
    if not (registry_id or formula):
        compounds.known_count = services.registered_count(project, request.user)  # type: ignore[attr-defined]  # read by the paginator
    compounds.shown = lambda rows: services.blind(request.user, rows)  # type: ignore[attr-defined]  # read by the paginator
    return compounds


@router.get("/projects/{project_id}/compounds/export", response={200: None})
def export(
    request: AuthenticatedRequest,
    project_id: UUID,
    format: Literal["sdf", "csv"] = "sdf",
    ids: str = Query("", max_length=40_000, description="Compound ids, comma-separated; all"),
):
    """The selected compounds of a project (all when `ids` is empty) as SDF or CSV."""
    project = project_for(request, project_id)
    compounds = Compound.objects.in_project(project, seen_by=request.user).order_by("number")
    wanted = [part.strip() for part in ids.split(",") if part.strip()]
    if wanted:
        try:
            chosen = {UUID(part) for part in wanted[: MAX_IDS + 1]}
        except ValueError as exc:
            raise InvalidInput("ids must be compound ids.", errors={"ids": [str(exc)]}) from exc
        if len(chosen) > MAX_IDS:
            raise InvalidInput("Too many ids.", errors={"ids": [f"At most {MAX_IDS}."]})
        compounds = compounds.filter(pk__in=chosen)
        if compounds.count() != len(chosen):
            raise InvalidInput(
                "Some ids are not compounds of this project.",
                errors={"ids": ["Not compounds of this project."]},
            )
    rows = services.blind(request.user, compounds.prefetch_related("lots"))
    if format == "csv":
        body, content_type = services.export_csv(rows, project), "text/csv; charset=utf-8"
    else:
        body, content_type = services.export_sdf(rows, project), "chemical/x-mdl-sdfile"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{project.code}-compounds.{format}"'
    return response


@router.get("/compounds/{compound_id}", response=CompoundDetailOut)
def get_compound(request: AuthenticatedRequest, compound_id: UUID):
    """A compound: its parent structure, properties, warnings and the lots you may see (a
    coded sample without its structure and properties)."""
    return services.blind(request.user, [_compound(request, compound_id)])[0]


@router.get("/projects/{project_id}/lots", response=list[LotOut])
@paginate
def list_lots(request: AuthenticatedRequest, project_id: UUID):
    """The lots registered in a project."""
    project = project_for(request, project_id)
    lots = Lot.objects.visible_to(request.user).filter(project=project)
    lots = lots.select_related("compound", "producer").order_by("-created_at")
    lots.shown = lambda rows: services.blind_lots(request.user, rows)  # type: ignore[attr-defined]  # read by the paginator
    return lots


@router.get("/lots/{lot_id}", response=LotOut)
def get_lot(request: AuthenticatedRequest, lot_id: UUID, response: HttpResponse):
    """A lot with its chain of custody; the ETag is its version."""
    lot = _lot(request, lot_id)
    set_etag(response, lot.version)
    return services.blind_lots(request.user, [lot])[0]


@router.patch("/lots/{lot_id}", response=LotOut)
def update_lot(request: AuthenticatedRequest, lot_id: UUID, body: LotPatch, response: HttpResponse):
    """Change a lot's details; send the version you read (If-Match or `version`)."""
    lot = _lot(request, lot_id)
    fields = body.model_dump(exclude_unset=True, exclude={"version"})
    lot = services.update_lot(
        actor=request.user,
        lot=lot,
        expected_version=expected_version(request, body.version),
        **fields,
    )
    set_etag(response, lot.version)
    return services.blind_lots(request.user, [lot])[0]


@router.post("/lots/{lot_id}/shipments", response={201: ShipmentOut})
def send_lot(request: AuthenticatedRequest, lot_id: UUID, body: ShipIn):
    """Send a lot on from where it is to the sponsor or a partner of the project."""
    lot = _lot(request, lot_id)
    to_org = organization_or_422(body.to_organization_id, field="to_organization_id")
    shipment = services.send_lot(
        actor=request.user,
        lot=lot,
        to_org=to_org,
        carrier=body.carrier,
        tracking_number=body.tracking_number,
        sent_at=body.sent_at,
    )
    return Status(201, shipment)


@router.post("/shipments/{shipment_id}/receive", response=ShipmentOut)
def receive_shipment(request: AuthenticatedRequest, shipment_id: UUID, body: ReceiveIn):
    """Record a shipment's arrival and its condition (people of the receiving organization)."""
    shipment = get_visible(Shipment.objects, request.user, pk=shipment_id)
    return services.receive_shipment(actor=request.user, shipment=shipment, **body.model_dump())


@router.get("/lots/{lot_id}/files", response=list[LotFileOut])
def list_files(request: AuthenticatedRequest, lot_id: UUID):
    """A lot's analytical files."""
    return _lot(request, lot_id).files.all()


@router.post("/lots/{lot_id}/files", response={201: LotFileOut})
def upload_file(
    request: AuthenticatedRequest,
    lot_id: UUID,
    kind: Kind = Form("other"),
    file: UploadedFile = File(...),
):
    """Attach an analytical file (multipart fields `file` and `kind`); size and type checked."""
    attachment = services.attach_lot_file(
        actor=request.user, lot=_lot(request, lot_id), upload=file, kind=kind
    )
    return Status(201, attachment)


@router.get("/lot-files/{lot_file_id}", response={200: None})
def download_file(request: AuthenticatedRequest, lot_file_id: UUID):
    """The file itself, as an attachment."""
    return attachments.file_response(get_visible(LotFile.objects, request.user, pk=lot_file_id))


# Bulk import ------------------------------------------------------------------------------


class ImportJobOut(Schema):
    id: UUID
    project_id: UUID
    file: str = Field(alias="original_name")
    size: int
    sha256: str
    format: Literal["sdf", "smiles", "csv"]
    smiles_column: str
    mapping: dict[str, str]
    state: Literal["uploaded", "checking", "checked", "queued", "running", "done", "failed"]
    records: int
    done_through: int = Field(description="The last record committed; a resume starts after it")
    percent: int
    imported: int
    new_compounds: int
    failed: int
    check: dict = Field(alias="check_report", description="The dry run's counts (no findings)")
    message: str
    uploaded_by: str = Field(alias="uploaded_by_label")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_check_report(job: imports.ImportJob) -> dict:
        return {k: v for k, v in job.check_report.items() if k != "findings"}


class ImportCreatedOut(ImportJobOut):
    fields: list[str] = Field(description="The file's columns or SDF fields that can be mapped")

    @staticmethod
    def resolve_fields(job: imports.ImportJob) -> list[str]:
        return imports.offered_fields(job)


class CheckIn(Input):
    smiles_column: str | None = Field(None, max_length=200, description="CSV only")
    mapping: dict[str, str] | None = Field(
        None, description="File column or SDF field → lot field or `name`"
    )


def _import_job(request: AuthenticatedRequest, import_id: UUID) -> imports.ImportJob:
    jobs = imports.ImportJob.objects.select_related("project")
    return get_visible(jobs, request.user, pk=import_id)


def _parse_mapping(text: str) -> dict[str, str]:
    """`mapping` as a form field: JSON (`{"Purity": "purity"}`) or lines of `column=field`."""
    text = text.strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise InvalidInput("mapping is not JSON.", errors={"mapping": [str(exc)]}) from exc
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        raise InvalidInput("mapping is not an object.", errors={"mapping": ["An object."]})
    pairs = [line.rpartition("=") for line in text.splitlines() if line.strip()]
    return {column.strip(): target.strip() for column, _, target in pairs}


@router.post("/projects/{project_id}/compound-imports", response={201: ImportCreatedOut})
def create_import(
    request: AuthenticatedRequest,
    project_id: UUID,
    file: UploadedFile = File(...),
    format: Literal["", "sdf", "smiles", "csv"] = Form(""),
    smiles_column: str = Form("", max_length=200),
    mapping: str = Form("", max_length=20_000),
):
    """Upload an SDF, SMILES or CSV file to import (multipart): checked and counted, not imported.

    `format` defaults to what the file name says; `mapping` maps file columns (CSV)
    or data fields (SDF) to lot fields, as JSON or `column=field` lines. Then run the
    dry run (`/check`) and start it (`/start`).
    """
    job = imports.create_import(
        actor=request.user,
        project=project_for(request, project_id),
        upload=file,
        format=format,
        smiles_column=smiles_column,
        mapping=_parse_mapping(mapping),
    )
    return Status(201, job)


@router.get("/projects/{project_id}/compound-imports", response=list[ImportJobOut])
@paginate
def list_imports(request: AuthenticatedRequest, project_id: UUID):
    """A project's imports, newest first."""
    project = project_for(request, project_id)
    return imports.ImportJob.objects.visible_to(request.user).filter(project=project)


@router.get("/compound-imports/{import_id}", response=ImportJobOut)
def get_import(request: AuthenticatedRequest, import_id: UUID):
    """An import's state and progress (`done_through` of `records`, counts)."""
    return _import_job(request, import_id)


@router.post("/compound-imports/{import_id}/check", response=ImportJobOut)
def check_import(request: AuthenticatedRequest, import_id: UUID, body: CheckIn):
    """The dry run: every record parsed and standardized; errors and duplicates reported.

    Nothing is written but the report (`GET .../check`). Options given here replace
    the job's SMILES column and mapping first.
    """
    return imports.check_import(
        actor=request.user,
        job=_import_job(request, import_id),
        smiles_column=body.smiles_column,
        mapping=body.mapping,
    )


@router.get("/compound-imports/{import_id}/check", response=dict)
def check_report(request: AuthenticatedRequest, import_id: UUID):
    """The dry run's report: counts and per-record findings (errors, duplicates)."""
    return _import_job(request, import_id).check_report


@router.post("/compound-imports/{import_id}/start", response={202: ImportJobOut})
def start_import(request: AuthenticatedRequest, import_id: UUID):
    """Start (or resume) a checked import: small files at once, larger ones in the background."""
    return Status(
        202, imports.start_and_run(actor=request.user, job=_import_job(request, import_id))
    )


@router.get("/compound-imports/{import_id}/report", response=dict)
def import_report(request: AuthenticatedRequest, import_id: UUID):
    """The import's per-record report: `errors` (record, name, error) and `lots` written."""
    job = _import_job(request, import_id)
    return {"state": job.state, **(job.report or {"errors": [], "lots": []})}
