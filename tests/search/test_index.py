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
