"""Structure search: exact (same parent), substructure and similarity, within what a user may see.

Every search is restricted to the compounds linked to the projects the acting user
is a member of (or to one of them): the backends search only those, and the hits
are fetched again through those links, so a compound of another project never
shows. Two backends run the same searches:

* in-process (SQLite, or PostgreSQL without the RDKit cartridge): FPSim2 and
  RDKit's SubstructLibrary over per-sponsor indexes (`cobench.search.index`);
* the RDKit cartridge in PostgreSQL when its side table exists
  (`cobench.search.cartridge`).

`COBENCH_SEARCH_BACKEND` ("auto", "inprocess", "cartridge") forces one. Exact search
standardizes the query as registration does and looks the parent's registration
key and InChIKey up in the registry, the same SQL on both.

Bounds: a query of more than `MAX_QUERY_ATOMS` atoms is refused; at most
`MAX_HITS` hits are returned (the result says when there were more); a search
stops starting new work after `COBENCH_SEARCH_TIME_LIMIT_S` seconds (PostgreSQL:
the statement timeout) and returns what it found, saying so.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, overload
from uuid import UUID

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q

from cobench.chem.isolation import default_workers
from cobench.compounds import services as compounds
from cobench.compounds.models import Compound, ProjectCompound
from cobench.compounds.querysets import coded_for, their_sources, whole_projects
from cobench.core.errors import InvalidInput
from cobench.core.querysets import member_projects, own_organizations
from cobench.tenancy.models import Project, ProjectPartner, User

from . import cartridge, index
from .models import ProjectLinks
from .queries import MAX_QUERY_ATOMS, Query, QueryType, parse_query

Mode = Literal["exact", "substructure", "similarity"]
MODES: tuple[Mode, ...] = ("exact", "substructure", "similarity")
MAX_HITS = 1000
DEFAULT_TOP = 50
HIT_FIELDS = ("id", "registry_id", "smiles", "formula", "mw")

__all__ = ["MAX_HITS", "MAX_QUERY_ATOMS", "MODES", "Hit", "Result", "search"]


@dataclass(frozen=True)
class Hit:
    """One compound found: its score (Tanimoto; 1 for exact; None for substructure) and the
    projects it is in that the searcher is a member of."""

    compound_id: UUID
    registry_id: str
    smiles: str
    formula: str
    mw: float
    score: float | None
    projects: list[Project]


@dataclass(frozen=True)
class Result:
    """What a search found (`found`: compound ids and scores, best first, at most MAX_HITS)
    and how far it got; `hits(start, stop)` fetches a slice of them for display."""

    mode: Mode
    query: Query | None
    found: Sequence[tuple[UUID, float | None]]
    scope: Scope
    more: bool = False
    stopped_after_s: float | None = None
    backend: str = "inprocess"

    @property
    def count(self) -> int:
        return len(self.found)

    def hits(self, start: int = 0, stop: int | None = None) -> list[Hit]:
        """The found compounds from `start` to `stop`, fetched through the searcher's links."""
        return _hits(self.scope, self.found[start:stop])

    @property
    def message(self) -> str:
        """What the searcher should know beyond the hits, or ''."""
        if self.stopped_after_s is not None:
            return (
                f"Stopped after {self.stopped_after_s:.1f} s: partial results. "
                "Narrow the query (more atoms, fewer wildcards) or pick a project."
            )
        if self.more:
            return f"The first {self.count:,} hits of more; narrow the query to see the rest."
        return ""


class _Unscored(Sequence[tuple[UUID, None]]):
    """Compounds found without a score, as rows of id bytes made UUIDs only when read: a
    page shows 50 of up to 1,000 hits, and making every id took a search a millisecond."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, i: int) -> tuple[UUID, None]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[UUID, None]]: ...
    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [(UUID(bytes=row.tobytes()), None) for row in self.rows[i]]
        return (UUID(bytes=self.rows[i].tobytes()), None)


def _workers() -> int:
    return int(getattr(settings, "COBENCH_SEARCH_THREADS", 0)) or default_workers()


def _time_limit() -> float:
    return float(getattr(settings, "COBENCH_SEARCH_TIME_LIMIT_S", 10.0))


def backend() -> str:
    """The backend searches use on this database: 'cartridge' or 'inprocess'."""
    chosen = getattr(settings, "COBENCH_SEARCH_BACKEND", "auto")
    if chosen == "auto":
        return "cartridge" if cartridge.available() else "inprocess"
    return chosen


# Scope ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The projects searched (`by_sponsor`), all the projects the searcher sees, and what the
    in-process indexes compare to keep in step: each project's link count, each sponsor's
    highest compound number (read in the same statement, so from one snapshot).

    On a `walled` project the searcher (a partner's people) sees only some compounds (the
    partner walls, `cobench.compounds.querysets`): the ids of those of the searched walled
    projects are in `seen`, per sponsor, as bytes (as the in-process index holds them).
    """

    by_sponsor: dict[UUID, list[UUID]]
    visible: dict[UUID, Project]
    links: dict[UUID, int]
    last: dict[UUID, int]
    walled: frozenset[UUID] = frozenset()
    seen: dict[UUID, set[bytes]] = field(default_factory=dict)
    actor: User | None = None

    @property
    def projects(self) -> list[UUID]:
        """The searched projects whose every compound the searcher sees."""
        return [p for ps in self.by_sponsor.values() for p in ps if p not in self.walled]

    @property
    def seen_ids(self) -> list[UUID]:
        """The compounds the searcher sees on the searched walled projects."""
        return [UUID(bytes=pk) for ids in self.seen.values() for pk in ids]


def _scope(actor: User, project: Project | None) -> Scope:
    """The searcher's projects with their link counts, sponsors' highest numbers and whether
    the walls apply, in one statement (`SCOPE_SQL`) around the tenancy restriction's own
    subqueries: every search runs it, and building it with the ORM took longer than running
    it."""
    if not (actor and actor.is_authenticated and actor.is_active):
        return Scope(by_sponsor={}, visible={}, links={}, last={})
    rows = _run(_scope_sql(connection.alias), actor)
    visible: dict[UUID, Project] = {}
    links: dict[UUID, int] = {}
    last: dict[UUID, int] = {}
    by_sponsor: dict[UUID, list[UUID]] = {}
    walled: set[UUID] = set()
    for pk, code, name, sponsor_id, link_count, highest, is_walled in rows:
        pk, sponsor_id = _uuid(pk), _uuid(sponsor_id)
        visible[pk] = Project(id=pk, code=code, name=name, sponsor_id=sponsor_id)
        links[pk], last[sponsor_id] = link_count or 0, highest or 0
        if project is None or pk == project.pk:
            by_sponsor.setdefault(sponsor_id, []).append(pk)
        if is_walled:
            walled.add(pk)
    seen: dict[UUID, set[bytes]] = {}
    for pk in walled:
        sponsor_id = visible[pk].sponsor_id
        if pk in by_sponsor.get(sponsor_id, ()):  # a project's compounds are its sponsor's
            theirs = _run(_theirs_sql(connection.alias), actor, visible[pk])
            seen.setdefault(sponsor_id, set()).update(_id_bytes(pk) for (pk,) in theirs)
    return Scope(
        by_sponsor=by_sponsor,
        visible=visible,
        links=links,
        last=last,
        walled=frozenset(walled),
        seen=seen,
        actor=actor,
    )


def _walled_projects(actor: User) -> Any:
    """The projects where `actor` sees only some of the compounds, or some only coded: a
    partner's people, where the sponsor shares fewer than all of them and partners do not
    see each other's work, or shares them blinded (then a search finds only those the
    partner made or was asked to make: `Scope.seen`)."""
    blinded = ProjectPartner.objects.filter(
        organization__in=own_organizations(actor), blinded=True
    ).values("project_id")
    return member_projects(actor).filter(
        ~Q(project__in=whole_projects(actor)) | Q(project__in=blinded)
    )


# Statements compiled once a process, for stand-ins of the user and the project: compiling
# the restriction's subqueries for every search took it 3 ms (`_run` binds the real ones)
_STAND_IN_USER, _STAND_IN_PROJECT = UUID(int=0), UUID(int=1)
Compiled = tuple[str, tuple[Any, ...]]


def _compiled(rows: Any, alias: str) -> Compiled:
    sql, params = rows.query.get_compiler(using=alias).as_sql()
    return sql, tuple(params)


def _run(compiled: Compiled, user: User, project: Project | None = None) -> list[tuple[Any, ...]]:
    """The rows of a compiled statement for `user` (and `project`) in place of the stand-ins."""
    sql, params = compiled
    prep = User._meta.pk.get_db_prep_value
    real = {prep(_STAND_IN_USER, connection): prep(user.pk, connection)}
    if project is not None:
        real[prep(_STAND_IN_PROJECT, connection)] = prep(project.pk, connection)
    bound = [real.get(p, p) if isinstance(p, str | UUID) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


@lru_cache(maxsize=4)
def _scope_sql(alias: str) -> Compiled:
    """`SCOPE_SQL` around `member_projects` and `_walled_projects`."""
    user = User(pk=_STAND_IN_USER, is_active=True)
    parts: dict[str, str] = {}
    params: list[Any] = []
    # in the statement's order: the walled projects' column, then the members' condition
    for name, rows in (("walled", _walled_projects(user)), ("members", member_projects(user))):
        parts[name], part_params = _compiled(rows, alias)
        params += part_params
    sql = SCOPE_SQL.format(
        project=Project._meta.db_table,
        links=ProjectLinks._meta.db_table,
        compound=Compound._meta.db_table,
        **parts,
    )
    return sql, tuple(params)


@lru_cache(maxsize=4)
def _theirs_sql(alias: str) -> Compiled:
    """The ids of the compounds a walled partner sees with their structure on one project
    (`cobench.compounds.querysets.their_ids`), as one statement."""
    user, project = User(pk=_STAND_IN_USER, is_active=True), Project(pk=_STAND_IN_PROJECT)
    projects = member_projects(user).filter(project=project)
    made, asked, tagged = (
        source.order_by().values("compound_id")
        for source in their_sources(user, projects, with_structure=True)
    )
    return _compiled(made.union(asked, tagged), alias)


SCOPE_SQL = """
SELECT p.id, p.code, p.name, p.sponsor_id,
  (SELECT l.links FROM {links} l WHERE l.project_id = p.id),
  (SELECT c.number FROM {compound} c WHERE c.sponsor_id = p.sponsor_id
   ORDER BY c.number DESC LIMIT 1),
  p.id IN ({walled})
FROM {project} p WHERE p.id IN ({members}) ORDER BY p.code
"""


def _id_bytes(value: UUID | str) -> bytes:
    """A UUID as the database driver gives it (SQLite: 32 hex digits) as its 16 bytes."""
    return value.bytes if isinstance(value, UUID) else bytes.fromhex(value)


def _uuid(value: UUID | str) -> UUID:
    """A UUID as the database driver gives it (SQLite: 32 hex digits) made a UUID."""
    return value if isinstance(value, UUID) else UUID(value)


def _indexes(scope: Scope) -> list[tuple[index.SponsorIndex, np.ndarray | None]]:
    """The in-process indexes of the scope's sponsors, each brought up to date (see index),
    with the positions the searcher may see in each (None: all of them)."""
    found = []
    for sponsor_id, projects in scope.by_sponsor.items():
        sponsor_index = index.for_sponsor(connection.settings_dict["NAME"], sponsor_id)
        with sponsor_index.lock:
            sponsor_index.refresh(scope.last[sponsor_id], {p: scope.links[p] for p in projects})
            allowed = sponsor_index.allowed([p for p in projects if p not in scope.walled])
            if allowed is not None and sponsor_id in scope.seen:
                allowed = allowed.copy()  # the index keeps its masks: add to a copy
                allowed[sponsor_index.positions_of(scope.seen[sponsor_id])] = True
        found.append((sponsor_index, allowed))
    return found


def prepare_index(sponsor_id: UUID) -> None:
    """Build a sponsor's in-process index, or bring its file up to date, and write it: run
    by the worker after a large import (`prepare_grown_indexes`), so that each web process
    reads the file instead of building the index itself. The worker keeps no index in
    memory afterwards."""
    if backend() != "inprocess":
        return
    database = connection.settings_dict["NAME"]
    last = Compound.objects.filter(sponsor_id=sponsor_id).order_by("-number").first()
    sponsor_index = index.for_sponsor(database, sponsor_id)
    with sponsor_index.lock:
        sponsor_index.refresh(last.number if last else 0, {})
    index.forget(database, sponsor_id)


def prepare_grown_indexes() -> list[UUID]:
    """Prepare the index of each sponsor whose registry has grown by `index.SAVE_AT`
    compounds or more past its file (a large import): the sponsors whose index was written.

    Registration calls nothing of the search; this periodic look at the registry is how
    the worker, not the first search of a web process, pays for a large import.
    """
    if backend() != "inprocess":
        return []
    database = connection.settings_dict["NAME"]
    highest = Compound.objects.values("sponsor_id").annotate(last=Max("number"))
    grown = []
    for sponsor_id, last in highest.values_list("sponsor_id", "last"):
        path = index.path_for(database, sponsor_id)
        if path is not None and last - index.saved_last(path) >= index.SAVE_AT:
            prepare_index(sponsor_id)
            grown.append(sponsor_id)
    return grown


def _hits(scope: Scope, ranked: Sequence[tuple[UUID, float | None]]) -> list[Hit]:
    """The ranked compounds, fetched again through the searcher's project links, the light
    fields only (a page asks for the pictures of the hits it shows): one statement
    (`HITS_SQL`), as hot as the scope's. A coded sample is never a hit (the scope keeps
    them out of the search; this is the last check)."""
    coded = coded_for(scope.actor, [compound_id for compound_id, _ in ranked])
    ranked = [(compound_id, score) for compound_id, score in ranked if compound_id not in coded]
    if not ranked:
        return []
    ids = [compound_id for compound_id, _ in ranked]
    native = connection.features.has_native_uuid_field  # else 32 hex digits, as UUID.hex
    with connection.cursor() as cursor:
        cursor.execute(
            HITS_SQL.format(
                link=ProjectCompound._meta.db_table,
                compound=Compound._meta.db_table,
                fields=", ".join(f"c.{name}" for name in HIT_FIELDS[1:]),
                ids=", ".join(["%s"] * len(ids)),
                projects=", ".join(["%s"] * len(scope.visible)),
            ),
            [value if native else value.hex for value in (*ids, *scope.visible)],
        )
        rows = cursor.fetchall()
    visible = {pk.hex: project for pk, project in scope.visible.items()}
    compounds: dict[str, tuple[str, str, str, float]] = {}
    linked: dict[str, list[Project]] = {}
    for project_id, compound_id, registry_id, smiles, formula, mw in rows:
        key = compound_id.hex if native else compound_id
        compounds[key] = (registry_id, smiles, formula, mw)
        linked.setdefault(key, []).append(visible[project_id.hex if native else project_id])
    return [
        Hit(compound_id, *compounds[key], score, sorted(linked[key], key=lambda p: p.code))
        for compound_id, score in ranked
        if (key := compound_id.hex) in compounds
    ]


HITS_SQL = """
SELECT pc.project_id, pc.compound_id, {fields}
FROM {link} pc JOIN {compound} c ON c.id = pc.compound_id
WHERE pc.compound_id IN ({ids}) AND pc.project_id IN ({projects})
"""


# Validation -------------------------------------------------------------------------------


def _check_number(name: str, value: object, low: float, high: float, kind: type) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        ok = ok and float(value).is_integer()  # type: ignore[arg-type]
    if not ok or not (low <= value <= high):  # type: ignore[operator]
        what = "a whole number" if kind is int else "a number"
        raise InvalidInput(
            f"{name.capitalize()} must be {what} from {low:g} to {high:g}.",
            errors={name: [f"{what.capitalize()} from {low:g} to {high:g}."]},
        )


# Searches ---------------------------------------------------------------------------------


def search_exact(*, actor: User, query: str, project: Project | None = None) -> Result:
    """Compounds with the same parent as `query`: standardized as registration does."""
    std = compounds.standardize_one(query, field="query")
    scope = _scope(actor, project)
    linked = Q(
        Exists(
            ProjectCompound.objects.filter(
                project_id__in=scope.projects, compound_id=OuterRef("pk")
            )
        )
    )
    if scope.seen:
        linked |= Q(pk__in=scope.seen_ids)
    # one lookup per index (OR-ed, or with the sponsor beside the InChIKey, which the link
    # implies, SQLite walks the whole registry), each compound checked through its links
    lookups = (
        {"sponsor_id__in": list(scope.by_sponsor), "registration_key": std.registration_key},
        {"inchikey": std.inchikey},
    )
    same = {
        (sponsor_id, number, pk)
        for lookup in lookups
        for sponsor_id, number, pk in Compound.objects.filter(linked, **lookup)
        .order_by()
        .values_list("sponsor_id", "number", "pk")[: MAX_HITS + 1]
    }
    found: list[tuple[UUID, float | None]] = [(pk, 1.0) for *_, pk in sorted(same)]
    parsed = Query(text=query.strip(), kind="smiles", mol=std.parent)
    return Result(
        "exact", parsed, found[:MAX_HITS], scope, more=len(found) > MAX_HITS, backend=backend()
    )


def search_similarity(
    *,
    actor: User,
    query: str,
    query_type: QueryType = "auto",
    threshold: float = 0.0,
    top: int = DEFAULT_TOP,
    project: Project | None = None,
) -> Result:
    """The `top` compounds most similar to `query` (Tanimoto, Morgan radius 2, 2048 bits)
    with a similarity of at least `threshold`, best first."""
    _check_number("threshold", threshold, 0, 1, float)
    _check_number("top", top, 1, MAX_HITS, int)
    parsed = parse_query(query, query_type=query_type, smarts=False)
    scope = _scope(actor, project)
    which = backend()
    if not scope.by_sponsor:
        return Result("similarity", parsed, [], scope, backend=which)
    began, stopped = time.monotonic(), False
    if which == "cartridge":
        try:
            ranked = cartridge.similar(
                parsed,
                sponsors=list(scope.by_sponsor),
                projects=scope.projects,
                compounds=scope.seen_ids,
                threshold=threshold,
                k=top + 1,
                time_limit_s=_time_limit(),
            )
        except cartridge.TimedOut:
            ranked, stopped = [], True
    else:
        fp = index.morgan(parsed.mol)
        scored: list[tuple[UUID, float]] = []
        for sponsor_index, allowed in _indexes(scope):
            with sponsor_index.lock:
                similar = sponsor_index.similar(
                    fp,
                    threshold=threshold,
                    k=top + 1,
                    allowed=allowed,
                    workers=_workers(),
                )
                scored += [(sponsor_index.compound_id(p), float(c)) for p, c in similar]
        ranked = sorted(scored, key=lambda hit: -hit[1])
    found: list[tuple[UUID, float | None]] = list(ranked[:top])
    return Result(
        "similarity",
        parsed,
        found,
        scope,
        more=len(ranked) > top,
        stopped_after_s=time.monotonic() - began if stopped else None,
        backend=which,
    )


def search_substructure(
    *,
    actor: User,
    query: str,
    query_type: QueryType = "auto",
    project: Project | None = None,
) -> Result:
    """Compounds containing `query` (SMILES, SMARTS or molfile), in registry order."""
    parsed = parse_query(query, query_type=query_type, smarts=True)
    scope = _scope(actor, project)
    which = backend()
    if not scope.by_sponsor:
        return Result("substructure", parsed, [], scope, backend=which)
    began, limit = time.monotonic(), _time_limit()
    stopped = False
    found: Sequence[tuple[UUID, float | None]]
    if which == "cartridge":
        try:
            ids = cartridge.substructure(
                parsed,
                sponsors=list(scope.by_sponsor),
                projects=scope.projects,
                compounds=scope.seen_ids,
                cap=MAX_HITS + 1,
                time_limit_s=limit,
            )
        except cartridge.TimedOut:
            ids, stopped = [], True
        more, found = len(ids) > MAX_HITS, [(cid, None) for cid in ids[:MAX_HITS]]
    else:
        rows, count, more = [], 0, False
        for sponsor_index, allowed in _indexes(scope):
            remaining = max(0.0, limit - (time.monotonic() - began))
            with sponsor_index.lock:
                matches = sponsor_index.substructure(
                    parsed.mol,
                    cap=MAX_HITS - count,
                    allowed=allowed,
                    workers=_workers(),
                    time_limit_s=remaining,
                )
                rows.append(sponsor_index.ids[matches.positions])  # a copy: the index moves on
            count += len(matches.positions)
            stopped, more = stopped or matches.stopped, more or matches.more
            if more or stopped:
                break
        found = _Unscored(np.concatenate(rows) if rows else np.zeros((0, 16), np.uint8))
    return Result(
        "substructure",
        parsed,
        found,
        scope,
        more=more,
        stopped_after_s=time.monotonic() - began if stopped else None,
        backend=which,
    )


def search(
    *,
    actor: User,
    mode: Mode,
    query: str,
    query_type: QueryType = "auto",
    threshold: float = 0.0,
    top: int = DEFAULT_TOP,
    project: Project | None = None,
) -> Result:
    """One search of `mode`; the doors call this with what the user typed."""
    if mode == "exact":
        return search_exact(actor=actor, query=query, project=project)
    if mode == "substructure":
        return search_substructure(actor=actor, query=query, query_type=query_type, project=project)
    if mode == "similarity":
        return search_similarity(
            actor=actor,
            query=query,
            query_type=query_type,
            threshold=threshold,
            top=top,
            project=project,
        )
    raise InvalidInput("Unknown search mode.", errors={"mode": [f"One of {', '.join(MODES)}."]})
