"""Concerns need a charter with a two-level ladder: leads first, then leads and executives."""

import pytest

from cobench.charters.services import revise_charter

LADDER = [
    {
        "level": 1,
        "who": "Project leads",
        "notify": "leads",
        "response_hours": {"low": 72, "medium": 48, "high": 24, "critical": 4},
    },
    {
        "level": 2,
        "who": "Executives",
        "notify": "leads_and_executives",
        "response_hours": {"low": 96, "medium": 72, "high": 48, "critical": 8},
    },
    {
        "level": 3,
        "who": "Leadership committee",
        "notify": "executives",
        "response_hours": {"high": 48},
    },
]


@pytest.fixture
def charter(world):
    return revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(escalation_ladder=LADDER),
        reason="Kickoff",
        base_number=0,
    )


def concern_body(**overrides):
    body = {
        "title": "Tar again in step 3",
        "description": "The Suzuki coupling turns black at 80 C, third time this month.",
        "category": "technical",
        "severity": "high",
    }
    return body | overrides
