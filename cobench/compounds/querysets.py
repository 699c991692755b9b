from typing import Any

from django.apps import apps

from cobench.core.permissions import Action
from cobench.core.querysets import ProjectScopedQuerySet, member_projects


class CompoundQuerySet(ProjectScopedQuerySet):
    """Compounds belong to a sponsor's registry; a user sees one through a project it is in."""

    project_lookup = "project_links__project"

    def _through(self, user: Any, action: Action) -> "CompoundQuerySet":
        links = apps.get_model("compounds", "ProjectCompound").objects.filter(
            project__in=member_projects(user, action)
        )
        return self.filter(pk__in=links.values("compound_id"))

    def visible_to(self, user: Any) -> "CompoundQuerySet":
        return self._through(user, Action.VIEW)

    def editable_by(self, user: Any, action: Action) -> "CompoundQuerySet":
        return self._through(user, action)

    def in_project(self, project: Any) -> "CompoundQuerySet":
        """The compounds registered in `project`."""
        links = apps.get_model("compounds", "ProjectCompound").objects.filter(project=project)
        return self.filter(pk__in=links.values("compound_id"))


class ProjectCompoundQuerySet(ProjectScopedQuerySet):
    pass


class LotQuerySet(ProjectScopedQuerySet):
    pass


class LotFileQuerySet(ProjectScopedQuerySet):
    pass


class ShipmentQuerySet(ProjectScopedQuerySet):
    pass


class ImportJobQuerySet(ProjectScopedQuerySet):
    pass
