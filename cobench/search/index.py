"""The in-process search index: per sponsor registry, FPSim2 for similarity, SubstructLibrary for
substructure, and per project masks for the tenancy restriction.

How an index keeps in step with registration (registration calls nothing here):

* An index holds one sponsor's registry; position ``i`` is its ``i``-th compound in
  the order of ``Compound.number``, so ``numbers`` is sorted and maps a compound
  number to its position with a binary search.
* Before each search the caller reads, in two small queries, each project's link
  count (``ProjectLinks``, kept by database triggers) and then each sponsor's
  highest compound number (one index lookup per sponsor). Numbers are handed out
  under a row lock held until commit, so they commit in order: the compounds above
  the index's ``last`` are exactly the new ones. Only those are read and appended
  (``SubstructLibrary`` holders and a small FPSim2 "delta" engine), with their links.
* A project whose link count differs from the links the index holds (a known
  compound registered in another project) has its mask read again, that project only.
* A highest number below ``last`` means rows were rolled back or the database
  replaced: the index starts again from nothing.

Tenancy costs no database work per hit: a user's scope is the OR of the masks of
their projects (numpy, a byte per compound), and results are positions filtered by
it; the service still fetches the hits through the restricted queryset.

FPSim2 needs its fingerprints sorted by popcount, so appended compounds go to a
small delta engine (re-sorted on each append) searched beside the main one, and
are merged into the main engine when the delta grows past `MERGE_AT` or a tenth of
the index. One lock per index serializes refreshes and searches.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import numpy as np
import rdkit
from FPSim2 import FPSim2Engine
from FPSim2 import __version__ as fpsim2_version
from FPSim2.io.backends.base import BaseStorageBackend
from rdkit import Chem, DataStructs
from rdkit.Chem import rdFingerprintGenerator, rdSubstructLibrary

FP_TYPE = "Morgan"
FP_PARAMS: dict[str, Any] = {"radius": 2, "fpSize": 2048}
WORDS = FP_PARAMS["fpSize"] // 64
MERGE_AT = 20_000
PARALLEL_AT = 20_000
"""A load of at least this many compounds has their fingerprints made by worker processes."""
CHUNK = 5_000
SAVE_AT = 10_000
"""An index is written to its file when it holds this many compounds more than the file."""
FORMAT = 2

log = logging.getLogger(__name__)
FIRST_CHUNK = 50_000
"""Positions scanned by the first substructure step; each later step is sized by the pace
of the one before to take about a tenth of the time limit."""

_SIM_DTYPE = np.dtype([("mol_id", "<u4"), ("coeff", "<f4")])


def morgan(mol: Chem.Mol) -> DataStructs.ExplicitBitVect:
    """The similarity fingerprint: Morgan, radius 2, 2048 bits."""
    return rdFingerprintGenerator.GetMorganGenerator(**FP_PARAMS).GetFingerprint(mol)


def fp_rows(mols: Sequence[Chem.Mol | None], first: int) -> np.ndarray:
    """FPSim2 rows (position, fingerprint words, popcount) for mols at positions first, ..."""
    generator = rdFingerprintGenerator.GetMorganGenerator(**FP_PARAMS)
    rows = np.zeros((len(mols), WORDS + 2), dtype=np.uint64)
    rows[:, 0] = np.arange(first, first + len(mols), dtype=np.uint64)
    for i, mol in enumerate(mols):
        if mol is not None:
            bits = generator.GetFingerprintAsNumPy(mol)
            # FPSim2's layout: 64 bits a word, the first bit the most significant
            rows[i, 1:-1] = np.packbits(bits).view(">u8")
            rows[i, -1] = int(bits.sum())
    return rows


def index_rows(smiles: Sequence[str]) -> tuple[list[bool], list[Any], np.ndarray]:
    """What the index holds for each SMILES: whether RDKit reads it, its substructure screen
    (pattern fingerprint) and its FPSim2 row (positions from 0). A SMILES RDKit does not
    read gets the empty molecule's screen and a zero row: it keeps its place, matching nothing."""
    holder = rdSubstructLibrary.PatternHolder()
    mols = [Chem.MolFromSmiles(text) for text in smiles]
    patterns = [holder.MakeFingerprint(mol or Chem.Mol()) for mol in mols]
    return [mol is not None for mol in mols], patterns, fp_rows(mols, 0)


class _Memory(BaseStorageBackend):
    """FPSim2 storage over fingerprints already in memory, sorted by popcount here."""

    def __init__(self, rows: np.ndarray) -> None:
        self.fps = rows[np.argsort(rows[:, -1], kind="stable")]
        self.popcnt_bins = self.calc_popcnt_bins(self.fps) if len(self.fps) else []
        self.fp_type, self.fp_params = FP_TYPE, dict(FP_PARAMS)
        self.rdkit_ver, self.fpsim2_ver = rdkit.__version__, fpsim2_version
        self.in_memory_fps = True

    def load_fps(self, in_memory_fps: bool, fps_sort: bool) -> None:  # pragma: no cover
        pass

    def read_parameters(self) -> None:  # pragma: no cover
        pass

    def load_popcnt_bins(self) -> None:  # pragma: no cover
        pass


def workers_for(size: int, threads: int) -> int:
    """Threads worth using on `size` fingerprints: one per 100,000 (a pool costs more below)."""
    return max(1, min(threads, size // 100_000))


class Engine(FPSim2Engine):
    """FPSim2's in-memory engine built from fingerprint rows rather than an HDF5 file."""

    def __init__(self, rows: np.ndarray) -> None:
        self.storage = _Memory(rows)
        self.in_memory_fps = True
        self.fp_filename = ""
        self.empty_sim = np.ndarray((0,), dtype=_SIM_DTYPE)
        self.empty_subs = np.ndarray((0,), dtype="<u4")

    def __len__(self) -> int:
        return int(self.fps.shape[0])

    def top(
        self, query: Any, k: int, threshold: float, allowed: np.ndarray | None, workers: int
    ) -> np.ndarray:
        """The `k` most similar at or above `threshold` among the `allowed` positions.

        A searcher who sees less than a quarter of the index has only those fingerprints
        compared (an engine of them, a copy of a quarter at most); else the nearest are
        looked for among all of them until enough are allowed."""
        if not len(self):
            return self.empty_sim
        k_try = k
        if allowed is not None:
            seen = np.count_nonzero(allowed) / max(1, len(allowed))
            if seen < 0.25:
                mine = Engine(self.fps[allowed[self.fps[:, 0].astype(np.int64)]])
                return mine.top(query, k, threshold, None, workers)
            # a searcher seeing a fraction of the index needs about k / fraction neighbours
            k_try = min(len(self), int(k / max(seen, 1e-6) * 1.2) + 8)
        while True:
            found = self.top_k(query, k_try, threshold, n_workers=workers)
            if allowed is None:
                return found
            kept = found[allowed[found["mol_id"]]]
            if len(kept) >= k or len(found) < k_try:
                return kept[:k]
            k_try *= 8  # most neighbours were outside the scope: look further


@dataclass(frozen=True)
class Substructures:
    """Positions matching a substructure query; `more` if the cap cut them, `stopped` if time."""

    positions: np.ndarray
    more: bool
    stopped: bool


class SponsorIndex:
    """One sponsor's compounds ready for similarity and substructure search."""

    def __init__(self, sponsor_id: UUID, path: Path | None = None) -> None:
        self.sponsor_id = sponsor_id
        self.path = path  # where the index is kept for the next process (None: nowhere)
        self.lock = threading.Lock()
        self._clear()

    def _clear(self) -> None:
        self.size = 0
        self.last = 0
        self.numbers = np.zeros(0, dtype=np.int64)
        self.ids = np.zeros((0, 16), dtype=np.uint8)  # compound ids (UUID bytes) by position
        self.main = Engine(np.zeros((0, WORDS + 2), dtype=np.uint64))
        self.delta_rows = np.zeros((0, WORDS + 2), dtype=np.uint64)
        self.delta = Engine(self.delta_rows)
        self.mols = rdSubstructLibrary.CachedTrustedSmilesMolHolder()
        self.patterns = rdSubstructLibrary.PatternHolder()
        self.substructs = rdSubstructLibrary.SubstructLibrary(self.mols, self.patterns)
        self.masks: dict[UUID, np.ndarray] = {}
        self.links: dict[UUID, int] = {}
        self._scopes: dict[frozenset[UUID], np.ndarray | None] = {}  # `allowed`, until a change
        self._by_id: tuple[np.ndarray, np.ndarray] | None = None  # `positions_of`, until a change
        self.saved = 0  # compounds in the index's file

    # Keeping in step -------------------------------------------------------------------

    def refresh(self, last: int, links: dict[UUID, int]) -> None:
        """Bring the index up to `last` (highest number) and the projects' link counts."""
        if last < self.last:
            self._clear()
        if last > self.last:
            if self.path and last - self.last >= SAVE_AT:
                self._restore(self.path, last)  # a new process, or a large import read by another
            if last > self.last:
                self._load(last)
            if self.path and self.size - self.saved >= SAVE_AT:
                self._save(self.path)
        for project_id, count in links.items():
            if self.links.get(project_id, 0) != count:
                self._reload_links(project_id)

    # Kept on disk: a new process reads the index instead of building it -----------------

    def _save(self, path: Path) -> None:
        """Write the index to its file (aside first, then renamed over it); a failure to
        write is logged, never a failed search."""
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        meta = {
            "format": FORMAT,
            "versions": _versions(),
            "last": self.last,
            "size": self.size,
            "links": {project_id.hex: count for project_id, count in self.links.items()},
        }
        masks = {f"mask_{p.hex}": np.packbits(mask) for p, mask in self.masks.items()}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(partial, "wb") as f:
                np.savez(
                    f,
                    meta=np.frombuffer(json.dumps(meta).encode(), np.uint8),
                    numbers=self.numbers,
                    ids=self.ids,
                    fps=np.concatenate([self.main.fps, self.delta_rows]),
                    substructs=np.frombuffer(self.substructs.Serialize(), np.uint8),
                    **masks,  # type: ignore[arg-type]  # stubs read them as savez's options
                )
            os.replace(partial, path)
            self.saved = self.size
        except OSError as e:
            partial.unlink(missing_ok=True)
            log.warning("search index %s not written: %s", path, e)

    def _restore(self, path: Path, last: int) -> None:
        """Take the index from its file when it holds more than this one and still
        describes this registry: the same versions, numbers up to `last` at most, and its
        last compound the registry's."""
        from cobench.compounds.models import Compound

        try:
            with np.load(path) as kept:
                meta = json.loads(kept["meta"].tobytes())
                if meta.get("format") != FORMAT or meta.get("versions") != _versions():
                    return
                if not self.last < meta["last"] <= last:
                    return
                ids = kept["ids"]
                same = Compound.objects.filter(
                    sponsor_id=self.sponsor_id,
                    number=meta["last"],
                    id=UUID(bytes=ids[-1].tobytes()),
                ).exists()
                if not same:
                    return
                substructs = rdSubstructLibrary.SubstructLibrary(kept["substructs"].tobytes())
                numbers, main = kept["numbers"], Engine(kept["fps"])
                masks = {
                    UUID(hex=project): np.unpackbits(
                        kept[f"mask_{project}"], count=len(ids)
                    ).astype(bool)
                    for project in meta["links"]
                }
        except FileNotFoundError:
            return
        except Exception as e:  # a file cut short or not ours: build from the database
            log.warning("search index %s not read: %s", path, e)
            return
        self._clear()
        self.numbers, self.ids, self.main, self.substructs = numbers, ids, main, substructs
        self.mols, self.patterns = substructs.GetMolHolder(), substructs.GetFpHolder()
        self.size = self.saved = len(self.ids)
        self.last = int(self.numbers[-1])
        # each project's links as they were: a project whose count has changed since is
        # read again when it is searched (at a million, reading them all takes half a minute)
        self.masks = masks
        self.links = {UUID(hex=project): count for project, count in meta["links"].items()}

    def _load(self, last: int) -> None:
        from cobench.compounds.models import Compound, ProjectCompound

        before = self.last
        rows = (
            Compound.objects.filter(sponsor_id=self.sponsor_id, number__gt=before, number__lte=last)
            .order_by("number")
            .values_list("id", "number", "smiles")
        )
        batches: list[list[tuple[UUID, int, str]]] = [[]]
        for row in rows.iterator(chunk_size=CHUNK):
            if len(batches[-1]) == CHUNK:
                batches.append([])
            batches[-1].append(row)
        if sum(map(len, batches)) < PARALLEL_AT:
            for batch in batches:
                self.append(batch)
        else:
            self._append_in_workers(batches)
        if len(self.delta_rows) >= MERGE_AT:
            self._merge()  # after a bulk load, one engine searches faster than two
        self.last = last
        links = ProjectCompound.objects.filter(
            compound__sponsor_id=self.sponsor_id,
            compound__number__gt=before,
            compound__number__lte=last,
        ).values_list("project_id", "compound__number")
        self._link(links)

    def _append_in_workers(self, batches: list[list[tuple[UUID, int, str]]]) -> None:
        """Append `batches`, their fingerprints computed by worker processes on all the cores
        (a million compounds take a quarter of an hour in one). A batch whose worker fails
        is done again a compound at a time; a compound that fails alone matches nothing."""
        from cobench.chem.isolation import RecordError, iter_isolated, run_isolated

        texts = [[smiles for _, _, smiles in batch] for batch in batches]
        computed = iter_isolated(index_rows, texts, timeout_s=300, memory_mb=None)
        for batch, result in zip(batches, computed, strict=True):
            if isinstance(result, RecordError):
                singles = run_isolated(index_rows, [[s] for _, _, s in batch], timeout_s=10)
                ones = [index_rows([""]) if isinstance(r, RecordError) else r for r in singles]
                result = (
                    [ok for one in ones for ok in one[0]],
                    [pattern for one in ones for pattern in one[1]],
                    np.concatenate([one[2] for one in ones]),
                )
            self.append(batch, result)

    def append(
        self,
        compounds: Sequence[tuple[UUID, int, str]],
        computed: tuple[list[bool], list[Any], np.ndarray] | None = None,
    ) -> None:
        """Add compounds (id, number, canonical SMILES) numbered above those held, in order;
        `computed` is their `index_rows` when already made (else they are made here)."""
        if not compounds:
            return
        valid, patterns, rows = computed or index_rows([smiles for _, _, smiles in compounds])
        for (_, _, smiles), ok, pattern in zip(compounds, valid, patterns, strict=True):
            self.mols.AddSmiles(smiles if ok else "")
            self.patterns.AddFingerprint(pattern)
        rows[:, 0] = np.arange(self.size, self.size + len(compounds), dtype=np.uint64)
        ids = np.frombuffer(b"".join(c.bytes for c, _, _ in compounds), np.uint8).reshape(-1, 16)
        self.ids = np.concatenate([self.ids, ids])
        self.numbers = np.concatenate([self.numbers, [n for _, n, _ in compounds]])
        self.size += len(compounds)
        self.last = max(self.last, int(self.numbers[-1]))
        self.delta_rows = np.concatenate([self.delta_rows, rows])
        if len(self.delta_rows) >= max(MERGE_AT, self.size // 10):
            self._merge()
        else:
            self.delta = Engine(self.delta_rows)
        for project_id, mask in self.masks.items():
            self.masks[project_id] = np.concatenate([mask, np.zeros(len(compounds), bool)])
        self._scopes.clear()
        self._by_id = None

    def _merge(self) -> None:
        """Move the delta's fingerprints into the main engine (one sort of the whole index)."""
        self.main = Engine(np.concatenate([self.main.fps, self.delta_rows]))
        self.delta_rows = np.zeros((0, WORDS + 2), dtype=np.uint64)
        self.delta = Engine(self.delta_rows)

    def compound_id(self, position: int) -> UUID:
        return UUID(bytes=self.ids[position].tobytes())

    def positions(self, numbers: Iterable[int]) -> np.ndarray:
        """Positions of the held compounds with these numbers (others are left out)."""
        wanted = np.fromiter(numbers, dtype=np.int64)
        at = np.searchsorted(self.numbers, wanted)
        ok = at < self.size
        ok[ok] = self.numbers[at[ok]] == wanted[ok]
        return at[ok]

    def positions_of(self, ids: Iterable[bytes]) -> np.ndarray:
        """Positions of the held compounds with these ids (each its 16 bytes; others are left
        out), by the ids sorted once: a partner's own compounds come as ids, and joining each
        to its number took a walled search 10 ms a thousand."""
        if self._by_id is None:
            keys = self.ids.view("S16").ravel()
            order = np.argsort(keys)
            self._by_id = keys[order], order
        keys, order = self._by_id
        wanted = np.frombuffer(b"".join(ids), "S16")
        at = np.searchsorted(keys, wanted)
        ok = at < len(keys)
        ok[ok] = keys[at[ok]] == wanted[ok]
        return order[at[ok]]

    def _link(self, links: Iterable[tuple[UUID, int]]) -> None:
        by_project: dict[UUID, list[int]] = {}
        for project_id, number in links:
            by_project.setdefault(project_id, []).append(number)
        for project_id, numbers in by_project.items():
            mask = self.masks.setdefault(project_id, np.zeros(self.size, bool))
            mask[self.positions(numbers)] = True
            self.links[project_id] = self.links.get(project_id, 0) + len(numbers)
        self._scopes.clear()

    def _reload_links(self, project_id: UUID) -> None:
        from cobench.compounds.models import ProjectCompound

        numbers = list(
            ProjectCompound.objects.filter(
                project_id=project_id, compound__sponsor_id=self.sponsor_id
            ).values_list("compound__number", flat=True)
        )
        mask = np.zeros(self.size, bool)
        mask[self.positions(numbers)] = True
        self.masks[project_id], self.links[project_id] = mask, len(numbers)
        self._scopes.clear()

    # Searching -------------------------------------------------------------------------

    def allowed(self, projects: Iterable[UUID]) -> np.ndarray | None:
        """The positions the projects' members may see: a mask, or None for all of them
        (kept until the index changes: at a million compounds the OR costs a millisecond)."""
        key = frozenset(projects)
        if key not in self._scopes:
            if len(self._scopes) >= 64:
                self._scopes.clear()  # a mask a scope: bound the memory they hold
            mask = np.zeros(self.size, bool)
            for project_id in key:
                if project_id in self.masks:
                    mask |= self.masks[project_id]
            self._scopes[key] = None if self.size and mask.all() else mask
        return self._scopes[key]

    def similar(
        self, fp: Any, *, threshold: float, k: int, allowed: np.ndarray | None, workers: int
    ) -> np.ndarray:
        """The `k` most similar positions (mol_id) and their Tanimoto (coeff), best first."""
        found = np.concatenate(
            [
                self.main.top(fp, k, threshold, allowed, workers_for(len(self.main), workers)),
                self.delta.top(fp, k, threshold, allowed, 1),
            ]
        )
        order = np.lexsort((found["mol_id"], -found["coeff"]))
        return found[order][:k]

    def substructure(
        self,
        query: Chem.Mol,
        *,
        cap: int,
        allowed: np.ndarray | None,
        workers: int,
        time_limit_s: float,
    ) -> Substructures:
        """Positions matching `query`, at most `cap`, scanning in chunks until `time_limit_s`.

        Each chunk is one `GetMatches` over a range of positions, sized by the pace of the
        chunk before to take about a tenth of the time limit (a common query needs two
        calls, each starting its threads and waiting for the slowest), and no new chunk
        starts after the time limit. A searcher who sees less than three quarters of the
        index (`allowed`) has only those positions searched (the library's search order);
        above that, matching the rest and dropping it costs less than setting the order.
        """
        start_time = time.monotonic()
        found: list[np.ndarray] = []
        count, start, chunk = 0, 0, FIRST_CHUNK
        order: list[int] | None = None
        if allowed is not None and self.size:
            visible = np.flatnonzero(allowed)
            if len(visible) < self.size * 3 // 4:
                order = visible.tolist()
            else:
                # no early stop inside a chunk (hits outside the scope count there): start
                # with a chunk about twice the size that holds `cap` visible compounds
                seen = len(visible) / self.size
                chunk = max(1, min(FIRST_CHUNK, int(2 * (cap + 1) / max(seen, 1e-6))))
        filtered = allowed is not None and order is None
        total = self.size if order is None else len(order)
        if order is not None:
            self.substructs.SetSearchOrder(order)  # the held lock keeps it this search's
        try:
            while start < total:
                end = min(total, start + chunk)
                began = time.monotonic()
                got = np.array(
                    self.substructs.GetMatches(
                        query,
                        start,
                        end,
                        recursionPossible=True,
                        useChirality=False,
                        useQueryQueryMatches=False,
                        numThreads=workers,
                        maxResults=-1 if filtered else cap + 1 - count,
                    ),
                    dtype=np.int64,
                )
                if filtered:
                    got = got[allowed[got]]  # type: ignore[index]
                found.append(got)
                count += len(got)
                start = end
                if count > cap:
                    break
                now = time.monotonic()
                if start < total and now - start_time >= time_limit_s:
                    positions = np.sort(np.concatenate(found))
                    return Substructures(positions, more=False, stopped=True)
                pace = chunk / max(now - began, 1e-6)  # positions a second
                chunk = max(chunk, int(pace * time_limit_s / 10))
        finally:
            if order is not None:
                self.substructs.SetSearchOrder([])
        positions = np.sort(np.concatenate(found)) if found else np.zeros(0, np.int64)
        return Substructures(positions[:cap], more=len(positions) > cap, stopped=False)


def _versions() -> dict[str, Any]:
    return {"rdkit": rdkit.__version__, "fpsim2": fpsim2_version, "fp": [FP_TYPE, FP_PARAMS]}


_indexes: dict[tuple[str, UUID], SponsorIndex] = {}
_indexes_lock = threading.Lock()


def path_for(database: str, sponsor_id: UUID) -> Path | None:
    """Where a sponsor's index is kept between processes: under `COBENCH_SEARCH_INDEX_DIR`,
    or nowhere (None) when that is not set."""
    from django.conf import settings

    folder = getattr(settings, "COBENCH_SEARCH_INDEX_DIR", None)
    name = f"{hashlib.sha256(database.encode()).hexdigest()[:16]}-{sponsor_id.hex}.npz"
    return Path(folder) / name if folder else None


def saved_last(path: Path) -> int:
    """The highest compound number the index file at `path` holds; 0 for no readable file
    (only its small header is read)."""
    try:
        with np.load(path) as kept:
            return int(json.loads(kept["meta"].tobytes())["last"])
    except FileNotFoundError:
        return 0
    except Exception as e:  # a file cut short or not ours: as if there were none
        log.warning("search index %s not read: %s", path, e)
        return 0


def for_sponsor(database: str, sponsor_id: UUID) -> SponsorIndex:
    """This process's index of a sponsor's registry in `database` (empty until refreshed),
    kept in its file (`path_for`) for the next process."""
    with _indexes_lock:
        key = (database, sponsor_id)
        if key not in _indexes:
            _indexes[key] = SponsorIndex(sponsor_id, path_for(database, sponsor_id))
        return _indexes[key]


def forget(database: str, sponsor_id: UUID) -> None:
    """Drop this process's index of one sponsor's registry."""
    with _indexes_lock:
        _indexes.pop((database, sponsor_id), None)


def forget_all() -> None:
    """Drop every index of this process (they are built again on the next search)."""
    with _indexes_lock:
        _indexes.clear()
