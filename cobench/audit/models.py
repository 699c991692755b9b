"""The audit trail: append-only, hash-chained events."""

import uuid
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.models.functions import Cast, Replace
from django.db.models.lookups import In

from cobench.core.querysets import (
    ProjectScopedQuerySet,
    member_projects,
    own_organizations,
    sponsor_projects,
)

from .events import SPONSOR_ONLY_PREFIXES


def _walled_models() -> list[type[models.Model]]:
    """The models whose rows a partner sees only within its wall."""
    found = []
    for model in apps.get_models():
        rows = model._default_manager.all()
        if (
            model is not AuditEvent
            and isinstance(rows, ProjectScopedQuerySet)
            and (
                bool(getattr(rows, "wall", ()))
                or type(rows).scope is not ProjectScopedQuerySet.scope
            )
        ):
            found.append(model)
    return found


class AuditEventQuerySet(ProjectScopedQuerySet):
    project_lookup = "project_id"
    wall = ("target_id",)  # the object each event is about: see `walled`

    def walled(self, user: Any) -> models.Q:
        """A partner sees an event made by its own people, the sponsor's or the system, on
        an object it sees (for a walled kind of object) or on one every member sees."""
        sponsors = apps.get_model("tenancy", "Project").objects.filter(pk__in=member_projects(user))
        by = (
            models.Q(organization_id__isnull=True)
            | models.Q(organization_id__in=own_organizations(user))
            | models.Q(organization_id__in=sponsors.values("sponsor_id"))
        )
        # the target's id as text: SQLite keeps a uuid as 32 hex digits, without dashes
        target: Any = models.F("target_id")
        if connections[self.db].vendor == "sqlite":
            target = Replace(target, models.Value("-"), models.Value(""))
        walled = _walled_models()
        on = models.Q(~models.Q(target_type__in=[m._meta.label_lower for m in walled]))
        for model in walled:
            seen = model._default_manager.visible_to(user).annotate(  # type: ignore[attr-defined]
                _text_id=Cast("pk", models.CharField())
            )
            on |= models.Q(target_type=model._meta.label_lower) & models.Q(
                In(target, seen.values("_text_id"))
            )
        return by & on

    def visible_to(self, user: Any) -> "AuditEventQuerySet":
        """The events of `user`'s projects; biology events only for the sponsor's people."""
        biology = models.Q()
        for prefix in SPONSOR_ONLY_PREFIXES:
            biology |= models.Q(event__startswith=prefix)
        rows = super().visible_to(user)
        return rows.exclude(biology & ~models.Q(project_id__in=sponsor_projects(user)))

    def for_object(self, target_type: str, target_id: str) -> "AuditEventQuerySet":
        return self.filter(target_type=target_type, target_id=str(target_id))


class AuditEvent(models.Model):
    """One change: who, when, what (before / after) and why, chained to the event before it.

    Labels are copied, not linked, so an event outlives its actor, organization
    and target. On PostgreSQL a trigger refuses UPDATE and DELETE on this table.
    """

    seq = models.BigAutoField(primary_key=True)
    id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField()
    actor_id = models.UUIDField(null=True, blank=True)
    actor_label = models.CharField(max_length=200)
    actor_hidden = models.BooleanField(
        default=False, help_text="Raised confidentially: the actor is shown only to those allowed"
    )
    organization_id = models.UUIDField(null=True, blank=True)
    organization_label = models.CharField(max_length=200, blank=True)
    project_id = models.UUIDField(null=True, blank=True, db_index=True)
    event = models.CharField(max_length=64, help_text="An Event value (audit/events.py)")
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event} {self.target_label}"
