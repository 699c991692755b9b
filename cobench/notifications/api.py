"""JSON API for the caller's notifications and how they receive them."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from cobench.api.schemas import Input
from cobench.core.errors import NotFound
from cobench.tenancy.access import AuthenticatedRequest

from . import services
from .kinds import Delivery, Kind
from .models import Notification

router = Router(tags=["notifications"])

KindName = Literal[tuple(Kind.values)]  # type: ignore[valid-type]
DeliveryName = Literal[tuple(Delivery.values)]  # type: ignore[valid-type]


class NotificationOut(Schema):
    id: UUID
    kind: str
    title: str
    body: str
    url: str
    project_id: UUID | None
    created_at: datetime
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int


class PreferenceOut(Schema):
    kind: str
    label: str
    delivery: str


class PreferenceIn(Input):
    kind: KindName  # type: ignore[valid-type]
    delivery: DeliveryName = Field(description="immediately, daily_digest or off")  # type: ignore[valid-type]


@router.get("/notifications", response=list[NotificationOut])
@paginate
def list_notifications(request: AuthenticatedRequest, unread: bool = Query(False)):
    """The caller's notifications, newest first; `unread=true` for the unread ones."""
    notes = Notification.objects.for_user(request.user)
    return notes.unread() if unread else notes


@router.get("/notifications/unread-count", response=UnreadOut)
def unread_count(request: AuthenticatedRequest):
    return {"unread": Notification.objects.for_user(request.user).unread().count()}


@router.post("/notifications/read-all", response=UnreadOut)
def read_all(request: AuthenticatedRequest):
    """Mark every notification of the caller read."""
    services.mark_all_read(actor=request.user)
    return {"unread": 0}


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def read_one(request: AuthenticatedRequest, notification_id: UUID):
    note = Notification.objects.for_user(request.user).filter(pk=notification_id).first()
    if note is None:
        raise NotFound()
    return services.mark_read(actor=request.user, notification=note)


@router.get("/notifications/preferences", response=list[PreferenceOut])
def preferences(request: AuthenticatedRequest):
    """How the caller receives each kind of notification."""
    chosen = services.deliveries(request.user)
    return [{"kind": k, "label": Kind(k).label, "delivery": chosen[k]} for k in Kind.values]


@router.put("/notifications/preferences", response=PreferenceOut)
def set_preference(request: AuthenticatedRequest, payload: PreferenceIn):
    """Choose how the caller receives one kind of notification."""
    kind = payload.kind
    delivery = services.set_delivery(actor=request.user, kind=kind, delivery=payload.delivery)
    return {"kind": kind, "label": Kind(kind).label, "delivery": delivery}
