"""Shared set-up for the site-wide page tests: every CDK2 page, with a written charter."""

import pytest


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
