"""The search's background work: writing ahead the index of a registry that grew a lot."""

from datetime import timedelta
from uuid import UUID

from cobench.core.periodic import periodic

from . import services


@periodic(every=timedelta(minutes=1))
def prepare_grown_indexes() -> list[UUID]:
    """Every minute: write the index of each sponsor whose registry grew past its file by a
    large import, so web processes read it instead of building it (safe to run twice)."""
    return services.prepare_grown_indexes()
