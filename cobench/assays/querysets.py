"""Restricted querysets of the biology models: every read of assay data goes through these.

Beyond project membership, assay data follows the sponsor's sharing rules
(`cobench.assays.sharing`): a partner's people see an assay only while its rule for
their organization is full or binned, and its raw results only while it is full. The
SQL of that rule (`mode_for_user`, `mode_in_force`) lives here, beside the querysets it
restricts; `models.py` builds its managers from this module, so the models it queries
are looked up in the app registry when a query is built, not imported.
"""

from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from cobench.core.querysets import PROJECT_WIDE, ProjectScopedQuerySet, sponsor_projects
from cobench.tenancy.models import ProjectMember

# The modes of a sharing rule (`SharingRule.Mode` takes its values from here).
FULL, BINNED, HIDDEN = "full", "binned", "hidden"


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def latest_first(rules: QuerySet) -> QuerySet:
    """Sharing rules, the one in force first: the latest started, the latest written on a tie."""
    return rules.order_by("-starts_at", "-created_at")


def mode_in_force(partner: Any, *, assay: str = "assay_id", at: datetime | None = None) -> Coalesce:
    """SQL: the mode of the rule in force for `partner` (an id or an expression) on the assay
    of each row (`assay` names its id), 'hidden' when there is none."""
    rules = apps.get_model("assays", "SharingRule").objects.filter(
        assay_id=OuterRef(assay), partner_id=partner, starts_at__lte=at or timezone.now()
    )
    return Coalesce(Subquery(latest_first(rules).values("mode")[:1]), Value(HIDDEN))


def mode_for_user(user: Any, *, assay: str, owner: str, at: datetime | None = None) -> Case:
    """SQL: the mode `user` sees of the assay of each row (`assay` names its id, `owner` its
    owner's id): 'full' for the sponsor's members and for the assay's own lab, else the rule
    in force for the user's organization on the row's project."""
    member = ProjectMember.objects.filter(user=user, project_id=OuterRef("project_id"))
    own_side = Exists(
        member.filter(
            Q(organization_id=OuterRef("project__sponsor_id")) | Q(organization_id=OuterRef(owner))
        )
    )
    my_org = ProjectMember.objects.filter(user=user, project_id=OuterRef(OuterRef("project_id")))
    return Case(
        When(own_side, then=Value(FULL)),
        default=mode_in_force(Subquery(my_org.values("organization_id")[:1]), assay=assay, at=at),
    )


class AssayQuerySet(ProjectScopedQuerySet):
    wall = PROJECT_WIDE  # the sharing rules say which partners see each assay

    def visible_to(self, user: Any) -> "AssayQuerySet":
        """The assays `user` sees: all for the sponsor's people, else those shared (full or
        binned) with their organization now; hidden ones are not listed."""
        if not _signed_in(user):
            return self.none()
        mode = mode_for_user(user, assay="pk", owner="owner_id")
        return super().visible_to(user).alias(_share=mode).filter(_share__in=(FULL, BINNED))


class AssayFileQuerySet(ProjectScopedQuerySet):
    wall = PROJECT_WIDE  # the files of the assays the user sees, whatever the wall (below)

    def visible_to(self, user: Any) -> "AssayFileQuerySet":
        """The files of the assays `user` sees."""
        assays = apps.get_model("assays", "Assay").objects.visible_to(user)
        return super().visible_to(user).filter(assay__in=assays)


class ResultImportQuerySet(ProjectScopedQuerySet):
    wall = ("organization",)

    def visible_to(self, user: Any) -> "ResultImportQuerySet":
        """A result import's file and report hold raw values: only the sponsor's people and
        the people of the organization that uploaded it see it."""
        if not _signed_in(user):
            return self.none()
        mine = ProjectMember.objects.filter(user=user, project_id=OuterRef("project_id")).filter(
            Q(organization_id=OuterRef("organization_id"))
            | Q(organization_id=OuterRef("project__sponsor_id"))
        )
        return super().visible_to(user).filter(Exists(mine))


class ResultQuerySet(ProjectScopedQuerySet):
    wall = ("compound",)  # results and summaries: of the compounds the partner sees

    def visible_to(self, user: Any) -> "ResultQuerySet":
        """The raw results `user` sees: all for the sponsor's people (and the assay's own lab),
        else only those of assays shared with full values with their organization now."""
        if not _signed_in(user):
            return self.none()
        mode = mode_for_user(user, assay="assay_id", owner="assay__owner_id")
        return super().visible_to(user).alias(_share=mode).filter(_share=FULL)


class SharingRuleQuerySet(ProjectScopedQuerySet):
    wall = ("partner",)

    def visible_to(self, user: Any) -> "SharingRuleQuerySet":
        """Sharing rules are the sponsor's: only its own people see them."""
        return self.filter(project_id__in=sponsor_projects(user))


class SeriesQuerySet(ProjectScopedQuerySet):
    wall = PROJECT_WIDE


class SeriesMemberQuerySet(ProjectScopedQuerySet):
    wall = ("compound",)
