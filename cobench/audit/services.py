"""Writing, reading and verifying the audit trail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from cobench.core import bulk
from cobench.core.context import current_request_id
from cobench.core.permissions import Role

from .events import Event
from .models import AuditEvent

GENESIS = "0" * 64
_HASHED_FIELDS = (
    "id",
    "created_at",
    "actor_id",
    "actor_label",
    "organization_id",
    "organization_label",
    "project_id",
    "event",
    "target_type",
    "target_id",
    "target_label",
    "changes",
    "reason",
    "request_id",
    "prev_hash",
)
_CHAIN_LOCK = 7_240_001  # PostgreSQL advisory lock key serializing appends to the chain


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def target_type(obj: models.Model) -> str:
    """How the audit trail names a model: `app_label.model`."""
    return obj._meta.label_lower


def event_hash(event: AuditEvent) -> str:
    """SHA-256 over the event's content and the previous event's hash."""
    payload = {name: getattr(event, name) for name in _HASHED_FIELDS}
    payload["created_at"] = event.created_at.isoformat()
    # the same text as dumping `_jsonable(payload)`, without its round trip
    text = json.dumps(payload, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def record(
    *,
    actor: Any,
    organization: Any,
    event: Event,
    target: models.Model,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    project: Any = None,
    hide_actor: bool = False,
) -> AuditEvent:
    """Append one event for a change made by `actor` to `target` in the current transaction.

    `organization` is the one the actor acts for (on the project, their membership's;
    elsewhere, their own; None for the system): the caller holds it already, from the
    permission check. `changes` maps each field to `[before, after]`. `project`
    defaults to the target's project. With `hide_actor` (a confidential report), only
    the actor, their own organization (executives excepted) and QA auditors see who it
    was; the chain keeps it regardless.
    """
    (entry,) = record_many(
        actor=actor,
        events=[(event, target, changes, project)],
        reason=reason,
        organization=organization,
        hide_actor=hide_actor,
    )
    return entry


def record_many(
    *,
    actor: Any,
    organization: Any,
    events: Sequence[tuple[Event, models.Model, Mapping[str, Any] | None, Any]],
    reason: str = "",
    hide_actor: bool = False,
) -> list[AuditEvent]:
    """Append several events by one actor at once, chained in order: `(event, target, changes,
    project)` each, as `record` takes them; one lock, one read of the chain's end, one insert.

    For bulk work (an import's batch of records): the same rows `record` would write.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    if not events:
        return []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    prev = AuditEvent.objects.order_by("-seq").values_list("hash", flat=True).first() or GENESIS
    actor_label = _label(actor) if actor is not None else "system"
    request = current_request_id()
    entries = []
    for event, target, changes, project in events:
        project_id = getattr(target, "project_id", None) if project is None else project.pk
        entry = AuditEvent(
            created_at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_label=actor_label,
            actor_hidden=hide_actor,
            organization_id=getattr(organization, "pk", None),
            organization_label=str(organization or ""),
            project_id=project_id,
            event=str(event),
            target_type=target_type(target),
            target_id=str(target.pk),
            target_label=str(target)[:300],
            changes=_jsonable(dict(changes or {})),
            reason=reason,
            request_id=request,
            prev_hash=prev,
        )
        entry.hash = prev = event_hash(entry)
        entries.append(entry)
    if len(entries) == 1:
        entries[0].save(force_insert=True)
    else:
        bulk.insert(entries)
    return entries


def _label(actor: Any) -> str:
    name = getattr(actor, "display_name", "") or str(actor)
    return f"{name} <{actor.username}>" if getattr(actor, "username", "") else name


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for the fields whose values differ."""
    before, after = _jsonable(dict(before)), _jsonable(dict(after))
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(before.keys() | after.keys())
        if before.get(k) != after.get(k)
    }


HIDDEN_ACTOR = "Confidential reporter"


def actor_shown(user: Any, event: AuditEvent, members: dict[Any, Any] | None = None) -> str:
    """Who `user` may read as the actor of `event`: a hidden actor only for those allowed.

    The actor, their own organization (executives excepted) and QA auditors see who
    it was. `members` caches `user`'s memberships by project across calls.
    """
    if not event.actor_hidden or event.actor_id == getattr(user, "pk", None):
        return event.actor_label
    members = {} if members is None else members
    if event.project_id not in members:
        # the audit app is below tenancy: its model is looked up, not imported
        members[event.project_id] = (
            apps.get_model("tenancy", "ProjectMember")
            .objects.filter(user=user, project_id=event.project_id)
            .first()
        )
    allowed = sees_hidden_actor(members[event.project_id], event.organization_id)
    return event.actor_label if allowed else HIDDEN_ACTOR


def sees_hidden_actor(member: Any, organization_id: Any) -> bool:
    """Whether project member `member` may know a confidential actor of `organization_id`.

    QA auditors may, and people of the actor's own organization but its executives.
    """
    return member is not None and (
        member.role == Role.QA_AUDITOR
        or (member.organization_id == organization_id and member.role != Role.EXECUTIVE)
    )


def redacted(user: Any, events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """`events` as `user` may read them (in memory; nothing is saved)."""
    members: dict[Any, Any] = {}
    events = list(events)
    for event in events:
        label = actor_shown(user, event, members)
        if label != event.actor_label:
            event.actor_id, event.actor_label = None, label
    return events


# what a compound's or lot's events record of its structure
STRUCTURE_CHANGES = frozenset(
    {"smiles", "molblock", "inchi", "inchikey", "registration_key", "formula", "structure"}
)


def without_structures(user: Any, events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """`events` without the structures recorded of the compounds `user` sees coded (a
    blinded partner's: `CompoundQuerySet.coded_for`), nor the cores of a series where it
    sees them coded; in memory, nothing is saved."""
    events = list(events)
    compounds = apps.get_model("compounds", "Compound").objects
    cores = [e for e in events if e.target_type == "assays.series" and "core" in e.changes]
    if cores:
        blinded = {str(pk) for pk in compounds.blinded_projects(user)}
        for event in cores:
            if str(event.project_id) in blinded:
                event.changes = {k: v for k, v in event.changes.items() if k != "core"}
    of: dict[str, Any] = {}  # the target's id: its compound's
    for event in events:
        if event.target_type == "compounds.compound":
            of[event.target_id] = event.target_id
        elif event.target_type == "compounds.lot":
            of[event.target_id] = None
    if not of:
        return events
    lots = apps.get_model("compounds", "Lot").objects.filter(
        pk__in=[pk for pk, compound in of.items() if compound is None]
    )
    of.update({str(pk): str(compound) for pk, compound in lots.values_list("pk", "compound_id")})
    coded = {str(pk) for pk in compounds.coded_for(user, [c for c in of.values() if c])}
    for event in events:
        if str(of.get(event.target_id)) in coded:
            event.changes = {k: v for k, v in event.changes.items() if k not in STRUCTURE_CHANGES}
    return events


def history(*, user: Any, target: models.Model) -> list[AuditEvent]:
    """The events about `target` that `user` may read, oldest first."""
    events = AuditEvent.objects.about(user, target_type(target), target.pk)
    return without_structures(user, redacted(user, events.order_by("seq")))


@dataclass(frozen=True)
class Breach:
    """Where the chain stops being trustworthy."""

    seq: int
    event_id: str
    problem: str

    def __str__(self) -> str:
        return f"audit event #{self.seq} ({self.event_id}): {self.problem}"


def verify(*, batch: int = 2000) -> Iterator[int | Breach]:
    """Walk the chain; yields the count checked so far and stops at the first Breach."""
    expected_prev = GENESIS
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch):
        if event.prev_hash != expected_prev:
            yield Breach(
                event.seq,
                str(event.id),
                "does not follow the event before it: an event "
                "was inserted, deleted or re-linked just before this one",
            )
            return
        if event_hash(event) != event.hash:
            yield Breach(event.seq, str(event.id), "its content was altered after it was written")
            return
        expected_prev = event.hash
        count += 1
        if count % batch == 0:
            yield count
    yield count


@transaction.atomic
def purge_all() -> None:
    """Delete the whole trail: only for resetting a demo database, never for real data."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {AuditEvent._meta.db_table}")
    else:
        AuditEvent.objects.all().delete()
