"""The tenancy restriction: the one way project data is read.

Every model holding project data uses a ProjectScopedQuerySet (or a subclass)
and names, in `project_lookup`, the path from itself to its project's id, and, in
`wall`, what keeps one partner's work from another partner's people:

- The sponsor's people see every row of their projects; so does everyone on a
  project run as an open consortium (`Project.open_consortium`).
- A partner's people see a walled row only when it belongs to their organization:
  each name in `wall` is a field of the row, a foreign key either to an
  organization (the row is theirs when it is their organization) or to another
  project-scoped model (the row is theirs when they see that one).
- `PROJECT_WIDE` (no names): every member of the project sees the row.

`wall` has no default: a model whose queryset does not declare it fails its first
query (and tests/test_walls.py), so a new app cannot forget its partner wall.
A person acts for their organization on every project they are on.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.apps import apps
from django.db import models
from django.db.models import F, Q

from .permissions import Action, roles_for

PROJECT_WIDE: tuple[str, ...] = ()


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def member_projects(user: Any, action: Action = Action.VIEW) -> models.QuerySet[Any]:
    """Ids of the projects where `user` holds a role allowed to do `action`."""
    members = apps.get_model("tenancy", "ProjectMember").objects
    if not _signed_in(user):
        return members.none().values("project_id")
    return members.filter(user=user, role__in=roles_for(action)).values("project_id")


def sponsor_projects(user: Any) -> models.QuerySet[Any]:
    """Ids of the projects where `user` works for the sponsor organization (any role)."""
    return member_projects(user).filter(organization_id=F("project__sponsor_id"))


def unwalled_projects(user: Any, action: Action = Action.VIEW) -> models.QuerySet[Any]:
    """Ids of the projects where `user` may do `action` and sees every partner's work: the
    sponsor's people, and everyone on an open consortium."""
    return member_projects(user, action).filter(
        Q(organization_id=F("project__sponsor_id")) | Q(project__open_consortium=True)
    )


def own_organizations(user: Any) -> models.QuerySet[Any]:
    """Ids of the organizations `user` acts for on their projects."""
    members = apps.get_model("tenancy", "ProjectMember").objects
    if not _signed_in(user):
        return members.none().values("organization_id")
    return members.filter(user=user).values("organization_id")


class ProjectScopedQuerySet(models.QuerySet[Any]):
    """Rows of project data, restricted to what a given user may see or change."""

    project_lookup: ClassVar[str] = "project"
    wall: ClassVar[tuple[str, ...]]

    def visible_to(self, user: Any) -> Self:
        """What `user` may see: rows of projects they are a member of, within their wall."""
        return self.filter(self.scope(user, Action.VIEW))

    def editable_by(self, user: Any, action: Action) -> Self:
        """What `user` may change with `action`, by their role on each project, within their
        wall."""
        return self.filter(self.scope(user, action))

    def scope(self, user: Any, action: Action) -> Q:
        """The condition `visible_to` and `editable_by` filter with."""
        on = f"{self.project_lookup}__in"
        if not self.wall:
            return Q(**{on: member_projects(user, action)})
        return Q(**{on: unwalled_projects(user, action)}) | (
            Q(**{on: member_projects(user, action)}) & self.walled(user)
        )

    def walled(self, user: Any) -> Q:
        """The rows of `user`'s organization, by `wall` (see the module's description)."""
        organization = apps.get_model("tenancy", "Organization")
        theirs = Q()
        for name in self.wall:
            related = self.model._meta.get_field(name).related_model
            if related is organization:
                theirs |= Q(**{f"{name}__in": own_organizations(user)})
            else:
                visible = related._default_manager.visible_to(user)
                theirs |= Q(**{f"{name}__in": visible.values("pk")})
        return theirs
