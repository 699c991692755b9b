"""JSON API for charter versions: list, write, read, compare and sign."""

from datetime import datetime
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from cobench.api.concurrency import expected_version, set_etag
from cobench.api.schemas import Input
from cobench.core.access import get_visible
from cobench.core.errors import InvalidInput, NotFound
from cobench.tenancy.access import AuthenticatedRequest, project_for

from . import services
from .content import CharterContent
from .models import CharterVersion

router = Router(tags=["charter"])


class SignatureOut(Schema):
    signer_name: str
    organization: str
    side: str
    role: str
    meaning: str
    signed_at: datetime


class CharterVersionSummary(Schema):
    id: UUID
    number: int
    reason: str
    created_by: str
    created_at: datetime
    signed_at: datetime | None


class CharterVersionOut(CharterVersionSummary):
    project_id: UUID
    state: str = Field(description="draft, partly signed, signed or superseded")
    is_latest: bool
    content: CharterContent
    gaps: list[str] = Field(description="What the charter does not yet answer")
    signatures: list[SignatureOut]
    awaiting_signature_from: list[str]


class VersionIn(Input):
    content: CharterContent
    reason: str = Field(min_length=1, max_length=2000)
    base_version: int | None = Field(
        None, ge=0, description="The version number you edited (0 for the first); or If-Match"
    )


class SignIn(Input):
    password: str = Field(min_length=1, max_length=4096)
    meaning: str = Field(min_length=1, max_length=500, examples=["Approved as sponsor lead"])


class Difference(Schema):
    field: str
    old: object | None
    new: object | None


class CharterComparisonOut(Schema):
    old: int
    new: int
    differences: list[Difference]


def _summary(version: CharterVersion) -> dict:
    return {
        "id": version.id,
        "number": version.number,
        "reason": version.reason,
        "created_by": version.created_by_label,
        "created_at": version.created_at,
        "signed_at": version.signed_at,
    }


def _full(version: CharterVersion) -> dict:
    state = services.charter_state(version)
    return {
        **_summary(version),
        "project_id": version.project_id,
        "state": state.label,
        "is_latest": state.is_latest,
        "content": version.parsed,
        "gaps": state.gaps,
        "signatures": [
            {
                "signer_name": s.signer_name,
                "organization": s.organization.name,
                "side": s.side,
                "role": s.role,
                "meaning": s.meaning,
                "signed_at": s.signed_at,
            }
            for s in state.signatures
        ],
        "awaiting_signature_from": [org.name for org in state.awaiting],
    }


def _visible_version(request: AuthenticatedRequest, version_id: UUID) -> CharterVersion:
    return get_visible(
        CharterVersion.objects.select_related("project"), request.user, pk=version_id
    )


@router.get("/projects/{project_id}/charter/versions", response=list[CharterVersionSummary])
@paginate
def list_versions(request: AuthenticatedRequest, project_id: UUID):
    """Every version of the project's charter, newest first."""
    project = project_for(request, project_id)
    versions = CharterVersion.objects.visible_to(request.user).filter(project=project)
    return [_summary(v) for v in versions.order_by("-number")]


@router.get("/projects/{project_id}/charter", response=CharterVersionOut)
def current_version(request: AuthenticatedRequest, project_id: UUID, response: HttpResponse):
    """The latest version; its ETag is the number to send back when editing."""
    project = project_for(request, project_id)
    version = services.latest_version(project)
    if version is None:
        raise NotFound("This project has no charter yet.")
    set_etag(response, version.number)
    return _full(version)


@router.post("/projects/{project_id}/charter/versions", response={201: CharterVersionOut})
def create_version(
    request: AuthenticatedRequest, project_id: UUID, payload: VersionIn, response: HttpResponse
):
    """Write the next version; a stale `base_version` (or If-Match) gets 412."""
    project = project_for(request, project_id)
    version = services.revise_charter(
        actor=request.user,
        project=project,
        content=payload.content,
        reason=payload.reason,
        base_number=expected_version(request, payload.base_version),
    )
    set_etag(response, version.number)
    return Status(201, _full(version))


@router.get("/charter-versions/{version_id}", response=CharterVersionOut)
def get_version(request: AuthenticatedRequest, version_id: UUID):
    return _full(_visible_version(request, version_id))


@router.get("/charter-versions/{version_id}/compare/{other_id}", response=CharterComparisonOut)
def compare_versions(request: AuthenticatedRequest, version_id: UUID, other_id: UUID):
    """Field-by-field differences from one version to another of the same project."""
    old, new = _visible_version(request, version_id), _visible_version(request, other_id)
    if old.project_id != new.project_id:
        raise InvalidInput(
            "Both versions must belong to the same project.",
            errors={"other_id": ["A version of another project."]},
        )
    return {
        "old": old.number,
        "new": new.number,
        "differences": services.compare_versions(old, new),
    }


@router.post("/charter-versions/{version_id}/sign", response={201: CharterVersionOut})
def sign_version(request: AuthenticatedRequest, version_id: UUID, payload: SignIn):
    """Sign for your organization: re-enter your password and state what the signature means."""
    version = _visible_version(request, version_id)
    services.sign_charter(
        actor=request.user, version=version, password=payload.password, meaning=payload.meaning
    )
    version.refresh_from_db()
    return Status(201, _full(version))
