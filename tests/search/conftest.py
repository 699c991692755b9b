import pytest

from cobench.search import index

from .objects import registry


@pytest.fixture(autouse=True)
def _fresh_indexes():
    # each test's database is new: so are the indexes of this process
    index.forget_all()
    yield
    index.forget_all()


@pytest.fixture
def compounds(world):
    return registry(world)
