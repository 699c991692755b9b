"""The in-process index's own bookkeeping, where the doors cannot show it."""

from uuid import UUID, uuid4

from cobench.search.index import SponsorIndex


def test_compound_ids_survive_the_index_whatever_their_bytes():
    ids = [UUID(int=256), UUID(int=0), uuid4()]  # trailing zero bytes included
    index = SponsorIndex(uuid4())
    index.append([(cid, n, "CCO") for n, cid in enumerate(ids, start=1)])
    assert [index.compound_id(p) for p in range(3)] == ids
    assert index.positions([3, 1, 7]).tolist() == [2, 0]
