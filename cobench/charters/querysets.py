from typing import Any

from django.db.models import F, Q

from cobench.core.querysets import PROJECT_WIDE, ProjectScopedQuerySet


class CharterVersionQuerySet(ProjectScopedQuerySet):
    wall = PROJECT_WIDE  # the framework every party signs


class SignatureQuerySet(ProjectScopedQuerySet):
    project_lookup = "version__project"
    wall = ("organization",)

    def walled(self, user: Any) -> Q:
        """A partner sees its own signatures and the sponsor's."""
        return super().walled(user) | Q(organization_id=F("version__project__sponsor_id"))
