"""Bad and pathological queries: each is refused with a clear message or bounded in time."""

import pytest
from django.conf import settings

from cobench.search import cartridge, index, services
from cobench.search.queries import MAX_QUERY_ATOMS

from .objects import register

URL = "/api/v1/search"


def _search(api, user, **params):
    return api(user).post(URL, params)


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"mode": "similarity", "query": "C1CC("}, "query", "not a valid SMILES"),
        ({"mode": "substructure", "query": "[C;"}, "query", "not a valid SMILES or SMARTS"),
        ({"mode": "substructure", "query": "[C;", "query_type": "smarts"}, "query", "SMARTS"),
        ({"mode": "similarity", "query": "[C;H2]"}, "query", "not a valid SMILES"),
        ({"mode": "similarity", "query": "C(C)(C)(C)(C)C"}, "query", "not a valid SMILES"),
        ({"mode": "exact", "query": "C1CC("}, "query", "SMILES Parse Error"),
        ({"mode": "substructure", "query": "   "}, "query", "Give a query"),
        ({"mode": "exact", "query": ""}, "query", "Give a"),
        ({"mode": "substructure", "query": "CC\x00O"}, "query", "NUL"),
        ({"mode": "substructure", "query": "C" * 3000}, "query", "longer than"),
        ({"mode": "substructure", "query": "C" * 400}, "query", f"at most {MAX_QUERY_ATOMS}"),
        ({"mode": "similarity", "query": "CCO", "threshold": 1.5}, "threshold", ""),
        ({"mode": "similarity", "query": "CCO", "threshold": "high"}, "threshold", ""),
        ({"mode": "similarity", "query": "CCO", "top": 0}, "top", ""),
        ({"mode": "similarity", "query": "CCO", "top": 5000}, "top", ""),
        ({"mode": "similarity", "query": "CCO", "top": "ten"}, "top", ""),
        ({"mode": "fuzzy", "query": "CCO"}, "mode", ""),
        ({"mode": "similarity", "query": 42}, "query", ""),
        ({"mode": "similarity", "query": ["CCO"]}, "query", ""),
        ({"mode": "similarity"}, "query", ""),
        ({"mode": "similarity", "query": "CCO", "project_id": "not-a-uuid"}, "project_id", ""),
    ],
)
def test_bad_queries_are_refused_naming_the_field(api, world, params, field, words):
    r = _search(api, world.sponsor_lead, **params)
    assert r.status_code == 422, r.json()
    body = r.json()
    assert r["Content-Type"] == "application/problem+json"
    assert field in body["errors"], body
    assert words in str(body), body


def test_a_broken_molfile_is_refused_and_a_good_one_is_searched(api, world, compounds):
    broken = "\n  RDKit 2D\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\nM  END\n"
    assert _search(api, world.sponsor_lead, mode="substructure", query=broken).status_code == 422
    from rdkit import Chem

    benzene = Chem.MolToMolBlock(Chem.MolFromSmiles("c1ccccc1"))
    r = _search(api, world.sponsor_lead, mode="substructure", query=benzene)
    assert r.status_code == 200 and compounds["aspirin"].registry_id in str(r.json())


def test_a_query_of_hundreds_of_atoms_is_refused_before_any_search(api, world, compounds):
    huge = "c1ccc2cc3ccccc3cc2c1" * 20  # twenty anthracenes: 280 atoms
    for mode in ("substructure", "similarity"):
        r = _search(api, world.sponsor_lead, mode=mode, query=huge)
        assert r.status_code == 422 and "at most" in r.json()["errors"]["query"][0]


def test_a_smarts_matching_everything_stops_at_the_hit_cap(api, world, compounds, monkeypatch):
    monkeypatch.setattr(services, "MAX_HITS", 3)
    r = _search(api, world.sponsor_lead, mode="substructure", query="*")
    body = r.json()
    assert r.status_code == 200 and body["count"] == 3 and body["more"] is True
    assert "first 3 hits of more" in body["message"]


def test_a_slow_scan_stops_at_the_time_limit_with_partial_results(
    api, world, compounds, monkeypatch
):
    monkeypatch.setattr(index, "FIRST_CHUNK", 1)  # in-process: one compound per step
    # in PostgreSQL: a scan slow enough for the statement timeout of a millisecond
    monkeypatch.setattr(
        cartridge, "_IN_SCOPE", "pg_sleep(0.01) IS NOT NULL AND " + cartridge._IN_SCOPE
    )
    settings.COBENCH_SEARCH_TIME_LIMIT_S = 0.0
    try:
        r = _search(api, world.sponsor_lead, mode="substructure", query="*")
    finally:
        del settings.COBENCH_SEARCH_TIME_LIMIT_S
    body = r.json()
    assert r.status_code == 200 and body["partial"] is True
    assert "partial results" in body["message"] and body["count"] < 4


def test_an_empty_registry_finds_nothing_without_error(api, world):
    r = _search(api, world.sponsor_lead, mode="substructure", query="*")
    assert r.status_code == 200 and r.json()["hits"] == []
    register(world, "CCO")
    assert _search(api, world.sponsor_lead, mode="substructure", query="*").json()["count"] == 1
