"""Notifications: the inbox, e-mail at once or in a daily digest, or off, per kind."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from cobench.charters.services import revise_charter
from cobench.notifications.models import Notification
from cobench.notifications.services import send_digests


@pytest.fixture
def new_version(world, django_capture_on_commit_callbacks):
    """Alice writes a charter version: the other leads must sign it."""

    def write():
        with django_capture_on_commit_callbacks(execute=True):
            return revise_charter(
                actor=world.sponsor_lead,
                project=world.project,
                content=world.charter(),
                reason="Kickoff",
                base_number=0,
            )

    return write


def test_a_new_charter_version_asks_the_other_leads_to_sign(world, new_version, web):
    new_version()
    note = Notification.objects.get()
    assert note.recipient == world.partner_lead and "awaits your signature" in note.title
    assert [m.to for m in mail.outbox] == [["paula@example.com"]]
    page = web(world.partner_lead).get("/notifications/")
    assert "awaits your signature" in page.content.decode()
    assert 'aria-label="1 unread"' in web(world.partner_lead).get("/").content.decode()


def test_opening_a_notification_marks_it_read_and_follows_it(world, new_version, web):
    new_version()
    note = Notification.objects.get()
    paula = web(world.partner_lead)
    assert paula.get(f"/notifications/{note.id}/").status_code == 200
    r = paula.post(f"/notifications/{note.id}/")
    assert r.status_code == 302 and r["Location"] == note.url
    assert Notification.objects.get().read_at is not None
    assert 'aria-label="1 unread"' not in paula.get("/").content.decode()


def test_someone_elses_notification_is_404(world, new_version, web, api):
    new_version()
    note = Notification.objects.get()
    assert web(world.sponsor_scientist).get(f"/notifications/{note.id}/").status_code == 404
    assert (
        api(world.sponsor_scientist).post(f"/api/v1/notifications/{note.id}/read").status_code
        == 404
    )
    assert Notification.objects.get().read_at is None


def test_turned_off_means_nothing_arrives(world, new_version, api):
    r = api(world.partner_lead).put(
        "/api/v1/notifications/preferences",
        {"kind": "charter_awaiting_signature", "delivery": "off"},
    )
    assert r.status_code == 200 and r.json()["delivery"] == "off"
    new_version()
    assert not Notification.objects.exists() and not mail.outbox


def test_a_daily_digest_goes_out_once_a_day(world, new_version, api):
    api(world.partner_lead).put(
        "/api/v1/notifications/preferences",
        {"kind": "charter_awaiting_signature", "delivery": "daily_digest"},
    )
    new_version()
    assert Notification.objects.count() == 1 and not mail.outbox  # no e-mail at once
    tomorrow = datetime.now(UTC).replace(hour=3) + timedelta(days=1)
    assert send_digests(now=tomorrow) == 0  # before the digest hour
    morning = tomorrow.replace(hour=8)
    assert send_digests(now=morning) == 1
    assert send_digests(now=morning + timedelta(hours=1)) == 0  # safe to run again
    assert len(mail.outbox) == 1 and "digest" in mail.outbox[0].subject
    assert "awaits your signature" in mail.outbox[0].body


def test_the_api_lists_counts_and_reads(world, new_version, api):
    new_version()
    paula = api(world.partner_lead)
    assert paula.get("/api/v1/notifications/unread-count").json() == {"unread": 1}
    items = paula.get("/api/v1/notifications?unread=true").json()["items"]
    assert [i["kind"] for i in items] == ["charter_awaiting_signature"]
    assert paula.post("/api/v1/notifications/read-all").json() == {"unread": 0}
    assert paula.get("/api/v1/notifications?unread=true").json()["count"] == 0


def test_bad_preferences_are_refused(world, api):
    alice = api(world.sponsor_lead)
    r = alice.put("/api/v1/notifications/preferences", {"kind": "weather", "delivery": "off"})
    assert r.status_code == 422 and "kind" in r.json()["errors"]
    r = alice.put(
        "/api/v1/notifications/preferences", {"kind": "concern_raised", "delivery": "sometimes"}
    )
    assert r.status_code == 422 and "delivery" in r.json()["errors"]


def test_preferences_page_saves_choices(world, web):
    alice = web(world.sponsor_lead)
    r = alice.post(
        "/notifications/preferences/", {"status_updated": "off", "concern_raised": "daily_digest"}
    )
    assert r.status_code == 302
    page = alice.get("/notifications/preferences/").content.decode()
    assert (
        'name="status_updated" value="off" aria-label="A status document was updated: Off" checked'
        in page
    )
