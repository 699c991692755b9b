"""The audit trail: append-only, hash-chained events."""

import uuid
from typing import Any

from django.db import models

from cobench.core.querysets import ProjectScopedQuerySet, sponsor_projects

from .events import SPONSOR_ONLY_PREFIXES


class AuditEventQuerySet(ProjectScopedQuerySet):
    project_lookup = "project_id"

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
