"""JSON API for status documents: list, read, save a version, history and comparison."""

from datetime import datetime
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cobench.api.concurrency import expected_version, set_etag
from cobench.api.schemas import Input, OrgRef
from cobench.core.access import get_visible
from cobench.core.errors import InvalidInput, NotFound
from cobench.tenancy.access import AuthenticatedRequest, project_for

from . import services
from .models import MAX_SECTION, StatusDocument, StatusVersion

router = Router(tags=["status"])

Text = Field("", max_length=MAX_SECTION)


class SectionsOut(Schema):
    progress: str
    next_steps: str
    risks: str = Field(description="Risks and issues")
    asks: str = Field(description="Asks of the sponsor")


class StatusVersionSummary(Schema):
    number: int
    created_by: str
    created_by_time_zone: str
    created_at: datetime
    changed: list[str] = Field(description="The sections that differ from the previous version")


class StatusVersionOut(StatusVersionSummary):
    document_id: UUID
    sections: SectionsOut


class FreshnessOut(Schema):
    state: str = Field(description="fresh, stale, not written, no cadence or former partner")
    stale: bool
    cadence_days: int | None = Field(description="From the charter; none: never stale")
    due_at: datetime | None = Field(description="When the current version goes stale")
    age_days: float | None


class DocumentSummary(Schema):
    id: UUID | None = Field(description="None while the partner has not written one")
    project_id: UUID
    organization: OrgRef
    version: int
    updated_at: datetime | None
    updated_by: str | None
    freshness: FreshnessOut


class DocumentOut(DocumentSummary):
    current: StatusVersionOut | None


class SectionsIn(Input):
    progress: str = Text
    next_steps: str = Text
    risks: str = Text
    asks: str = Text


class SaveIn(SectionsIn):
    base_version: int | None = Field(
        None, ge=0, description="The version number you edited; or send its ETag as If-Match"
    )


class SectionDiff(Schema):
    section: str
    label: str
    changed: bool
    old: str
    new: str
    pieces: list[dict[str, str]] = Field(description="Word runs: op equal, delete or insert")


class StatusComparisonOut(Schema):
    old: int
    new: int
    sections: list[SectionDiff]


def _version(version: StatusVersion) -> dict:
    return {
        "number": version.number,
        "created_by": version.created_by_label,
        "created_by_time_zone": version.created_by_time_zone,
        "created_at": version.created_at,
        "changed": version.changed,
        "document_id": version.document_id,
        "sections": version.sections(),
    }


def _summary(row: services.Freshness) -> dict:
    current = row.current
    return {
        "id": row.document.pk if row.document else None,
        "project_id": row.project.pk,
        "organization": {"id": row.organization.pk, "name": row.organization.name},
        "version": current.number if current else 0,
        "updated_at": current.created_at if current else None,
        "updated_by": current.created_by_label if current else None,
        "freshness": {
            "state": row.label,
            "stale": row.is_stale,
            "cadence_days": row.cadence_days,
            "due_at": row.due_at,
            "age_days": round(row.age.total_seconds() / 86400, 2) if row.age else None,
        },
        "current": _version(current) if current else None,
    }


def _document(request: AuthenticatedRequest, document_id: UUID) -> StatusDocument:
    return get_visible(
        StatusDocument.objects.select_related("project", "organization"),
        request.user,
        pk=document_id,
    )


def _numbered(document: StatusDocument, number: int) -> StatusVersion:
    version = document.versions.filter(number=number).first()
    if version is None:
        raise NotFound(f"This status document has no version {number}.")
    return version


@router.get("/projects/{project_id}/status-documents", response=list[DocumentSummary])
def list_documents(request: AuthenticatedRequest, project_id: UUID):
    """One entry per partner: its document's current version and freshness (or none yet)."""
    project = project_for(request, project_id)
    return [_summary(row) for row in services.project_freshness(project, seen_by=request.user)]


@router.post("/projects/{project_id}/status-documents", response={201: DocumentOut})
def start_document(
    request: AuthenticatedRequest, project_id: UUID, payload: SectionsIn, response: HttpResponse
):
    """Write version 1 of your organization's status document (partners only)."""
    project = project_for(request, project_id)
    version = services.start_status(
        actor=request.user, project=project, sections=payload.model_dump()
    )
    set_etag(response, version.number)
    return Status(201, _summary(services.document_freshness(version.document)))


@router.get("/status-documents/{document_id}", response=DocumentOut)
def get_document(request: AuthenticatedRequest, document_id: UUID, response: HttpResponse):
    """The current version and freshness; the ETag is the version to send back when saving."""
    document = _document(request, document_id)
    set_etag(response, document.version)
    return _summary(services.document_freshness(document))


@router.post("/status-documents/{document_id}/versions", response={201: DocumentOut})
def save_version(
    request: AuthenticatedRequest, document_id: UUID, payload: SaveIn, response: HttpResponse
):
    """Save the next version: all four sections; a stale base version (or If-Match) gets 412."""
    document = _document(request, document_id)
    version = services.save_status(
        actor=request.user,
        document=document,
        sections=payload.model_dump(exclude={"base_version"}),
        base_number=expected_version(request, payload.base_version),
    )
    set_etag(response, version.number)
    return Status(201, _summary(services.document_freshness(version.document)))


@router.get("/status-documents/{document_id}/versions", response=list[StatusVersionSummary])
@paginate
def list_versions(request: AuthenticatedRequest, document_id: UUID):
    """Every version, newest first: who saved it, when, and which sections changed."""
    document = _document(request, document_id)
    return [_version(v) for v in document.versions.order_by("-number")]


@router.get("/status-documents/{document_id}/versions/{version_number}", response=StatusVersionOut)
def get_version(request: AuthenticatedRequest, document_id: UUID, version_number: int):
    return _version(_numbered(_document(request, document_id), version_number))


@router.get("/status-documents/{document_id}/compare", response=StatusComparisonOut)
def compare(
    request: AuthenticatedRequest,
    document_id: UUID,
    old: int | None = Query(None, ge=0, description="Default: the version before `new`"),
    new: int | None = Query(None, ge=1, description="Default: the current version"),
):
    """Section-by-section differences between two versions (0 is the empty document)."""
    document = _document(request, document_id)
    if document.version == 0:
        raise NotFound("This status document has no version yet.")
    new_number = new if new is not None else document.version
    old_number = old if old is not None else new_number - 1
    for name, number in (("old", old_number), ("new", new_number)):
        if number > document.version:
            raise InvalidInput(
                f"This status document has no version {number}.",
                errors={name: [f"Between {0 if name == 'old' else 1} and {document.version}."]},
            )
    new_version = _numbered(document, new_number)
    old_version = _numbered(document, old_number) if old_number else None
    return {
        "old": old_number,
        "new": new_version.number,
        "sections": [
            {
                "section": s.name,
                "label": s.label,
                "changed": s.changed,
                "old": s.old,
                "new": s.new,
                "pieces": [{"op": p.op, "text": p.text} for p in s.pieces],
            }
            for s in services.compare_versions(old_version, new_version)
        ],
    }
