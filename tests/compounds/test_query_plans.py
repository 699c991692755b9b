"""Looking a compound up costs the same in a registry of a million as in one of ten.

SQLite without planner statistics (a registry before its first bulk import, or between
imports) guesses that every index narrows to a few rows; asked for the registry's order
(by sponsor and number), it would rather walk a sponsor's whole registry in that order
than look a key up, and `pk IN (the project's links)` has it list every link first. The
doors below are checked by the plans of the queries they run on the registry's tables:
each is a lookup by a key, never a walk of the registry or of a project's links.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cobench.compound_requests import services as requests
from cobench.compounds import imports
from cobench.core import bulk

from ..compound_requests.objects import new_request
from .objects import ROSCOVITINE, register
from .test_imports import check_and_start, upload

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")

WALKS = (
    re.compile(r"SCAN compounds_compound\b"),
    re.compile(r"compounds_compound USING (COVERING )?INDEX \S+ \(sponsor_id=\?\)$"),
    re.compile(r"compounds_projectcompound USING (COVERING )?INDEX \S+ \(project_id=\?\)$"),
)


def walks(queries) -> list[tuple[str, str]]:
    """(plan line, SQL) of each walk of the registry or of a project's links in `queries`."""
    found = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or "compounds_" not in sql:
                continue
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            for *_, line in cursor.fetchall():
                if any(w.search(line) for w in WALKS):
                    found.append((line, sql[:300]))
    return found


@pytest.fixture
def no_statistics(monkeypatch):
    """The planner as it is before any bulk import has gathered statistics."""
    monkeypatch.setattr(bulk, "analyze", lambda *tables: None)


def test_an_import_and_a_registration_look_each_structure_up(api, world, no_statistics):
    base = register(world).compound  # a registry that is not empty
    text = f"{ROSCOVITINE} again\nc1ccccc1O phenol\nCCO.Cl ethanol\n"
    with CaptureQueriesContext(connection) as seen:
        job = upload(api, world.partner_scientist, world.project, "more.smi", text).json()
        _, started = check_and_start(api, world.partner_scientist, job["id"])
        assert started.json()["imported"] == 3, started.content
        register(world, "c1ccccc1O")
    assert walks(seen.captured_queries) == []
    assert base.lots.count() == 2


def test_lookups_by_registry_id_and_structure_are_by_key(api, web, world, no_statistics):
    compound = register(world).compound
    request = new_request(world)
    page = f"/projects/{world.project.id}/requests/{request.id}/"
    with CaptureQueriesContext(connection) as seen:
        exact = api(world.partner_scientist).get(f"/api/v1/search?mode=exact&query={ROSCOVITINE}")
        assert [h["registry_id"] for h in exact.json()["hits"]] == [compound.registry_id]
        requests.set_evidence(
            actor=world.sponsor_lead,
            request=request,
            evidence=[compound.registry_id.lower()],
            expected_version=request.version,
        )
        assert compound.registry_id in web(world.partner_scientist).get(page).content.decode()
        listed = f"/api/v1/projects/{world.project.id}/compounds?registry_id=cb-0000"
        assert api(world.partner_scientist).get(listed).json()["count"] == 1
    assert walks(seen.captured_queries) == []


def test_a_bulk_import_leaves_the_planner_statistics(api, world):
    job = upload(api, world.partner_scientist, world.project, "one.smi", "c1ccccc1O\n").json()
    check_and_start(api, world.partner_scientist, job["id"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analysed = {row[0] for row in cursor.fetchall()}
    assert {"compounds_compound", "compounds_projectcompound", "compounds_lot"} <= analysed
    assert imports.ImportJob.objects.get(pk=job["id"]).state == "done"
