"""The audit trail: append-only, hash-chained events."""

import uuid
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from cobench.core.querysets import (
    ProjectScopedQuerySet,
    member_projects,
    own_organizations,
    sponsor_projects,
    unwalled_projects,
)

from .events import SPONSOR_ONLY_PREFIXES


class TargetKey(models.Func):
    """An event's `target_id` (text) as the primary key of a `model`, a uuid or a number: on
    SQLite, which keeps a uuid as 32 hex digits, without the dashes; on PostgreSQL cast,
    only where the text is one (a cast must never fail a read)."""

    def __init__(self, expression: Any, model: type[models.Model]) -> None:
        self.uuid = isinstance(model._meta.pk, models.UUIDField)
        super().__init__(expression, output_field=model._meta.pk)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return (f"REPLACE({sql}, '-', '')", params) if self.uuid else (sql, params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        if self.uuid:
            pattern, kind = "'^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'", "uuid"
        else:
            pattern, kind = "'^[0-9]{1,18}$'", "bigint"
        return f"(CASE WHEN {sql} ~ {pattern} THEN ({sql})::{kind} END)", [*params, *params]


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

    def scope(self, user: Any, action: Any) -> models.Q:
        """As every project-data queryset's, without the wall's terms for someone walled on
        none of their projects (the sponsor's people): one cheap query saves the planning of
        a subquery for each walled kind of object."""
        projects = member_projects(user, action)
        if not projects.exclude(project_id__in=unwalled_projects(user, action)).exists():
            return models.Q(project_id__in=projects)
        return super().scope(user, action)

    def about(self, user: Any, target_type: str, target_id: Any) -> "AuditEventQuerySet":
        """The events about one object that `user` may read: as `visible_to`'s, with the
        object's own wall checked once, not a subquery per walled kind of object."""
        rows = self.filter(target_type=target_type, target_id=str(target_id))
        try:
            model = apps.get_model(target_type)
            if model in _walled_models():
                seen = model._default_manager.visible_to(user)
                if not seen.filter(pk=target_id).exists():
                    return rows.none()
        except (LookupError, ValueError, ValidationError):
            pass  # not a kind of object a partner is walled from
        projects = member_projects(user)
        walled = models.Q(project_id__in=projects) & self._made_by_theirs(user)
        return self._readable(
            rows.filter(models.Q(project_id__in=unwalled_projects(user)) | walled), user
        )

    def _made_by_theirs(self, user: Any) -> models.Q:
        """The events made by `user`'s own organization, a sponsor of theirs or the system."""
        sponsors = apps.get_model("tenancy", "Project").objects.filter(pk__in=member_projects(user))
        return (
            models.Q(organization_id__isnull=True)
            | models.Q(organization_id__in=own_organizations(user))
            | models.Q(organization_id__in=sponsors.values("sponsor_id"))
        )

    def walled(self, user: Any) -> models.Q:
        """A partner sees an event made by its own people, the sponsor's or the system, on
        an object it sees (for a walled kind of object) or on one every member sees."""
        by = self._made_by_theirs(user)
        walled = _walled_models()
        on = models.Q(~models.Q(target_type__in=[m._meta.label_lower for m in walled]))
        for model in walled:
            # each event's own target looked up by its primary key: one index probe an event
            seen = model._default_manager.visible_to(user)  # type: ignore[attr-defined]
            target = seen.filter(pk=TargetKey(models.OuterRef("target_id"), model))
            on |= models.Q(target_type=model._meta.label_lower) & models.Q(models.Exists(target))
        return by & on

    def visible_to(self, user: Any) -> "AuditEventQuerySet":
        """The events of `user`'s projects; biology events only for the sponsor's people."""
        return self._readable(super().visible_to(user), user)

    @staticmethod
    def _readable(rows: "AuditEventQuerySet", user: Any) -> "AuditEventQuerySet":
        """`rows` without the biology events, for all but the sponsor's people."""
        biology = models.Q()
        for prefix in SPONSOR_ONLY_PREFIXES:
            biology |= models.Q(event__startswith=prefix)
        return rows.exclude(biology & ~models.Q(project_id__in=sponsor_projects(user)))


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
