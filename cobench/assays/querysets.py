"""Restricted querysets of the biology models: every read of assay data goes through these.

Beyond project membership, assay data follows the sponsor's sharing rules
(`cobench.assays.sharing`): a partner's people see an assay only while its rule for
their organization is full or binned, and its raw results only while it is full.
"""

from typing import Any

from cobench.core.querysets import ProjectScopedQuerySet, sponsor_projects


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


class AssayQuerySet(ProjectScopedQuerySet):
    def visible_to(self, user: Any) -> "AssayQuerySet":
        """The assays `user` sees: all for the sponsor's people, else those shared (full or
        binned) with their organization now; hidden ones are not listed."""
        from .sharing import BINNED, FULL, mode_for_user

        if not _signed_in(user):
            return self.none()
        mode = mode_for_user(user, assay="pk", owner="owner_id")
        return super().visible_to(user).alias(_share=mode).filter(_share__in=(FULL, BINNED))


class AssayFileQuerySet(ProjectScopedQuerySet):
    def visible_to(self, user: Any) -> "AssayFileQuerySet":
        """The files of the assays `user` sees."""
        from .models import Assay

        return super().visible_to(user).filter(assay__in=Assay.objects.visible_to(user))


class ResultImportQuerySet(ProjectScopedQuerySet):
    def visible_to(self, user: Any) -> "ResultImportQuerySet":
        """A result import's file and report hold raw values: only the sponsor's people and
        the people of the organization that uploaded it see it."""
        from django.db.models import Exists, OuterRef, Q

        from cobench.tenancy.models import ProjectMember

        if not _signed_in(user):
            return self.none()
        mine = ProjectMember.objects.filter(user=user, project_id=OuterRef("project_id")).filter(
            Q(organization_id=OuterRef("organization_id"))
            | Q(organization_id=OuterRef("project__sponsor_id"))
        )
        return super().visible_to(user).filter(Exists(mine))


class ResultQuerySet(ProjectScopedQuerySet):
    def visible_to(self, user: Any) -> "ResultQuerySet":
        """The raw results `user` sees: all for the sponsor's people (and the assay's own lab),
        else only those of assays shared with full values with their organization now."""
        from .sharing import FULL, mode_for_user

        if not _signed_in(user):
            return self.none()
        mode = mode_for_user(user, assay="assay_id", owner="assay__owner_id")
        return super().visible_to(user).alias(_share=mode).filter(_share=FULL)


class SharingRuleQuerySet(ProjectScopedQuerySet):
    def visible_to(self, user: Any) -> "SharingRuleQuerySet":
        """Sharing rules are the sponsor's: only its own people see them."""
        return self.filter(project_id__in=sponsor_projects(user))


class SeriesQuerySet(ProjectScopedQuerySet):
    pass


class SeriesMemberQuerySet(ProjectScopedQuerySet):
    pass
