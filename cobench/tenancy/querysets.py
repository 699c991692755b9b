from typing import Any

from django.db.models import F, Q

from cobench.core.querysets import PROJECT_WIDE, ProjectScopedQuerySet


class ProjectQuerySet(ProjectScopedQuerySet):
    project_lookup = "id"
    wall = PROJECT_WIDE


class ProjectPartnerQuerySet(ProjectScopedQuerySet):
    wall = ("organization",)


class ProjectMemberQuerySet(ProjectScopedQuerySet):
    wall = ("organization",)

    def walled(self, user: Any) -> Q:
        """A partner sees its own people and the sponsor's."""
        return super().walled(user) | Q(organization_id=F("project__sponsor_id"))
