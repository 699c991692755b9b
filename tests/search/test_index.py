"""The in-process index's own bookkeeping, where the doors cannot show it."""

from uuid import UUID, uuid4

from cobench.search.index import SponsorIndex


def test_compound_ids_survive_the_index_whatever_their_bytes():
    ids = [UUID(int=256), UUID(int=0), uuid4()]  # trailing zero bytes included
    index = SponsorIndex(uuid4())
    index.append([(cid, n, "CCO") for n, cid in enumerate(ids, start=1)])
    assert [index.compound_id(p) for p in range(3)] == ids
    assert index.positions([3, 1, 7]).tolist() == [2, 0]


def test_link_counts_follow_the_registry(world, compounds):
    """The triggers count each project's compound links (a compounds migration that rebuilds
    `compounds_projectcompound` on SQLite would drop them: this notices)."""
    from cobench.compounds.models import ProjectCompound
    from cobench.search.models import ProjectLinks

    from .objects import CDK2_SERIES, register

    register(world, CDK2_SERIES["aspirin"], kras=True)  # a known compound, now in KRAS too
    for project in (world.project, world.other_project):
        links = ProjectLinks.objects.get(project_id=project.pk).links
        assert links == ProjectCompound.objects.filter(project=project).count()
    assert ProjectLinks.objects.get(project_id=world.other_project.pk).links == 2


def test_a_searcher_seeing_part_of_the_index_finds_what_filtering_all_of_it_finds():
    """Sparse scopes are searched among their own positions only (the substructure search
    order, an engine of their fingerprints); dense ones by filtering: the same hits."""
    import numpy as np
    from rdkit import Chem

    from cobench.search.index import morgan

    smiles = ["c1ccccc1" + "C" * (i % 7) + ("O" if i % 3 else "N") for i in range(400)]
    index = SponsorIndex(uuid4())
    index.append([(uuid4(), n, s) for n, s in enumerate(smiles, start=1)])
    query, fp = Chem.MolFromSmiles("c1ccccc1CCO"), morgan(Chem.MolFromSmiles("c1ccccc1CCO"))
    every = index.substructure(query, cap=1000, allowed=None, workers=1, time_limit_s=10)
    nearest = index.similar(fp, threshold=0.0, k=400, allowed=None, workers=1)
    rng = np.random.default_rng(3)
    for fraction in (0.01, 0.1, 0.5, 0.9):
        allowed = rng.random(len(smiles)) < fraction
        found = index.substructure(query, cap=1000, allowed=allowed, workers=1, time_limit_s=10)
        assert found.positions.tolist() == [p for p in every.positions if allowed[p]]
        capped = index.substructure(query, cap=3, allowed=allowed, workers=1, time_limit_s=10)
        assert capped.positions.tolist() == found.positions.tolist()[:3]
        assert capped.more == (len(found.positions) > 3)
        similar = index.similar(fp, threshold=0.0, k=10, allowed=allowed, workers=1)
        expected = [row for row in nearest if allowed[row["mol_id"]]][:10]
        assert [round(c, 6) for c in similar["coeff"]] == [round(r["coeff"], 6) for r in expected]
        assert set(similar["mol_id"]) <= set(np.flatnonzero(allowed))
    assert index.substructs.GetSearchOrder() == ()  # the library is left searching everything
    ids = [index.compound_id(p) for p in (5, 0, 399)]
    assert index.positions_of([pk.bytes for pk in [*ids, uuid4()]]).tolist() == [5, 0, 399]
