"""Writing, reading and exporting the security log, and the limit on bad API tokens."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from cobench.core.context import current_address, current_request_id
from cobench.core.errors import Forbidden, InvalidInput, TooManyFailures
from cobench.core.text import neutralise

from .models import READER_ROLES, Kind, SecurityEvent, SecurityEventQuerySet

CSV_COLUMNS = (
    "created_at",
    "kind",
    "username",
    "address",
    "request_id",
    "method",
    "path",
    "status",
    "detail",
)


def record(
    *,
    kind: Kind,
    user: Any = None,
    username: str = "",
    request: HttpRequest | None = None,
    status: int | None = None,
    detail: str = "",
) -> SecurityEvent:
    """Append one entry about `user` (or, when no account matches, the `username` given), with
    the request id and client address of the action under way and `request`'s method and route."""
    return SecurityEvent.objects.create(
        created_at=timezone.now(),
        kind=kind,
        user_id=getattr(user, "pk", None),
        username=(getattr(user, "username", "") or username or "")[:150],
        address=current_address(),
        request_id=current_request_id(),
        method=(request.method or "") if request is not None else "",
        path=route_of(request)[:300] if request is not None else "",
        status=status,
        detail=detail[:300],
    )


def route_of(request: HttpRequest) -> str:
    """The route `request` took, its parameters named, not filled (`/projects/<uuid:project_id>/`):
    the ids someone was refused may be another organization's, whose leads do not read them."""
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None and match.route else request.path


def may_read(user: Any) -> bool:
    """Whether `user` reads any of the security log: superusers, and leads and QA auditors."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        bool(user.is_superuser) or user.project_memberships.filter(role__in=READER_ROLES).exists()
    )


def readable(user: Any) -> SecurityEventQuerySet:
    """The entries `user` may read (see `SecurityEventQuerySet.readable_by`); Forbidden for
    those who read none."""
    if not may_read(user):
        raise Forbidden(
            "Only project leads and QA auditors read the security log (of their own "
            "organization's people)."
        )
    return SecurityEvent.objects.readable_by(user)


def _utc(moment: datetime | None, field: str) -> datetime | None:
    if moment is None:
        return None
    try:
        aware = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        return aware.astimezone(UTC)
    except (OverflowError, ValueError):  # beyond the calendar once in UTC, or a missing hour
        message = "A time from year 1 to 9999."
        raise InvalidInput(message, errors={field: [message]}) from None


def filtered(
    rows: SecurityEventQuerySet,
    *,
    username: str | None = None,
    kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> SecurityEventQuerySet:
    """`rows` of one person (by user name), one kind, from `since` and before `until` (a time
    without an offset is in the current time zone; any offset is read as UTC first, since
    PostgreSQL refuses offsets beyond 16 hours)."""
    since, until = (_utc(t, name) for t, name in ((since, "since"), (until, "until")))
    if username:
        rows = rows.filter(username=username)
    if kind:
        rows = rows.filter(kind=kind)
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    if until is not None:
        rows = rows.filter(created_at__lt=until)
    return rows


def export_csv(rows: Iterable[SecurityEvent]) -> str:
    """The entries as CSV, one row each, times in UTC; no cell starts a spreadsheet formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values: list[Any] = [getattr(row, name) for name in CSV_COLUMNS]
        values[0] = row.created_at.astimezone(UTC).isoformat()
        writer.writerow([neutralise("" if v is None else v) for v in values])
    return out.getvalue()


def cooling_off() -> timedelta:
    """How long a lockout lasts, and the window its failures are counted in."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    return cool_off


def ensure_address_not_locked(request: HttpRequest) -> None:
    """Refuse, with TooManyFailures, an address that sent COBENCH_LOCKOUT_ADDRESS_FAILURES bad
    API tokens or more within the cooling-off period (each is a `token_refused` entry); the
    refusal is logged as a `lockout`."""
    address = current_address()
    if address is None:
        return
    now, limit = timezone.now(), settings.COBENCH_LOCKOUT_ADDRESS_FAILURES
    failures = SecurityEvent.objects.filter(
        kind=Kind.TOKEN_REFUSED, address=address, created_at__gt=now - cooling_off()
    ).order_by("-created_at")
    oldest_counted = failures.values_list("created_at", flat=True)[limit - 1 : limit].first()
    if oldest_counted is None:
        return
    retry_after = max(1, int((oldest_counted + cooling_off() - now).total_seconds()) + 1)
    record(kind=Kind.LOCKOUT, request=request, status=429, detail="API token")
    raise TooManyFailures(retry_after)
