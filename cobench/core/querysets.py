"""The tenancy restriction: the one way project data is read.

Every model holding project data uses a ProjectScopedQuerySet (or a subclass)
and names, in `project_lookup`, the path from itself to its project's id.
"""

from __future__ import annotations

from typing import Any, Self

from django.apps import apps
from django.db import models

from .permissions import Action, roles_for


def member_projects(user: Any, action: Action = Action.VIEW) -> models.QuerySet[Any]:
    """Ids of the projects where `user` holds a role allowed to do `action`."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return apps.get_model("tenancy", "ProjectMember").objects.none().values("project_id")
    return (
        apps.get_model("tenancy", "ProjectMember")
        .objects.filter(user=user, role__in=roles_for(action))
        .values("project_id")
    )


def sponsor_projects(user: Any) -> models.QuerySet[Any]:
    """Ids of the projects where `user` works for the sponsor organization (any role)."""
    return member_projects(user).filter(organization_id=models.F("project__sponsor_id"))


class ProjectScopedQuerySet(models.QuerySet[Any]):
    """Rows of project data, restricted to what a given user may see or change."""

    project_lookup = "project"

    def visible_to(self, user: Any) -> Self:
        """What `user` may see: rows of projects they are a member of."""
        return self.filter(**{f"{self.project_lookup}__in": member_projects(user)})

    def editable_by(self, user: Any, action: Action) -> Self:
        """What `user` may change with `action`, by their role on each project."""
        return self.filter(**{f"{self.project_lookup}__in": member_projects(user, action)})
