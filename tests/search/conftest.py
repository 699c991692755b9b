import pytest
from django.conf import settings as django_settings

from cobench.search import index

from .objects import registry


def pytest_generate_tests(metafunc):
    # on PostgreSQL (where "auto" is the cartridge) every test runs in-process too
    if "backend" in metafunc.fixturenames:
        on_postgresql = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]
        metafunc.parametrize("backend", ["auto", "inprocess"] if on_postgresql else ["auto"])


@pytest.fixture(autouse=True)
def _backend(backend, settings):
    settings.COBENCH_SEARCH_BACKEND = backend
    # each test's database is new: so are the indexes of this process
    index.forget_all()
    yield
    index.forget_all()


@pytest.fixture
def compounds(world):
    return registry(world)
