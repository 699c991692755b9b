"""Structure search on a MOSES registry: the service layer against bare FPSim2 and SubstructLibrary.

    .venv/bin/python bench/run.py search [--quick | --full]    2,000 / 20,000 / 1,000,000 compounds

The registry is bench/registry.py's (made by the platform's bulk import, cached).
The measurement runs in a process of its own opened on that database, as the
registry's user (a member of its one project), with the in-process backend:

* similarity, top 50 and threshold 0.7: median latency of
  `cobench.search.services.search_similarity` (tenancy, index check, and the first
  50 hits fetched through the searcher's links, as the API and page do) against
  bare FPSim2 (`FPSim2Engine` on an HDF5 file of the same fingerprints, the same
  `n_workers`), and the memory-bandwidth floor:
  the bytes of fingerprints FPSim2 scans for the query divided by the read
  bandwidth numpy measures here (summing a 256 MB array); FPSim2 gets the threads
  the service gives it (one per 100,000 fingerprints, at most THREADS);
* substructure, 20 queries (common scaffolds, rare ones, no hit): median of
  `search_substructure` against `SubstructLibrary.GetMatches` on the same molecules
  (same holders, same threads, the same cap of 1,001 results);
* resident memory (VmRSS) of the process holding the index, and the index's own share;
  how long the first search takes to build the index, and to read it from the file
  it is kept in (`COBENCH_SEARCH_INDEX_DIR`) as a new process does.

Each service call alternates with its bare counterpart, so the machine's other load
weighs on both alike. (`bench/run.py registration --full` reports how long the
million-compound registry took to build.)

A registry of a million compounds takes the bulk import more than an hour here, so
the default run also measures the in-process index alone (`SponsorIndex`, filled
with MOSES SMILES directly, no database) at 200,000 compounds against bare FPSim2
and SubstructLibrary on the same data, with and without a tenancy mask; adding the
service's database overhead measured on the registry gives `projected_ratio`, the
service's expected ratio at that size. `--full` measures the service on the
million-compound registry itself.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent

SUBSTRUCTURES = {
    "common": [
        "c1ccccc1",
        "c1ccncc1",
        "C(=O)N",
        "C1CCNCC1",
        "c1ccc2ccccc2c1",
        "c1ccc2[nH]ccc2c1",
        "S(=O)(=O)N",
        "C(=O)[OH]",
        "C1COCCN1",
        "c1ccsc1",
    ],
    "rare": ["N#CC1CC1", "c1ccc2c(c1)oc1ccccc12", "FC(F)(F)S", "C1CC2CCC1C2", "[nH]1nnnc1"],
    "none": ["[Hg]", "[Se]", "P(=O)(O)(O)O", "C1CCCCCCCCCCC1", "[Si](C)(C)(C)C"],
}
THREADS = 2
CAP = 1000
PAGE = 50
"""Hits fetched for display after each search (the first page, as the API and page do)."""


def run(*, quick: bool, full: bool = False) -> list[dict[str, Any]]:
    import registry

    n = 2_000 if quick else 1_000_000 if full else 20_000
    results = _registry(registry.build(n), n, quick)
    if not quick and not full:
        overheads = {r["name"]: r["overhead_ms"] for r in results if "overhead_ms" in r}
        results += _index_alone(200_000, overheads)
    return results


def _registry(path: Path, n: int, quick: bool) -> list[dict[str, Any]]:
    """The measurements through the service layer, in a process opened on the registry."""
    with tempfile.TemporaryDirectory(prefix="cobench-search-bench-") as var_dir:
        Path(var_dir, "static").mkdir()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{path}",
            "COBENCH_VAR_DIR": var_dir,
            "DJANGO_SETTINGS_MODULE": "cobench.settings",
        }
        out = subprocess.run(
            [sys.executable, __file__, str(n), "--quick" if quick else "--normal"],
            env=env,
            check=True,
            stdout=subprocess.PIPE,  # errors go to our standard error
            text=True,
        )
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def _index_alone(n: int, overheads: dict[str, float]) -> list[dict[str, Any]]:
    """The in-process index at `n` MOSES compounds against bare FPSim2 and SubstructLibrary."""
    import uuid

    import moses
    import numpy as np
    from FPSim2 import FPSim2Engine
    from rdkit import Chem

    from cobench.search import index

    rss_before = _rss_mb()
    sponsor_index = index.SponsorIndex(uuid.uuid4())
    started = time.perf_counter()
    smiles = moses.smiles(n)
    for first in range(0, n, 5000):
        batch = smiles[first : first + 5000]
        sponsor_index.append([(uuid.uuid4(), first + i + 1, s) for i, s in enumerate(batch)])
    sponsor_index._merge()
    build_s = time.perf_counter() - started
    results = [
        {
            "name": "index_alone",
            "compounds": n,
            "build_s": round(build_s, 1),
            "index_rss_mb": round(_rss_mb() - rss_before, 1),
        }
    ]
    with tempfile.TemporaryDirectory() as tmp:
        h5 = Path(tmp, "fps.h5")
        sponsor_index.main.save_h5(str(h5))
        bare = FPSim2Engine(str(h5))
    workers = index.workers_for(n, THREADS)
    rng = np.random.default_rng(7)
    queries = [smiles[i] for i in rng.choice(n, size=20, replace=False)]
    fps = [index.morgan(Chem.MolFromSmiles(q)) for q in queries]
    half = np.zeros(n, bool)
    half[::2] = True  # a searcher who sees every other compound
    walled = np.zeros(n, bool)  # a walled partner shared one series of 1,000 (as `_walled_partner`)
    walled[rng.choice(n, size=1000, replace=False)] = True
    for name, threshold, k in (("similarity_top50", 0.0, 50), ("similarity_0.7", 0.7, 1000)):
        mine = _median_ms(
            [
                lambda fp=fp, t=threshold, k=k: sponsor_index.similar(
                    fp, threshold=t, k=k + 1, allowed=None, workers=THREADS
                )
                for fp in fps
            ],
            3,
        )
        masked, walled_ms = (
            _median_ms(
                [
                    lambda fp=fp, t=threshold, k=k, m=mask: sponsor_index.similar(
                        fp, threshold=t, k=k + 1, allowed=m, workers=THREADS
                    )
                    for fp in fps
                ],
                3,
            )
            for mask in (half, walled)
        )
        if k == 50:
            calls = [lambda fp=fp: bare.top_k(fp, 50, 0.0, n_workers=workers) for fp in fps]
        else:
            calls = [lambda fp=fp: bare.similarity(fp, 0.7, n_workers=workers) for fp in fps]
        reference = _median_ms(calls, 3)
        overhead = overheads.get(name, 0.0)
        walled_overhead = overheads.get(name + "_walled", 0.0)
        results.append(
            {
                "name": f"index_alone_{name}",
                "compounds": n,
                "index_ms": round(mine, 3),
                "index_half_visible_ms": round(masked, 3),
                "index_walled_ms": round(walled_ms, 3),
                "bare_fpsim2_ms": round(reference, 3),
                "ratio": round(mine / reference, 3),
                "service_overhead_ms": overhead,
                "projected_ratio": round((mine + overhead) / reference, 3),
                "projected_walled_ratio": round((walled_ms + walled_overhead) / reference, 3),
                "target": "<= 1.2",
            }
        )
    substructures = [q for group in SUBSTRUCTURES.values() for q in group]
    mine_times, masked_times, walled_times, bare_times = [], [], [], []
    for text in substructures:
        mol = Chem.MolFromSmiles(text) or Chem.MolFromSmarts(text)
        mine_times.append(
            _median_ms(
                [
                    lambda m=mol: sponsor_index.substructure(
                        m, cap=CAP, allowed=None, workers=THREADS, time_limit_s=60
                    )
                ],
                2,
            )
        )
        for times, mask in ((masked_times, half), (walled_times, walled)):
            times.append(
                _median_ms(
                    [
                        lambda m=mol, a=mask: sponsor_index.substructure(
                            m, cap=CAP, allowed=a, workers=THREADS, time_limit_s=60
                        )
                    ],
                    2,
                )
            )
        bare_times.append(
            _median_ms(
                [
                    lambda m=mol: sponsor_index.substructs.GetMatches(
                        m,
                        recursionPossible=True,
                        useChirality=False,
                        useQueryQueryMatches=False,
                        numThreads=THREADS,
                        maxResults=CAP + 1,
                    )
                ],
                2,
            )
        )
    mine, reference = statistics.median(mine_times), statistics.median(bare_times)
    overhead = overheads.get("substructure", 0.0)
    walled_ms = statistics.median(walled_times)
    walled_overhead = overheads.get("substructure_walled", 0.0)
    results.append(
        {
            "name": "index_alone_substructure",
            "compounds": n,
            "queries": len(substructures),
            "index_ms": round(mine, 3),
            "index_half_visible_ms": round(statistics.median(masked_times), 3),
            "index_walled_ms": round(walled_ms, 3),
            "bare_substructlibrary_ms": round(reference, 3),
            "ratio": round(mine / reference, 3),
            "service_overhead_ms": overhead,
            "projected_ratio": round((mine + overhead) / reference, 3),
            "projected_walled_ratio": round((walled_ms + walled_overhead) / reference, 3),
            "target": "<= 1.2",
        }
    )
    return results


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _median_ms(calls: list, repeats: int) -> float:
    times = []
    for call in calls:
        call()  # warm: caches, thread pools
        for _ in range(repeats):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _paired_ms(calls: list, references: list, repeats: int) -> tuple[float, float]:
    """Median times of `calls` and of `references` (the same queries), run alternately so
    that whatever else the machine does weighs on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for call, reference in zip(calls, references, strict=True):
        call(), reference()  # warm: caches, thread pools
        for _ in range(repeats):
            for i, fn in enumerate((call, reference)):
                started = time.perf_counter()
                fn()
                times[i].append((time.perf_counter() - started) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def _bandwidth_bytes_per_s() -> float:
    import numpy as np

    data = np.ones(32 * 2**20, dtype=np.uint64)  # 256 MB, far beyond the caches
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        data.sum()
        best = min(best, time.perf_counter() - started)
    return data.nbytes / best


def _measure(n: int, quick: bool) -> None:
    sys.path[:0] = [str(ROOT), str(BENCH_DIR)]
    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)  # the search app's tables too
    settings.COBENCH_SEARCH_BACKEND = "inprocess"
    settings.COBENCH_SEARCH_THREADS = THREADS

    import numpy as np
    from FPSim2 import FPSim2Engine
    from FPSim2.io.chem import get_bounds_range
    from rdkit import Chem

    from cobench.compounds.models import Compound
    from cobench.search import index, services
    from cobench.tenancy.models import User

    def emit(**result: Any) -> None:
        print(json.dumps({"compounds": n, "threads": THREADS, **result}), flush=True)

    user = User.objects.get(username="moses")
    index.SAVE_AT = 1  # the file is written at any size, so that reading it is measured too
    rss_before = _rss_mb()
    started = time.perf_counter()
    services.search_similarity(actor=user, query="c1ccccc1", top=1)
    build_s = time.perf_counter() - started
    rss_mb, index_rss_mb = _rss_mb(), _rss_mb() - rss_before
    index.forget_all()  # as a new process would: the index is read from its file
    started = time.perf_counter()
    services.search_similarity(actor=user, query="c1ccccc1", top=1)
    read_s = time.perf_counter() - started
    (sponsor_index,) = index._indexes.values()
    emit(
        name="search_index",
        indexed=sponsor_index.size,
        build_s=round(build_s, 1),
        read_from_file_s=round(read_s, 2),
        file_mb=round(sponsor_index.path.stat().st_size / 2**20, 1),
        rss_mb=round(rss_mb, 1),
        index_rss_mb=round(index_rss_mb, 1),
    )

    rng = np.random.default_rng(7)
    numbers = rng.choice(np.arange(1, sponsor_index.size + 1), size=5 if quick else 20)
    queries = list(
        Compound.objects.filter(number__in=numbers.tolist()).values_list("smiles", flat=True)
    )
    repeats = 2 if quick else 5

    with tempfile.TemporaryDirectory() as tmp:
        h5 = Path(tmp, "fps.h5")
        index.Engine(np.concatenate([sponsor_index.main.fps, sponsor_index.delta.fps])).save_h5(
            str(h5)
        )
        bare = FPSim2Engine(str(h5))
    fp_workers = index.workers_for(len(bare.fps), THREADS)  # as the service chooses
    bandwidth = _bandwidth_bytes_per_s()
    row_bytes = bare.fps.shape[1] * 8

    def floor_ms(smiles: str, threshold: float) -> float:
        query = bare.load_query(smiles)
        bounds = get_bounds_range(query, threshold, 0, 0, bare.popcnt_bins, "tanimoto")
        rows = bounds[1] - bounds[0] if bounds else 0
        return rows * row_bytes / bandwidth * 1000

    def searches(user: Any, walled: str = "") -> None:
        """Similarity and substructure as `user`, each against its bare counterpart."""
        for name, threshold, top in (("similarity_top50", 0.0, 50), ("similarity_0.7", 0.7, 1000)):
            searches = [
                lambda q=q, t=threshold, k=top: services.search_similarity(
                    actor=user, query=q, threshold=t, top=k
                ).hits(0, PAGE)
                for q in queries
            ]
            if top == 50:
                calls = [lambda q=q: bare.top_k(q, 50, 0.0, n_workers=fp_workers) for q in queries]
            else:
                calls = [
                    lambda q=q, t=threshold: bare.similarity(q, t, n_workers=fp_workers)
                    for q in queries
                ]
            service, reference = _paired_ms(searches, calls, repeats)
            floor = statistics.median(floor_ms(q, threshold) for q in queries)
            emit(
                name=name + walled,
                service_ms=round(service, 3),
                bare_fpsim2_ms=round(reference, 3),
                ratio=round(service / reference, 3),
                floor_ms=round(floor, 3),
                ratio_to_floor=round(service / floor, 2) if floor else None,
                bandwidth_gb_s=round(bandwidth / 1e9, 2),
                fpsim2_workers=fp_workers,
                overhead_ms=round(service - reference, 3),
                target="<= 1.2",
            )

        substructs = sponsor_index.substructs
        substructures = [q for group in SUBSTRUCTURES.values() for q in group]
        if quick:
            substructures = [group[0] for group in SUBSTRUCTURES.values()]
        per_query = {}
        service_times, bare_times = [], []
        for smarts in substructures:
            mol = Chem.MolFromSmiles(smarts) or Chem.MolFromSmarts(smarts)
            s, b = _paired_ms(
                [lambda q=smarts: services.search_substructure(actor=user, query=q).hits(0, PAGE)],
                [
                    lambda m=mol: substructs.GetMatches(
                        m,
                        recursionPossible=True,
                        useChirality=False,
                        useQueryQueryMatches=False,
                        numThreads=THREADS,
                        maxResults=services.MAX_HITS + 1,
                    )
                ],
                repeats,
            )
            hits = len(
                substructs.GetMatches(mol, useChirality=False, maxResults=services.MAX_HITS + 1)
            )
            per_query[smarts] = {"service_ms": round(s, 2), "bare_ms": round(b, 2), "hits": hits}
            service_times.append(s)
            bare_times.append(b)
        service, reference = statistics.median(service_times), statistics.median(bare_times)
        emit(
            name="substructure" + walled,
            queries=len(substructures),
            service_ms=round(service, 3),
            bare_substructlibrary_ms=round(reference, 3),
            ratio=round(service / reference, 3),
            overhead_ms=round(service - reference, 3),
            target="<= 1.2",
            per_query=per_query,
        )

    searches(user)
    with transaction.atomic():  # the walled partner is not kept in the cached registry
        searches(_walled_partner(user, rng), "_walled")
        transaction.set_rollback(True)


def _walled_partner(sponsor_lead: Any, rng: Any) -> Any:
    """A partner's scientist on the registry's project who sees, behind the partner walls,
    the 1,000 compounds of the one series the sponsor shares with it, and its own."""
    from datetime import date

    import numpy as np

    from cobench.assays.sar import series
    from cobench.compounds.models import Compound
    from cobench.tenancy import services as tenancy
    from cobench.tenancy.models import Project

    project = Project.objects.get(code="PRJ-MOSES")
    organization = tenancy.create_organization(actor=None, name="Walled Partner CRO")
    person = tenancy.create_user(
        actor=None, username="walled", password=os.urandom(16).hex(), organization=organization
    )
    partner = tenancy.add_partner(
        actor=sponsor_lead, project=project, organization=organization, start_date=date(2026, 1, 5)
    )
    tenancy.add_member(
        actor=sponsor_lead, project=project, username="walled", role="partner_scientist"
    )
    shared = series.create_series(actor=sponsor_lead, project=project, name="Shared", core="")
    highest = Compound.objects.order_by("-number").values_list("number", flat=True).first() or 0
    picked = rng.choice(np.arange(1, highest + 1), size=min(1000, highest), replace=False)
    for compound in Compound.objects.filter(number__in=picked.tolist()):
        series.tag_compound(actor=sponsor_lead, series=shared, compound=compound)
    tenancy.share_compounds(
        actor=sponsor_lead, partner=partner, compounds="series", series=[shared], reason="bench"
    )
    return person


if __name__ == "__main__":
    _measure(int(sys.argv[1]), quick=sys.argv[2] == "--quick")
