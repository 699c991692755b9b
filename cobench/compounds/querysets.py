from typing import Any

from django.apps import apps
from django.db import connections
from django.db.models import Exists, OuterRef, Q

from cobench.core.permissions import Action
from cobench.core.querysets import ProjectScopedQuerySet, member_projects


class CompoundQuerySet(ProjectScopedQuerySet):
    """Compounds belong to a sponsor's registry; a user sees one through a project it is in."""

    project_lookup = "project_links__project"

    def _through(self, user: Any, action: Action) -> "CompoundQuerySet":
        # each compound checked by its own links (see `in_project`)
        links = apps.get_model("compounds", "ProjectCompound").objects.filter(
            project__in=member_projects(user, action), compound_id=OuterRef("pk")
        )
        return self.filter(Exists(links))

    def visible_to(self, user: Any) -> "CompoundQuerySet":
        return self._through(user, Action.VIEW)

    def editable_by(self, user: Any, action: Action) -> "CompoundQuerySet":
        return self._through(user, action)

    def by_registry_id(self, typed: str) -> "CompoundQuerySet":
        """The compound of a registry id as typed or in capitals (people type cb-000012 for
        CB-000012), unordered: an index lookup, where a case-insensitive match, or the
        registry's order, has SQLite walk the registry."""
        return self.filter(registry_id__in={typed, typed.upper()}).order_by()

    def by_registry_id_prefix(self, typed: str) -> "CompoundQuerySet":
        """The compounds whose registry id starts with `typed` as typed or in capitals. On
        SQLite as ranges of the registry-id index: a LIKE there cannot use it and reads every
        compound of the registry (minutes at a million, from a cold disk). On PostgreSQL a
        LIKE, which its `text_pattern_ops` index (migration 0005) answers as a range."""
        matches = Q()
        for start in {typed, typed.upper()}:
            if connections[self.db].vendor == "sqlite":  # binary order: a range is a prefix
                matches |= Q(registry_id__gte=start, registry_id__lt=start + "\U0010ffff")
            else:
                matches |= Q(registry_id__startswith=start)
        return self.filter(matches)

    def in_project(self, project: Any) -> "CompoundQuerySet":
        """The compounds registered in `project` (all of its sponsor's registry), each checked
        by its own link: a lookup by registry id or structure uses the registry's indexes,
        where `pk IN (the project's links)` has SQLite list every link first."""
        links = apps.get_model("compounds", "ProjectCompound").objects.filter(
            project=project, compound_id=OuterRef("pk")
        )
        return self.filter(Exists(links), sponsor_id=project.sponsor_id)


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
