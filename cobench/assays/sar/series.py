"""Chemical series of a project: compounds tagged by hand, or matching the series' core.

A compound belongs to a series when it is tagged with it (`SeriesMember`) or when
its structure contains the series' core (a SMILES or SMARTS substructure). The core
is read like a search query (`cobench.search.queries.parse_query`: bounded, RDKit's
messages captured) and membership by core is computed when asked, never stored, so
compounds registered later join by themselves. For a whole project the match goes
through the structure search (`search_substructure`, restricted to the project, at
most `search.MAX_HITS` compounds); for the rows a page shows, `series_of` matches
those rows' structures directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from rdkit import Chem

from cobench.assays.models import Series, SeriesMember
from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.compounds.models import Compound
from cobench.compounds.querysets import blinded_projects
from cobench.core.errors import InvalidInput, NotFound
from cobench.core.permissions import Action
from cobench.core.text import NUL_MESSAGE, clean_text, contains_nul
from cobench.search import services as search
from cobench.search.queries import parse_query
from cobench.tenancy.access import ensure_can
from cobench.tenancy.models import Project, User

MAX_NAME, MAX_DESCRIPTION = 100, 5000


@dataclass(frozen=True)
class Membership:
    """Who is in a series: tagged by hand, matching its core, and whether the core match
    was cut short (more than the search returns, or stopped by its time limit)."""

    tagged: frozenset[UUID]
    by_core: frozenset[UUID]
    partial: bool = False

    @property
    def compounds(self) -> frozenset[UUID]:
        return self.tagged | self.by_core


def _core(errors: dict[str, list[str]], core: Any) -> str:
    """The core as stored: SMILES or SMARTS as typed, a molfile as SMILES; '' for none."""
    if isinstance(core, str) and not core.strip():
        return ""
    try:
        query = parse_query(core, smarts=True)
    except InvalidInput as exc:
        errors["core"] = [m.replace("query", "core") for m in exc.errors.get("query", [])]
        return ""
    return query.smiles if query.kind == "molfile" else query.text


def without_cores(user: Any, series: Iterable[Series]) -> list[Series]:
    """`series` as `user` may read them: a partner shown the project's compounds coded
    (blinded) sees no core, which would draw the scaffold of the coded samples
    (`core_hidden`); in memory, nothing is saved."""
    found = list(series)
    blinded = set(blinded_projects(user)) if found else set()
    for one in found:
        one.core_hidden = bool(one.core) and one.project_id in blinded  # type: ignore[attr-defined]
        if one.core_hidden:  # type: ignore[attr-defined]
            one.core = ""
    return found


def core_query(series: Series) -> Chem.Mol | None:
    """The series' core as an RDKit query molecule, or None for a series without a core."""
    if not series.core:
        return None
    return parse_query(series.core, smarts=True).mol


@transaction.atomic
def create_series(
    *,
    actor: User,
    project: Project,
    name: str,
    core: str = "",
    description: str = "",
    now: datetime | None = None,
) -> Series:
    """Define a series of `project`: a name, and optionally a core substructure that
    brings every compound containing it into the series."""
    member = ensure_can(actor, project, Action.TAG_SERIES)
    errors: dict[str, list[str]] = {}
    name = clean_text(errors, "name", name, limit=MAX_NAME, required=True)
    description = clean_text(errors, "description", description, limit=MAX_DESCRIPTION)
    core = _core(errors, core)
    if not errors and Series.objects.filter(project=project, name__iexact=name).exists():
        errors["name"] = [f"{project.code} already has a series named {name}."]
    if errors:
        raise InvalidInput("The series was not created.", errors=errors)
    series = Series.objects.create(
        project=project,
        name=name,
        core=core,
        description=description,
        created_at=now or timezone.now(),
    )
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.SERIES_CREATED,
        target=series,
        changes={"name": [None, name], "core": [None, core], "description": [None, description]},
    )
    return series


@transaction.atomic
def update_series(
    *,
    actor: User,
    series: Series,
    name: str | None = None,
    core: str | None = None,
    description: str | None = None,
) -> Series:
    """Rename a series, change its core or its description (None: keep)."""
    member = ensure_can(actor, series.project, Action.TAG_SERIES)
    series = Series.objects.select_for_update().get(pk=series.pk)
    errors: dict[str, list[str]] = {}
    before = {"name": series.name, "core": series.core, "description": series.description}
    after = dict(before)
    if name is not None:
        after["name"] = clean_text(errors, "name", name, limit=MAX_NAME, required=True)
    if description is not None:
        after["description"] = clean_text(errors, "description", description, limit=MAX_DESCRIPTION)
    if core is not None:
        after["core"] = _core(errors, core)
    if (
        not errors
        and Series.objects.filter(project_id=series.project_id, name__iexact=after["name"])
        .exclude(pk=series.pk)
        .exists()
    ):
        errors["name"] = [f"{series.project.code} already has a series named {after['name']}."]
    if errors:
        raise InvalidInput(f"Series {series.name} was not changed.", errors=errors)
    changes = audit.diff(before, after)
    if changes:
        series.name, series.core, series.description = (
            after["name"],
            after["core"],
            after["description"],
        )
        series.save(update_fields=["name", "core", "description"])
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.SERIES_UPDATED,
            target=series,
            changes=changes,
        )
    return series


def _project_compound(actor: User, project: Project, compound: Compound | str) -> Compound:
    """A compound registered in `project` that `actor` sees, given as itself or by registry
    id."""
    in_project = Compound.objects.in_project(project, seen_by=actor)
    if isinstance(compound, Compound):
        found = in_project.filter(pk=compound.pk).first()
        if found is None:
            raise NotFound()
        return found
    registry_id = compound.strip() if isinstance(compound, str) else ""
    if contains_nul(registry_id):
        raise InvalidInput(NUL_MESSAGE, errors={"registry_id": [NUL_MESSAGE]})
    found = in_project.by_registry_id(registry_id).first() if registry_id else None
    if found is None:
        message = f"No compound {registry_id or '(none given)'} is registered in {project.code}."
        raise InvalidInput(message, errors={"registry_id": [message]})
    return found


@transaction.atomic
def tag_compound(*, actor: User, series: Series, compound: Compound | str) -> SeriesMember:
    """Tag a compound of the series' project (or its registry id) with the series by hand.
    Tagging it again changes nothing and answers the existing tag."""
    tagger = ensure_can(actor, series.project, Action.TAG_SERIES)
    found = _project_compound(actor, series.project, compound)
    existing = SeriesMember.objects.filter(series=series, compound=found).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            member = SeriesMember.objects.create(
                project_id=series.project_id, series=series, compound=found, added_at=timezone.now()
            )
    except IntegrityError:  # tagged at the same moment by someone else
        return SeriesMember.objects.get(series=series, compound=found)
    audit.record(
        actor=actor,
        organization=tagger.organization,
        event=Event.SERIES_TAGGED,
        target=series,
        changes={"compound": [None, found.registry_id]},
    )
    return member


@transaction.atomic
def untag_compound(*, actor: User, series: Series, compound: Compound | str) -> None:
    """Remove a compound's hand-made tag (a compound matching the core stays a member)."""
    member = ensure_can(actor, series.project, Action.TAG_SERIES)
    found = _project_compound(actor, series.project, compound)
    deleted, _ = SeriesMember.objects.filter(series=series, compound=found).delete()
    if not deleted:
        message = f"{found.registry_id} is not tagged with {series.name}."
        raise InvalidInput(message, errors={"registry_id": [message]})
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.SERIES_UNTAGGED,
        target=series,
        changes={"compound": [found.registry_id, None]},
    )


# Reading ----------------------------------------------------------------------------------


def membership(*, actor: User, series: Series) -> Membership:
    """The compounds of the series' project in the series, as `actor` may see them."""
    tagged = frozenset(
        SeriesMember.objects.visible_to(actor)
        .filter(series=series)
        .values_list("compound_id", flat=True)
    )
    if not series.core:
        return Membership(tagged=tagged, by_core=frozenset())
    found = search.search_substructure(
        actor=actor, query=series.core, query_type="auto", project=series.project
    )
    return Membership(
        tagged=tagged,
        by_core=frozenset(cid for cid, _ in found.found),
        partial=found.more or found.stopped_after_s is not None,
    )


def series_of(project: Project, compounds: Iterable[tuple[UUID, str]]) -> dict[UUID, list[Series]]:
    """The series each of `compounds` ((id, SMILES) pairs of `project`'s compounds, e.g. the
    rows of one page) belongs to: tagged, or containing the core; matched here with RDKit."""
    compounds = list(compounds)
    all_series = list(Series.objects.filter(project=project).order_by("name"))
    tagged: dict[UUID, set[UUID]] = {}
    for series_id, compound_id in SeriesMember.objects.filter(
        series__in=all_series, compound_id__in=[cid for cid, _ in compounds]
    ).values_list("series_id", "compound_id"):
        tagged.setdefault(compound_id, set()).add(series_id)
    cores = [(s, core_query(s)) for s in all_series]
    mols: dict[UUID, Chem.Mol | None] = {}
    found: dict[UUID, list[Series]] = {}
    for cid, smiles in compounds:
        for s, core in cores:
            if s.pk in tagged.get(cid, ()):
                found.setdefault(cid, []).append(s)
                continue
            if core is None:
                continue
            if cid not in mols:
                mols[cid] = Chem.MolFromSmiles(smiles)
            mol = mols[cid]
            if mol is not None and mol.HasSubstructMatch(core):
                found.setdefault(cid, []).append(s)
    return found
