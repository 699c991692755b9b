"""CDK2 with a signed charter asking for a status update every 14 days."""

from datetime import UTC, datetime, timedelta

import pytest

from cobench.charters.services import revise_charter, sign_charter

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def charter(world):
    version = revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(),
        reason="Kickoff",
        base_number=0,
    )
    for lead in (world.sponsor_lead, world.partner_lead):
        sign_charter(actor=lead, version=version, password=world.password, meaning="Approved")
    return version


def days(n: float) -> datetime:
    return T0 + timedelta(days=n)
