"""JSON API for the security log: its entries, filtered, as JSON pages or CSV."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from cobench.tenancy.access import AuthenticatedRequest

from . import services
from .models import SecurityEventQuerySet

router = Router(tags=["security"])

KindName = Literal[  # Kind's values (a test checks)
    "sign_in",
    "sign_in_failed",
    "lockout",
    "sign_out",
    "mfa_failed",
    "recovery_code_used",
    "mfa_activated",
    "mfa_deactivated",
    "recovery_codes_regenerated",
    "token_created",
    "token_revoked",
    "token_refused",
    "access_refused",
]


class SecurityEventOut(Schema):
    id: UUID
    created_at: datetime
    kind: str
    user_id: UUID | None
    username: str = Field(description="The account, or the name given at a failed sign-in")
    address: str | None
    request_id: str
    method: str
    path: str
    status: int | None
    detail: str


class Filters(Schema):
    user: str | None = Field(None, max_length=150, description="A user name")
    kind: KindName | None = None
    since: datetime | None = Field(None, description="From this time on (ISO 8601)")
    until: datetime | None = Field(None, description="Before this time (ISO 8601)")


def _entries(request: AuthenticatedRequest, filters: Filters) -> SecurityEventQuerySet:
    return services.filtered(
        services.readable(request.user),
        username=filters.user,
        kind=filters.kind,
        since=filters.since,
        until=filters.until,
    )


@router.get("/security-log", response=list[SecurityEventOut])
@paginate
def security_log(request: AuthenticatedRequest, filters: Query[Filters]):
    """Sign-ins, failures, lockouts, sign-outs, API tokens and refused accesses of the people
    of your organization (for its leads and QA auditors), newest first."""
    return _entries(request, filters)


@router.get("/security-log/export", response={200: None})
def export(request: AuthenticatedRequest, filters: Query[Filters]):
    """The same entries as CSV (times in UTC)."""
    response = HttpResponse(
        services.export_csv(_entries(request, filters).iterator()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="security-log.csv"'
    return response
