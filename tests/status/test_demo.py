"""The demo shows one fresh status document and one that went stale."""

import pytest

from cobench.demo import cast, loader
from cobench.notifications.models import Notification
from cobench.status import services


@pytest.fixture
def demo(db):
    return loader.load_demo()


def test_beacon_street_is_fresh_and_deccan_is_stale_against_the_7_day_cadence(demo):
    rows = {r.organization.name: r for r in services.project_freshness(demo.project, seen_by=None)}
    assert services.cadence_days(demo.project) == 7  # the signed v1, not the 14-day draft
    beacon, deccan = rows[cast.BOSTON.name], rows[cast.HYDERABAD.name]
    assert beacon.label == "fresh" and beacon.current.number == 3
    assert beacon.current.created_by.username == "brian"
    assert deccan.label == "stale" and deccan.current.number == 2
    assert deccan.age.days >= 11


def test_the_stale_job_tells_the_sponsor_lead_and_deccans_lead(demo):
    assert services.notify_stale() == 2
    told = Notification.objects.filter(kind="status_stale")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["helena", "priya"]


def test_the_demo_status_pages_render(demo, web):
    from cobench.tenancy.models import User

    helena = web(User.objects.get(username="helena"))
    page = helena.get(f"/projects/{demo.project.id}/status/").content.decode()
    assert "Beacon Street Chemistry" in page and "Deccan Synthesis Labs" in page
    assert "state-stale" in page and "state-fresh" in page
    assert "Stale status documents" in helena.get("/").content.decode()
