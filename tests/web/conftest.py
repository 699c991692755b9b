"""Shared set-up for the page tests: CDK2 with a written charter."""

import pytest

from cobench.charters.services import revise_charter


@pytest.fixture
def v1(world):
    """Charter version 1 of CDK2, complete but not yet signed."""
    return revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(),
        reason="Kickoff",
        base_number=0,
    )


@pytest.fixture
def urls(world, v1):
    """Every CDK2 page, by name."""
    p = world.project.id
    return {
        "project-home": f"/projects/{p}/",
        "members": f"/projects/{p}/members/",
        "charter": f"/projects/{p}/charter/",
        "charter-version": f"/projects/{p}/charter/{v1.id}/",
        "charter-compare": f"/projects/{p}/charter/compare/",
        "history": f"/history/tenancy.project/{p}/",
        "version-history": f"/history/charters.charterversion/{v1.id}/",
    }
