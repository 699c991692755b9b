"""JSON API for concerns: list, raise, read, move along the life cycle, assign, comment, figures.

A confidential concern's raiser (and their comments) reads "Confidential reporter"
for everyone who may not know them: `raised_by` is null and no username is given.
"""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cobench.api.concurrency import set_etag
from cobench.api.schemas import Input, OrgRef
from cobench.core.access import get_visible
from cobench.tenancy.access import (
    AuthenticatedRequest,
    membership,
    organization_or_422,
    project_for,
)
from cobench.tenancy.models import Project

from . import services
from .models import Comment, Concern

router = Router(tags=["concerns"])

Category = Literal["technical", "timeline", "quality", "safety", "communication", "ip", "other"]
Severity = Literal["low", "medium", "high", "critical"]
StateName = Literal["open", "acknowledged", "in_progress", "resolved", "closed"]
Note = Field("", max_length=2000)


def _member(request: AuthenticatedRequest, project_id: Any) -> Any:
    """The caller's membership of a project, cached on the request."""
    cache = request.__dict__.setdefault("_concern_members", {})
    if project_id not in cache:
        cache[project_id] = membership(request.user, Project(pk=project_id))
    return cache[project_id]


class ConcernPersonRef(Schema):
    username: str
    name: str


class EscalationOut(Schema):
    from_level: int
    to_level: int
    missed: Literal["acknowledgement", "resolution"]
    deadline: datetime
    escalated_at: datetime


class ConcernOut(Schema):
    id: UUID
    project_id: UUID
    number: int
    title: str
    description: str
    category: Category
    severity: Severity
    state: StateName
    link: str
    meeting_id: UUID | None
    addressed_to: OrgRef
    confidential: bool
    raised_by: ConcernPersonRef | None = Field(
        description="Who raised it; null when confidential and not yours to know"
    )
    raised_by_label: str = Field(description='The raiser\'s name, or "Confidential reporter"')
    raised_by_organization: OrgRef = Field(alias="raised_by_org")
    owner: ConcernPersonRef | None
    due_date: date | None
    resolution: str
    raised_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    level: int = Field(description="The escalation ladder's level it is at")
    response_due: datetime | None = Field(
        description="When the awaited acknowledgement or resolution is due"
    )
    escalations: list[EscalationOut]
    version: int

    @staticmethod
    def resolve_raised_by(concern: Concern, context: dict[str, Any]) -> dict | None:
        request = context["request"]
        if not services.sees_raiser(request.user, concern, _member(request, concern.project_id)):
            return None
        return {"username": concern.raised_by.username, "name": concern.raised_by.display_name}

    @staticmethod
    def resolve_raised_by_label(concern: Concern, context: dict[str, Any]) -> str:
        request = context["request"]
        return services.raiser_label(request.user, concern, _member(request, concern.project_id))

    @staticmethod
    def resolve_owner(concern: Concern) -> dict | None:
        owner = concern.owner
        return {"username": owner.username, "name": owner.display_name} if owner else None

    @staticmethod
    def resolve_response_due(concern: Concern) -> datetime | None:
        return services.deadline(concern)

    @staticmethod
    def resolve_escalations(concern: Concern) -> list:
        return list(concern.escalations.all())


class ConcernIn(Input):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=20_000)
    category: Category
    severity: Severity
    confidential: bool = Field(
        False, description="Hide who raised it from the other organization and executives"
    )
    addressed_to_id: UUID | None = Field(
        None, description="The organization to respond (default: the other side)"
    )
    link: str = Field("", max_length=500, description="A web address or a cobench page")
    meeting_id: UUID | None = Field(None, description="A meeting of the same project")


class ConcernNoteIn(Input):
    note: str = Note
    version: int | None = Field(None, ge=1, description="The version you read (optional check)")


class ResolveIn(Input):
    resolution: str = Field(min_length=1, max_length=20_000)
    version: int | None = Field(None, ge=1)


class ReopenIn(Input):
    reason: str = Field(min_length=1, max_length=2000)
    to: Literal["open", "in_progress"] = "open"
    version: int | None = Field(None, ge=1)


class AssignIn(Input):
    owner: str | None = Field(None, max_length=150, description="A member's username; null: none")
    due_date: date | None = None
    reason: str = Note
    version: int | None = Field(None, ge=1)


class CommentOut(Schema):
    id: UUID
    author: ConcernPersonRef | None = Field(description="null for a confidential raiser's comments")
    author_label: str
    body: str
    created_at: datetime

    @staticmethod
    def resolve_author(comment: Comment, context: dict[str, Any]) -> dict | None:
        label = CommentOut.resolve_author_label(comment, context)
        if label == services.HIDDEN:
            return None
        return {"username": comment.author.username, "name": comment.author.display_name}

    @staticmethod
    def resolve_author_label(comment: Comment, context: dict[str, Any]) -> str:
        request = context["request"]
        member = _member(request, comment.concern.project_id)
        return services.author_label(request.user, comment, member)


class CommentIn(Input):
    body: str = Field(min_length=1, max_length=20_000)


class FiguresOut(Schema):
    organization: OrgRef
    concerns: int = Field(description="Concerns addressed to it")
    active: int = Field(description="Of which open, acknowledged or in progress")
    median_hours_to_acknowledge: float | None
    median_hours_to_resolve: float | None
    breaches: int = Field(description="Escalations of concerns addressed to it")


class ConcernFilters(Schema):
    state: StateName | Literal["active"] | None = None
    severity: Severity | None = None
    category: Category | None = None


def _concerns():
    return Concern.objects.select_related(
        "project", "raised_by", "raised_by_org", "addressed_to", "owner"
    ).prefetch_related("escalations")


def _concern(request: AuthenticatedRequest, concern_id: UUID) -> Concern:
    return get_visible(_concerns(), request.user, pk=concern_id)


def _answer(request: AuthenticatedRequest, concern: Concern, response: HttpResponse) -> Concern:
    concern = _concern(request, concern.pk)
    set_etag(response, concern.version)
    return concern


@router.get("/projects/{project_id}/concerns", response=list[ConcernOut])
@paginate
def list_concerns(request: AuthenticatedRequest, project_id: UUID, filters: Query[ConcernFilters]):
    """The project's concerns, newest first; filter by state (or `active`), severity, category."""
    project = project_for(request, project_id)
    return services.filtered(
        _concerns().visible_to(request.user).filter(project=project),
        **{k: v or "" for k, v in filters.dict().items()},
    )


@router.post("/projects/{project_id}/concerns", response={201: ConcernOut})
def raise_concern(
    request: AuthenticatedRequest, project_id: UUID, payload: ConcernIn, response: HttpResponse
):
    """Raise a concern; with `confidential`, the other side and executives do not see who."""
    project = project_for(request, project_id)
    addressed_to = None
    if payload.addressed_to_id is not None:
        addressed_to = organization_or_422(
            payload.addressed_to_id,
            field="addressed_to_id",
            error="Not the sponsor or a current partner.",
        )
    concern = services.raise_concern(
        actor=request.user,
        project=project,
        title=payload.title,
        description=payload.description,
        category=payload.category,
        severity=payload.severity,
        confidential=payload.confidential,
        addressed_to=addressed_to,
        link=payload.link,
        meeting_id=payload.meeting_id,
    )
    return Status(201, _answer(request, concern, response))


@router.get("/projects/{project_id}/concerns/figures", response=list[FiguresOut])
def concern_figures(request: AuthenticatedRequest, project_id: UUID):
    """Per organization: median hours to acknowledge and resolve the concerns addressed to it,
    and its breaches (escalations)."""
    project = project_for(request, project_id)
    return services.response_figures(project, request.user)


@router.get("/concerns/{concern_id}", response=ConcernOut)
def get_concern(request: AuthenticatedRequest, concern_id: UUID, response: HttpResponse):
    concern = _concern(request, concern_id)
    set_etag(response, concern.version)
    return concern


@router.post("/concerns/{concern_id}/acknowledge", response=ConcernOut)
def acknowledge(
    request: AuthenticatedRequest, concern_id: UUID, payload: ConcernNoteIn, response: HttpResponse
):
    """Acknowledge an open concern: its resolution clock starts."""
    concern = services.acknowledge_concern(
        actor=request.user,
        concern=_concern(request, concern_id),
        note=payload.note,
        expected_version=payload.version,
    )
    return _answer(request, concern, response)


@router.post("/concerns/{concern_id}/start", response=ConcernOut)
def start(
    request: AuthenticatedRequest, concern_id: UUID, payload: ConcernNoteIn, response: HttpResponse
):
    """Start work on an acknowledged concern."""
    concern = services.start_concern(
        actor=request.user,
        concern=_concern(request, concern_id),
        note=payload.note,
        expected_version=payload.version,
    )
    return _answer(request, concern, response)


@router.post("/concerns/{concern_id}/resolve", response=ConcernOut)
def resolve(
    request: AuthenticatedRequest, concern_id: UUID, payload: ResolveIn, response: HttpResponse
):
    """Resolve an acknowledged or in-progress concern with a written resolution."""
    concern = services.resolve_concern(
        actor=request.user,
        concern=_concern(request, concern_id),
        resolution=payload.resolution,
        expected_version=payload.version,
    )
    return _answer(request, concern, response)


@router.post("/concerns/{concern_id}/close", response=ConcernOut)
def close(
    request: AuthenticatedRequest, concern_id: UUID, payload: ConcernNoteIn, response: HttpResponse
):
    """Close a resolved concern."""
    concern = services.close_concern(
        actor=request.user,
        concern=_concern(request, concern_id),
        note=payload.note,
        expected_version=payload.version,
    )
    return _answer(request, concern, response)


@router.post("/concerns/{concern_id}/reopen", response=ConcernOut)
def reopen(
    request: AuthenticatedRequest, concern_id: UUID, payload: ReopenIn, response: HttpResponse
):
    """Reopen a resolved or closed concern as open or in progress, saying why."""
    concern = services.reopen_concern(
        actor=request.user,
        concern=_concern(request, concern_id),
        reason=payload.reason,
        to=payload.to,
        expected_version=payload.version,
    )
    return _answer(request, concern, response)


@router.post("/concerns/{concern_id}/assign", response=ConcernOut)
def assign(
    request: AuthenticatedRequest, concern_id: UUID, payload: AssignIn, response: HttpResponse
):
    """Set the concern's owner (a member's username, or null) and due date."""
    concern = _concern(request, concern_id)
    owner = services.owner_by_username(concern.project, payload.owner) if payload.owner else None
    concern = services.assign_concern(
        actor=request.user,
        concern=concern,
        owner=owner,
        due_date=payload.due_date,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _answer(request, concern, response)


@router.get("/concerns/{concern_id}/comments", response=list[CommentOut])
@paginate
def list_comments(request: AuthenticatedRequest, concern_id: UUID):
    """The concern's thread, oldest first."""
    concern = _concern(request, concern_id)
    return concern.comments.select_related("author", "concern").order_by("created_at")


@router.post("/concerns/{concern_id}/comments", response={201: CommentOut})
def add_comment(request: AuthenticatedRequest, concern_id: UUID, payload: CommentIn):
    """Add a comment to the concern's thread."""
    comment = services.comment_on_concern(
        actor=request.user, concern=_concern(request, concern_id), body=payload.body
    )
    return Status(201, comment)
