from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q

from cobench.core.permissions import Action
from cobench.core.querysets import (
    ProjectScopedQuerySet,
    member_projects,
    own_organizations,
    unwalled_projects,
)
from cobench.tenancy.models import CompoundShare


class CompoundQuerySet(ProjectScopedQuerySet):
    """Compounds belong to a sponsor's registry; a user sees one through a project it is in.

    Within a project, a partner's people see the compounds their organization made (a lot
    it produced) or was asked to make (a request assigned to it), and those the sponsor
    shares with it (`ProjectPartner.compounds`: all of the project's, those of chosen
    series, or none beyond its own); the sponsor's people, and everyone on an open
    consortium, see all of them.
    """

    project_lookup = "project_links__project"

    def scope(self, user: Any, action: Action) -> Q:
        # each compound checked by its own links (see `in_project`)
        links = apps.get_model("compounds", "ProjectCompound").objects.filter(
            compound_id=OuterRef("pk")
        )
        whole = links.filter(project__in=whole_projects(user, action))
        return Q(Exists(whole)) | _theirs(user, member_projects(user, action))

    def theirs(
        self, user: Any, project: Any, *, with_structure: bool = False
    ) -> "CompoundQuerySet":
        """The compounds `user`'s organization made, was asked to make or is shared by series
        on `project` (`their_ids`), as a queryset."""
        return self.filter(pk__in=their_ids(user, project, with_structure=with_structure))

    def coded_for(self, user: Any, ids: Iterable[Any]) -> set[Any]:
        """The module's `coded_for`, for apps below this one that look the model up."""
        return coded_for(user, ids)

    def blinded_projects(self, user: Any) -> list[Any]:
        """The module's `blinded_projects`, for apps below this one that look the model up."""
        return blinded_projects(user)

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

    def in_project(self, project: Any, *, seen_by: Any) -> "CompoundQuerySet":
        """The compounds registered in `project` (all of its sponsor's registry) that `seen_by`
        sees (None: all of them, for the system's own work), each checked by its own link: a
        lookup by registry id or structure uses the registry's indexes, where `pk IN (the
        project's links)` has SQLite list every link first."""
        links = apps.get_model("compounds", "ProjectCompound").objects.filter(
            project=project, compound_id=OuterRef("pk")
        )
        rows = self if seen_by is None else self.visible_to(seen_by)
        return rows.filter(Exists(links), sponsor_id=project.sponsor_id)


def whole_projects(user: Any, action: Action = Action.VIEW) -> Any:
    """Ids of the projects where `user` may do `action` and sees every compound: the
    sponsor's people, everyone on an open consortium, and the people of a partner the
    sponsor shares all of them with."""
    shares_all = Q(
        project__partners__organization=F("organization"),
        project__partners__compounds=CompoundShare.ALL,
    )
    return unwalled_projects(user, action) | member_projects(user, action).filter(shares_all)


def their_ids(user: Any, project: Any, *, with_structure: bool = False) -> set[Any]:
    """Ids of the compounds `user`'s organization made, was asked to make or is shared by
    series on `project`: what a partner that is not shared all of them sees there, read from
    those few lots, requests and series tags by their indexes rather than by checking every
    compound of the registry. `with_structure`: only those it sees with their structure (not
    shared blinded)."""
    projects = member_projects(user).filter(project=project)
    found: set[Any] = set()
    for source in their_sources(user, projects, with_structure=with_structure):
        found.update(source.order_by().values_list("compound_id", flat=True))
    return found


def _shares(user: Any, projects: Any) -> Any:
    """What the sponsor shares of `projects`' compounds with `user`'s organization."""
    return apps.get_model("tenancy", "ProjectPartner").objects.filter(
        organization__in=own_organizations(user), project__in=projects
    )


def _theirs(user: Any, projects: Any, *, with_structure: bool = False) -> Q:
    """The compounds of `projects` that `user`'s organization made (a lot it produced), was
    asked to make (a request assigned to it) or is shared by series (`with_structure`: by
    series not shared blinded)."""
    made, asked, tagged = their_sources(user, projects, with_structure=with_structure)
    return (
        Q(pk__in=made.values("compound_id"))
        | Q(pk__in=asked.values("compound_id"))
        | Q(pk__in=tagged.values("compound_id"))
    )


def their_sources(user: Any, projects: Any, *, with_structure: bool) -> tuple[Any, Any, Any]:
    """The lots, requests and series tags that make compounds of `projects` `user`'s (see
    `_theirs`), each with its `compound_id`."""
    organizations = own_organizations(user)
    made = apps.get_model("compounds", "Lot").objects.filter(
        project__in=projects, producer__in=organizations
    )
    asked = apps.get_model("compound_requests", "CompoundRequest").objects.filter(
        project__in=projects, partner__in=organizations, compound__isnull=False
    )  # not yet made: no compound, and a NULL would make `NOT IN` (coded_for) match nothing
    by_series = _shares(user, projects).filter(compounds=CompoundShare.SERIES)
    if with_structure:
        by_series = by_series.filter(blinded=False)
    tagged = apps.get_model("assays", "SeriesMember").objects.filter(
        series__in=by_series.values("shared_series")
    )
    return made, asked, tagged


def blinded_projects(user: Any) -> list[Any]:
    """Ids of the projects where the sponsor shares compounds with `user`'s organization
    blinded, as coded samples: one query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    members = apps.get_model("tenancy", "ProjectMember").objects.filter(
        user=user, project_id=OuterRef("project_id"), organization_id=OuterRef("organization_id")
    )
    partners = apps.get_model("tenancy", "ProjectPartner").objects.filter(
        Exists(members), blinded=True
    )
    return list(partners.values_list("project_id", flat=True))


def coded_for(user: Any, ids: Iterable[Any]) -> set[Any]:
    """The compounds among `ids` that `user` sees coded: without structure, identifiers or
    computed properties. They are those linked to a project where the sponsor shares its
    compounds with `user`'s organization blinded (`ProjectPartner.blinded`), unless its
    organization made them or was asked to make them, or `user` sees them openly through
    another project. Someone with no blinded partnership (the sponsor's people, most
    partners, the system: `user` None) sees none coded, for one query."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return set()
    blinded = blinded_projects(user)
    if not blinded:
        return set()
    links = apps.get_model("compounds", "ProjectCompound").objects.filter(
        compound_id=OuterRef("pk")
    )
    projects = member_projects(user)
    whole = whole_projects(user).exclude(project_id__in=blinded)
    seen_openly = Q(Exists(links.filter(project__in=whole))) | _theirs(
        user, projects, with_structure=True
    )
    compounds = apps.get_model("compounds", "Compound").objects
    coded: set[Any] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = (
            compounds.filter(pk__in=chunk)
            .filter(Exists(links.filter(project_id__in=blinded)))
            .exclude(seen_openly)
            .values_list("pk", flat=True)
        )
        coded.update(rows)
    return coded


class ProjectCompoundQuerySet(ProjectScopedQuerySet):
    wall = ("compound",)


class LotQuerySet(ProjectScopedQuerySet):
    wall = ("producer",)

    def walled(self, user: Any) -> Q:
        """A lot is a partner's when it produced it or it was shipped to or from it."""
        organizations = own_organizations(user)
        shipped = apps.get_model("compounds", "Shipment").objects.filter(
            Q(from_org__in=organizations) | Q(to_org__in=organizations)
        )
        return super().walled(user) | Q(pk__in=shipped.values("lot_id"))


class LotFileQuerySet(ProjectScopedQuerySet):
    wall = ("lot",)


class ShipmentQuerySet(ProjectScopedQuerySet):
    wall = ("lot",)


class ImportJobQuerySet(ProjectScopedQuerySet):
    wall = ("uploaded_by",)

    def walled(self, user: Any) -> Q:
        """An import is the organization's its uploader acts for on the project."""
        return Q(
            uploaded_by__project_memberships__project=F("project"),
            uploaded_by__project_memberships__organization__in=own_organizations(user),
        )
