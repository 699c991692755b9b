"""SAR table: server time of a page against a bare SQL query fetching the same numbers.

A project of 10,000 compounds, 8 assays and 200,000 results (inserted with bulk_create,
not through registration, then summarised per compound and assay as the services do
after recording; 1,000 / 20,000 with --quick). Measured, median of repeats:

* `sar_first_page`: the first page (100 rows, 8 assay columns, sorted by one assay's
  aggregated value), as the sponsor lead and as a partner chemist (6 assays full, 2 binned);
* `sar_filtered_page`: the same with a value range on a second assay;
* each through `sar.table` (the service every door calls) and through the JSON API, and
  against `bare`: hand-written SQL that fetches the same numbers (page of compound ids by
  the geometric mean of the sort assay, as the table ranks potency, filtered by the
  other's; their structure and properties, their results in 8 assays, the row count)
  without sharing rules, qualifiers or aggregating the cells.

Target: `ratio` (table / bare) at most 3, the table under 150 ms. The bare query, the table
and the API take turns in each repeat, so a passing load weighs on all three alike.

Runs on the bench runner's throwaway SQLite database. With
`COBENCH_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/cobench_bench` it runs a
second time on PostgreSQL, in a test database made from that URL's (`test_` + its name)
and dropped afterwards: `python bench/bench_sar.py [--quick]` with DATABASE_URL set does
the same by hand.
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

ASSAYS = 8
BINNED = 2  # of the 8, binned for the partner; the others full
PER_PAGE = 100
SMILES = [
    "CC[C@H](CO)Nc1nc(NCc2ccccc2)c2ncn(C(C)C)c2n1",
    "CC(C)n1cnc2c(Nc3cccc(Cl)c3)nc(N[C@@H](CO)C(C)C)nc21",
    "O=C1Nc2ccccc2C1=Cc1ccc[nH]1",
    "Cc1ccc(Nc2nccc(-c3cccnc3)n2)cc1",
]


def run(*, quick: bool) -> Iterator[dict[str, Any]]:
    yield from measure(quick=quick)
    url = os.environ.get("COBENCH_BENCH_POSTGRES_URL")
    if url:
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "cobench.settings"}
        out = subprocess.run(
            [sys.executable, __file__, *(["--quick"] if quick else [])],
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        yield from (json.loads(line) for line in out.stdout.splitlines() if line.startswith("{"))


def _median_ms(calls: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """The median time of each call, in ms: the calls take turns, so a load on the machine
    that comes and goes weighs on the page and on the bare query alike."""
    for call in calls.values():
        call()  # warm: the database's caches, Django's
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(t) for name, t in times.items()}


def _world(n: int, per_assay: int) -> dict[str, Any]:
    """The project, its people, 8 assays (2 binned for the partner) and the results."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cobench.assays import services as assays
    from cobench.assays import sharing, summaries
    from cobench.assays.models import Result
    from cobench.compounds.models import Compound, ProjectCompound
    from cobench.core.context import request_id
    from cobench.core.permissions import Role
    from cobench.tenancy import services as tenancy

    password = "bench-sar-password-1"
    with request_id():
        sponsor = tenancy.create_organization(actor=None, name="Bench Sponsor")
        partner = tenancy.create_organization(actor=None, name="Bench Partner")
        lead = tenancy.create_user(
            actor=None, username="lead", password=password, organization=sponsor
        )
        chemist = tenancy.create_user(
            actor=None, username="chemist", password=password, organization=partner
        )
        project = tenancy.create_project(
            actor=lead, code="PRJ-SAR", name="SAR bench", sponsor=sponsor
        )
        tenancy.share_compounds(
            actor=lead,
            partner=tenancy.add_partner(
                actor=lead,
                project=project,
                organization=partner,
                start_date=datetime.now(UTC).date() - timedelta(days=30),
            ),
            compounds="all",
            reason="The chemistry partner sees the whole registry, as in the demo",
        )
        tenancy.add_member(
            actor=lead, project=project, username="chemist", role=Role.PARTNER_SCIENTIST
        )
        made = [
            assays.create_assay(
                actor=lead,
                project=project,
                name=f"Assay {i}",
                kind="biochemical",
                endpoint="IC50",
                unit="nM",
                better="lower",
            )
            for i in range(ASSAYS)
        ]
        for i, assay in enumerate(made):
            binned = i >= ASSAYS - BINNED
            sharing.set_rule(
                actor=lead,
                assay=assay,
                partner=partner,
                mode="binned" if binned else "full",
                bins=[
                    {"upper": 100, "label": "< 100 nM"},
                    {"upper": 1000, "label": "100 nM – 1 µM"},
                    {"upper": None, "label": "> 1 µM"},
                ]
                if binned
                else None,
                reason="bench",
            )
    now = timezone.now()
    svg = "<svg xmlns='http://www.w3.org/2000/svg'>" + "<path d='M0 0L10 10'/>" * 120 + "</svg>"
    rng = random.Random(7)
    compounds = [
        Compound(
            sponsor=sponsor,
            number=i + 1,
            registry_id=f"SAR-{i + 1:06d}",
            smiles=SMILES[i % len(SMILES)],
            molblock="",
            inchi="",
            inchikey=f"{i:027d}",
            registration_key=str(i),
            formula="C20H26N6O",
            mw=250 + rng.random() * 300,
            exact_mass=354.2,
            clogp=rng.uniform(-1, 6),
            tpsa=rng.uniform(20, 140),
            hbd=rng.randint(0, 5),
            hba=rng.randint(1, 10),
            rotatable_bonds=rng.randint(0, 10),
            rings=3,
            lipinski_violations=0,
            svg=svg,
            created_by_label="bench",
            created_at=now,
        )
        for i in range(n)
    ]
    Compound.objects.bulk_create(compounds, batch_size=2000)
    ProjectCompound.objects.bulk_create(
        [ProjectCompound(project=project, compound=c, added_at=now) for c in compounds],
        batch_size=2000,
    )
    results = []
    for assay in made:
        for _ in range(per_assay):
            compound = compounds[rng.randrange(n)]
            censored = rng.random() < 0.03
            value = 10000.0 if censored else 10 ** rng.uniform(0, 4)
            results.append(
                Result(
                    project=project,
                    assay=assay,
                    compound=compound,
                    qualifier=">" if censored else "=",
                    value=value,
                    entered_value=f"{value:g}",
                    entered_unit="nM",
                    run_date=now.date(),
                    created_by_label="bench",
                    created_at=now,
                )
            )
    Result.objects.bulk_create(results, batch_size=5000)
    with transaction.atomic():
        for assay in made:  # as the services do after recording results
            summaries.refresh(assay)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # both databases plan with the tables' real sizes
    return {"project": project, "lead": lead, "chemist": chemist, "assays": made}


def _bare(project: Any, assays: list[Any], sort: Any, window: tuple | None) -> Callable:
    """The same numbers by hand: page ids by the sort assay's mean, compounds, results. The
    means are geometric, as the table's potency values are (the mean of the logs orders and
    filters alike), so the bare page holds the table's compounds."""
    from django.db import connection

    from cobench.assays.models import Result
    from cobench.compounds.models import Compound, ProjectCompound

    r, c, pc = Result._meta.db_table, Compound._meta.db_table, ProjectCompound._meta.db_table
    quote = (lambda u: u.hex) if connection.vendor == "sqlite" else str
    ids = ", ".join(f"'{quote(a.pk)}'" for a in assays)
    having = ""
    params: list[Any] = [quote(sort.pk)]
    if window:
        having = (
            f" AND r.compound_id IN (SELECT compound_id FROM {r} WHERE assay_id = %s"
            " GROUP BY compound_id HAVING AVG(LN(value)) BETWEEN %s AND %s)"
        )
        params += [quote(window[0].pk), math.log(window[1]), math.log(window[2])]

    def call() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {pc} WHERE project_id = %s", [quote(project.pk)])
            cursor.fetchone()
            cursor.execute(
                f"SELECT r.compound_id FROM {r} r WHERE r.assay_id = %s{having}"
                f" GROUP BY r.compound_id ORDER BY AVG(LN(r.value)) LIMIT {PER_PAGE}",
                params,
            )
            page = [row[0] for row in cursor.fetchall()]
            marks = ", ".join(["%s"] * len(page)) or "NULL"
            cursor.execute(
                f"SELECT id, registry_id, smiles, svg, mw, clogp, tpsa, hbd, hba, rotatable_bonds"
                f" FROM {c} WHERE id IN ({marks})",
                page,
            )
            cursor.fetchall()
            cursor.execute(
                f"SELECT compound_id, assay_id, qualifier, value FROM {r}"
                f" WHERE compound_id IN ({marks}) AND assay_id IN ({ids})",
                page,
            )
            return cursor.fetchall()

    return call


def measure(*, quick: bool) -> Iterator[dict[str, Any]]:
    from django.db import connection
    from django.test import Client

    from cobench.assays.sar import sar
    from cobench.tenancy.services import create_api_token

    n, results = (1_000, 20_000) if quick else (10_000, 200_000)
    repeats = 3 if quick else 15
    started = time.perf_counter()
    w = _world(n, results // ASSAYS)
    build_s = round(time.perf_counter() - started, 1)
    project, assays = w["project"], w["assays"]
    sort, other = assays[0], assays[1]
    cases = {
        "sar_first_page": (None, None),
        "sar_filtered_page": (
            sar.Filters(ranges={str(other.pk): (10.0, 1000.0)}),
            (other, 10.0, 1000.0),
        ),
    }
    for name, (filters, window) in cases.items():
        bare = _bare(project, assays, sort, window)
        for who in ("lead", "chemist"):
            user = w[who]

            def table(user: Any = user, filters: Any = filters) -> Any:
                return sar.table(user, project, sort=str(sort.pk), filters=filters)

            _, token = create_api_token(actor=user, name=f"bench {name}")
            client = Client(headers={"Authorization": f"Bearer {token}"})
            query = f"sort={sort.pk}"
            if window:
                query += f"&range={other.pk}:10:1000"
            path = f"/api/v1/projects/{project.pk}/sar?{query}"

            def api(client: Client = client, path: str = path) -> Any:
                response = client.get(path)
                assert response.status_code == 200, response.content[:300]
                return response

            page = table()
            assert len(page.rows) == PER_PAGE and len(page.columns) == ASSAYS
            ms = _median_ms({"bare": bare, "table": table, "api": api}, repeats)
            mine, over_api = ms["table"], ms["api"]
            yield {
                "name": name,
                "as": "sponsor lead" if who == "lead" else "partner chemist",
                "database": connection.vendor,
                "compounds": n,
                "results": results,
                "rows": len(page.rows),
                "table_ms": round(mine, 1),
                "api_ms": round(over_api, 1),
                "bare_ms": round(ms["bare"], 1),
                "ratio": round(mine / ms["bare"], 2),
                "api_ratio": round(over_api / ms["bare"], 2),
                "build_s": build_s,
            }


if __name__ == "__main__":
    # by hand or from run(): on the database DATABASE_URL names, in a throwaway test copy
    import tempfile
    from pathlib import Path

    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory(prefix="cobench-sar-bench-") as var_dir:
        Path(var_dir, "static").mkdir()
        os.environ.setdefault("COBENCH_VAR_DIR", var_dir)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cobench.settings")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        import django

        django.setup()
        from django.db import connection

        name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            for line in measure(quick=quick):
                print(json.dumps(line), flush=True)
        finally:
            connection.creation.destroy_test_db(name, verbosity=0)
