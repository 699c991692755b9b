"""Structure search through the API: each mode, its scope, and who finds what."""

import pytest

from cobench.compounds.models import Compound

from .objects import CDK2_SERIES, KRAS_ONLY, register

URL = "/api/v1/search"


def _search(api, user, **params):
    return api(user).post(URL, params)


def _ids(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [hit["registry_id"] for hit in response.json()["hits"]]


def test_exact_search_finds_the_same_parent_drawn_as_a_salt(api, world, compounds):
    r = _search(
        api, world.partner_scientist, mode="exact", query=f"{CDK2_SERIES['aspirin']}.[Na+].[Cl-]"
    )
    assert _ids(r) == [compounds["aspirin"].registry_id]
    assert r.json()["hits"][0]["score"] == 1.0


def test_similarity_ranks_the_query_first_then_its_relative(api, world, compounds):
    r = _search(api, world.sponsor_lead, mode="similarity", query=CDK2_SERIES["roscovitine"], top=2)
    assert _ids(r) == [compounds["roscovitine"].registry_id, compounds["olomoucine"].registry_id]
    first, second = (hit["score"] for hit in r.json()["hits"])
    assert first == 1.0 and 0.3 < second < 1.0
    assert r.json()["more"] is True  # aspirin and caffeine are further down


def test_similarity_threshold_keeps_only_close_compounds(api, world, compounds):
    r = _search(
        api, world.sponsor_lead, mode="similarity", query=CDK2_SERIES["caffeine"], threshold=0.9
    )
    assert _ids(r) == [compounds["caffeine"].registry_id]
    assert r.json()["more"] is False


def test_substructure_by_smiles_and_by_smarts(api, world, compounds):
    benzyl_amine = _search(api, world.partner_lead, mode="substructure", query="NCc1ccccc1")
    assert _ids(benzyl_amine) == [
        compounds["roscovitine"].registry_id,
        compounds["olomoucine"].registry_id,
    ]
    ester = _search(api, world.partner_lead, mode="substructure", query="[CX3](=O)[OX2][#6]")
    assert _ids(ester) == [compounds["aspirin"].registry_id]
    none = _search(api, world.partner_lead, mode="substructure", query="C#N")
    assert _ids(none) == []


def test_hits_name_the_projects_the_searcher_sees(api, world, compounds):
    register(world, CDK2_SERIES["caffeine"], kras=True)  # caffeine is now in KRAS too
    r = _search(api, world.sponsor_lead, mode="exact", query=CDK2_SERIES["caffeine"])
    assert [p["code"] for p in r.json()["hits"][0]["projects"]] == ["PRJ-CDK2"]  # alice: CDK2 only


def test_a_member_of_another_project_never_finds_its_neighbours_compounds(api, world, compounds):
    for mode, query in [
        ("exact", CDK2_SERIES["roscovitine"]),
        ("similarity", CDK2_SERIES["roscovitine"]),
        ("substructure", "*"),
    ]:
        r = _search(api, world.other_member, mode=mode, query=query, top=1000)
        assert _ids(r) in ([], [compounds["kras"].registry_id]), mode
    # and the CDK2 people never find the KRAS marker
    for user in (world.sponsor_lead, world.partner_scientist, world.auditor):
        for mode, query in [("exact", KRAS_ONLY), ("similarity", KRAS_ONLY), ("substructure", "*")]:
            r = _search(api, user, mode=mode, query=query, top=1000)
            assert compounds["kras"].registry_id not in _ids(r), (user, mode)


def test_an_outsider_finds_nothing(api, world, compounds):
    for mode, query in [("exact", KRAS_ONLY), ("similarity", KRAS_ONLY), ("substructure", "*")]:
        assert _ids(_search(api, world.outsider, mode=mode, query=query)) == []


def test_the_qa_auditor_finds_the_compounds_of_their_project(api, world, compounds):
    r = _search(api, world.auditor, mode="substructure", query="c1ccccc1")
    assert compounds["aspirin"].registry_id in _ids(r)


def test_one_project_scope_and_someone_elses_project_is_not_found(api, world, compounds):
    kim = world.other_lead  # a member of KRAS only, like olga
    r = _search(api, kim, mode="substructure", query="*", project_id=str(world.other_project.id))
    assert _ids(r) == [compounds["kras"].registry_id]
    elsewhere = _search(api, kim, mode="substructure", query="*", project_id=str(world.project.id))
    assert elsewhere.status_code == 404


def test_get_with_a_query_string_searches_too(api, world, compounds):
    r = api(world.sponsor_lead).get(f"{URL}?mode=substructure&query=Cn1cnc2c1c(%3DO)n(C)c(%3DO)n2C")
    assert _ids(r) == [compounds["caffeine"].registry_id]


def test_a_new_registration_is_found_without_a_restart(api, world, compounds):
    query = "CCCCCCCCCCCCCCCCO"
    assert _ids(_search(api, world.sponsor_lead, mode="substructure", query=query)) == []
    new = register(world, "CCCCCCCCCCCCCCCCCCO").compound
    assert _ids(_search(api, world.sponsor_lead, mode="substructure", query=query)) == [
        new.registry_id
    ]
    assert _ids(
        _search(api, world.sponsor_lead, mode="similarity", query="CCCCCCCCCCCCCCCCCCO", top=1)
    ) == [new.registry_id]


def test_a_known_compound_linked_to_a_second_project_is_found_there(api, world, compounds):
    kim = world.other_lead
    query = CDK2_SERIES["aspirin"]
    assert _ids(_search(api, kim, mode="exact", query=query)) == []
    assert _ids(_search(api, kim, mode="similarity", query=query, threshold=0.99)) == []
    register(world, query, kras=True)
    assert Compound.objects.filter(registry_id=compounds["aspirin"].registry_id).count() == 1
    aspirin = compounds["aspirin"].registry_id
    assert _ids(_search(api, kim, mode="similarity", query=query, threshold=0.99)) == [aspirin]
    assert aspirin in _ids(_search(api, kim, mode="substructure", query="OC(=O)c1ccccc1"))


def test_postgresql_with_the_cartridge_searches_in_the_database(api, world, compounds, backend):
    from django.db import connection

    from cobench.search import cartridge

    r = _search(api, world.sponsor_lead, mode="substructure", query="c1ccccc1")
    in_database = backend == "auto" and connection.vendor == "postgresql" and cartridge.available()
    assert r.json()["backend"] == ("cartridge" if in_database else "inprocess")


def test_registrations_one_after_another_are_all_found_as_the_index_merges(
    api, world, compounds, monkeypatch
):
    from cobench.search import index

    monkeypatch.setattr(index, "MERGE_AT", 2)  # appended compounds merge every other time
    series = ["Clc1ccccc1", "Brc1ccccc1", "Ic1ccccc1", "Fc1ccncc1", "NC1CCOCC1", "OC1CCSCC1"]
    found = []
    for smiles in series:
        compound = register(world, smiles).compound
        found.append(compound.registry_id)
        for earlier, registry_id in zip(series, found, strict=False):
            r = _search(api, world.sponsor_lead, mode="similarity", query=earlier, top=1)
            assert _ids(r) == [registry_id], (smiles, earlier)
    r = _search(api, world.sponsor_lead, mode="substructure", query="[Cl,Br,I]c1ccccc1")
    assert _ids(r) == found[:3]


def _every_mode(api, user) -> dict[str, list[str]]:
    return {
        "similarity": _ids(
            _search(api, user, mode="similarity", query=CDK2_SERIES["roscovitine"], threshold=0.05)
        ),
        "substructure": _ids(_search(api, user, mode="substructure", query="c1ncc2nc[nH]c2n1")),
    }


@pytest.fixture
def in_one(api, world, compounds, settings, monkeypatch):
    """What one process's index finds; then the next index is loaded by worker processes,
    in batches of two compounds."""
    from cobench.search import index

    settings.COBENCH_SEARCH_BACKEND = "inprocess"
    found = _every_mode(api, world.sponsor_lead)
    index.forget_all()
    monkeypatch.setattr(index, "PARALLEL_AT", 1)
    monkeypatch.setattr(index, "CHUNK", 2)
    return found


def test_a_large_load_made_by_worker_processes_finds_what_one_process_finds(api, world, in_one):
    assert _every_mode(api, world.sponsor_lead) == in_one


def test_a_batch_whose_worker_fails_is_done_again_compound_by_compound(
    api, world, in_one, monkeypatch
):
    from cobench.chem import isolation
    from cobench.search import index

    real = isolation.iter_isolated

    def first_batch_dies(fn, items, **options):
        items = list(items)  # batches of two; when done again, one compound each
        for i, result in enumerate(real(fn, items, **options)):
            dies = i == 0 and len(items[0]) > 1
            yield isolation.RecordError(i, "crash", "the worker died") if dies else result

    monkeypatch.setattr(isolation, "iter_isolated", first_batch_dies)
    assert _every_mode(api, world.sponsor_lead) == in_one

    def first_compound_dies_too(fn, items, **options):
        for i, result in enumerate(real(fn, items, **options)):
            yield isolation.RecordError(i, "crash", "the worker died") if i == 0 else result

    index.forget_all()
    monkeypatch.setattr(isolation, "iter_isolated", first_compound_dies_too)
    first = "CB-000001"  # the first batch's first compound
    assert _every_mode(api, world.sponsor_lead) == {
        mode: [registry_id for registry_id in found if registry_id != first]
        for mode, found in in_one.items()
    }  # it keeps its place in the index but matches nothing


@pytest.fixture
def kept(api, world, compounds, settings, monkeypatch, tmp_path):
    """What the first index finds, that index written to its file (in `tmp_path`)."""
    from cobench.search import index

    settings.COBENCH_SEARCH_BACKEND = "inprocess"
    settings.COBENCH_SEARCH_INDEX_DIR = str(tmp_path)
    monkeypatch.setattr(index, "SAVE_AT", 1)
    found = _every_mode(api, world.sponsor_lead)
    assert len(list(tmp_path.glob("*.npz"))) == 1
    return found


def test_the_next_process_reads_the_index_from_its_file_and_builds_nothing(
    api, world, kept, monkeypatch
):
    from cobench.search import index

    in_one = kept
    index.forget_all()  # a new process
    monkeypatch.setattr(index, "index_rows", _never)
    assert _every_mode(api, world.sponsor_lead) == in_one
    # one registered since is loaded on top of what the file held
    monkeypatch.undo()
    new = register(world, "CCCCCCCCCCCCCCCCCCO").compound
    query = "CCCCCCCCCCCCCCCCO"
    found = _ids(_search(api, world.sponsor_lead, mode="substructure", query=query))
    assert found == [new.registry_id]


def test_links_made_after_the_file_was_written_are_read_again(api, world, compounds, kept):
    from cobench.search import index

    kim, aspirin = world.other_lead, CDK2_SERIES["aspirin"]
    assert _ids(_search(api, kim, mode="similarity", query=aspirin, threshold=0.99)) == []
    index.forget_all()  # a new process, its KRAS mask read from the file
    register(world, aspirin, kras=True)  # then a known compound is linked to KRAS too
    found = _ids(_search(api, kim, mode="similarity", query=aspirin, threshold=0.99))
    assert found == [compounds["aspirin"].registry_id]


def _never(smiles):
    raise AssertionError("the index was built again")


def test_an_index_file_that_is_not_this_registrys_is_left_and_the_index_built(
    api, world, kept, tmp_path
):
    import numpy as np

    from cobench.search import index

    in_one = kept
    (path,) = tmp_path.glob("*.npz")
    with np.load(path) as kept:
        arrays = dict(kept)
    arrays["ids"][-1] = 0  # its last compound is not the registry's: another database
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    index.forget_all()
    assert _every_mode(api, world.sponsor_lead) == in_one

    path.write_bytes(b"not an index")
    index.forget_all()
    assert _every_mode(api, world.sponsor_lead) == in_one
