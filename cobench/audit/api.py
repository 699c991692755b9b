"""JSON API for the audit trail: the history of any object, and of a whole project."""

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate

from cobench.core.errors import NotFound
from cobench.tenancy.access import AuthenticatedRequest, project_for

from .models import AuditEvent
from .services import actor_shown, without_structures

router = Router(tags=["audit"])


class EventOut(Schema):
    id: UUID
    seq: int
    created_at: datetime
    actor: str = Field(
        description="Who did it (a confidential reporter shows only to those allowed)"
    )
    organization: str = Field(alias="organization_label")
    event: str
    target_type: str
    target_id: str
    target: str = Field(alias="target_label")
    changes: dict[str, Any]
    reason: str
    request_id: str
    hash: str

    @staticmethod
    def resolve_actor(event: AuditEvent, context: dict[str, Any]) -> str:
        request = context["request"]
        cache = request.__dict__.setdefault("_audit_members", {})
        return actor_shown(request.user, event, cache)


@router.get("/audit/{target_type}/{target_id}", response=list[EventOut])
@paginate
def object_history(
    request: AuthenticatedRequest,
    target_id: UUID,
    target_type: str = Path(..., pattern=r"^[a-z_]{1,40}\.[a-z_]{1,40}$"),
):
    """Every change to one object, oldest first (e.g. `charters.charterversion`)."""
    events = AuditEvent.objects.about(request.user, target_type, target_id)
    if not events.exists():
        raise NotFound()
    events = events.order_by("seq")
    events.shown = lambda rows: without_structures(request.user, rows)  # type: ignore[attr-defined]  # read by the paginator
    return events


@router.get("/projects/{project_id}/audit", response=list[EventOut])
@paginate
def project_history(request: AuthenticatedRequest, project_id: UUID):
    """Every change in the project, newest first."""
    project = project_for(request, project_id)
    events = (
        AuditEvent.objects.visible_to(request.user).filter(project_id=project.pk).order_by("-seq")
    )
    events.shown = lambda rows: without_structures(request.user, rows)  # type: ignore[attr-defined]  # read by the paginator
    return events
