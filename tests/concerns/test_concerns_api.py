"""Concerns through the API: raising, the life cycle, assignment, comments, bad input."""

import pytest

from cobench.audit.models import AuditEvent
from cobench.concerns.models import Concern
from cobench.notifications.models import Notification

from .conftest import concern_body

pytestmark = pytest.mark.usefixtures("charter")


def _raise(api, user, **overrides):
    r = api(user).post(f"/api/v1/projects/{_raise.project}/concerns", concern_body(**overrides))
    assert r.status_code == 201, r.content
    return r.json()


@pytest.fixture(autouse=True)
def _project(world):
    _raise.project = world.project.id


def test_partner_scientist_raises_a_concern_for_the_sponsor(api, world):
    c = _raise(api, world.partner_scientist)
    assert c["state"] == "open" and c["number"] == 1 and c["level"] == 1
    assert c["addressed_to"]["name"] == "Helix Bio"
    assert c["raised_by"]["username"] == "pete" and not c["confidential"]
    assert c["response_due"] is not None
    told = Notification.objects.filter(kind="concern_raised")
    assert {n.recipient.username for n in told} == {"alice"}  # the sponsor's lead
    assert AuditEvent.objects.filter(event="concern.raised", target_id=c["id"]).exists()


def test_sponsor_raising_addresses_the_only_partner(api, world):
    c = _raise(api, world.sponsor_scientist)
    assert c["addressed_to"]["name"] == "Northbridge Chemistry"
    assert {n.recipient.username for n in Notification.objects.filter(kind="concern_raised")} == {
        "paula"
    }


def test_auditor_may_not_raise(api, world):
    r = api(world.auditor).post(f"/api/v1/projects/{world.project.id}/concerns", concern_body())
    assert r.status_code == 403
    assert not Concern.objects.exists()


def test_full_life_cycle(api, world):
    c = _raise(api, world.partner_scientist)
    alice = api(world.sponsor_lead)
    base = f"/api/v1/concerns/{c['id']}"
    r = alice.post(f"{base}/acknowledge", {"note": "Looking at it"})
    assert r.status_code == 200 and r.json()["state"] == "acknowledged"
    assert r.json()["acknowledged_at"] and r.headers["ETag"] == '"2"'
    assert alice.post(f"{base}/start", {}).json()["state"] == "in_progress"
    r = alice.post(f"{base}/resolve", {"resolution": "Run it at 60 C under argon."})
    assert r.json()["state"] == "resolved" and r.json()["resolution"].startswith("Run it")
    assert Notification.objects.get(kind="concern_resolved").recipient == world.partner_scientist
    assert alice.post(f"{base}/close", {}).json()["state"] == "closed"
    r = api(world.partner_scientist).post(f"{base}/reopen", {"reason": "Black again", "to": "open"})
    assert r.status_code == 200 and r.json()["state"] == "open"
    events = AuditEvent.objects.filter(target_id=c["id"]).values_list("event", flat=True)
    assert list(events) == [
        "concern.raised",
        "concern.acknowledged",
        "concern.started",
        "concern.resolved",
        "concern.closed",
        "concern.reopened",
    ]


@pytest.mark.parametrize(
    ("steps", "action", "body", "says"),
    [
        ([], "close", {}, "acknowledge it, then resolve it"),
        ([], "resolve", {"resolution": "done"}, "acknowledge it first"),
        ([], "start", {}, "acknowledge it first"),
        (["acknowledge"], "acknowledge", {}, "only an open concern"),
        (["acknowledge"], "close", {}, "resolve it first"),
        ([], "reopen", {"reason": "why"}, "only an resolved or closed"),
    ],
)
def test_invalid_transitions_are_refused_and_change_nothing(api, world, steps, action, body, says):
    c = _raise(api, world.partner_scientist)
    alice = api(world.sponsor_lead)
    for step in steps:
        alice.post(f"/api/v1/concerns/{c['id']}/{step}", {})
    before = Concern.objects.get(pk=c["id"])
    events = AuditEvent.objects.count()
    r = alice.post(f"/api/v1/concerns/{c['id']}/{action}", body)
    assert r.status_code == 409, r.content
    assert says in r.json()["detail"] and "Nothing changed" in r.json()["detail"]
    after = Concern.objects.get(pk=c["id"])
    assert (after.state, after.version) == (before.state, before.version)
    assert AuditEvent.objects.count() == events


def test_resolution_must_be_written(api, world):
    c = _raise(api, world.partner_scientist)
    alice = api(world.sponsor_lead)
    alice.post(f"/api/v1/concerns/{c['id']}/acknowledge", {})
    for bad in ({}, {"resolution": ""}, {"resolution": 7}, {"resolution": "x" * 20_001}):
        assert alice.post(f"/api/v1/concerns/{c['id']}/resolve", bad).status_code == 422
    r = alice.post(f"/api/v1/concerns/{c['id']}/resolve", {"resolution": "   "})
    assert r.status_code == 422 and "resolution" in r.json()["errors"]
    assert Concern.objects.get(pk=c["id"]).state == "acknowledged"


def test_scientists_and_executives_may_not_respond_but_the_owner_may(api, world):
    c = _raise(api, world.partner_lead)
    base = f"/api/v1/concerns/{c['id']}"
    for who in (world.sponsor_scientist, world.executive, world.auditor):
        assert api(who).post(f"{base}/acknowledge", {}).status_code == 403
    r = api(world.sponsor_lead).post(
        f"{base}/assign", {"owner": "sam", "due_date": "2026-08-01", "reason": "Sam runs it"}
    )
    assert r.status_code == 200 and r.json()["owner"]["username"] == "sam"
    assert r.json()["due_date"] == "2026-08-01"
    assert Notification.objects.get(kind="concern_assigned").recipient == world.sponsor_scientist
    assert api(world.sponsor_scientist).post(f"{base}/acknowledge", {}).status_code == 200


def test_assign_refuses_strangers_auditors_and_scientists(api, world):
    c = _raise(api, world.partner_scientist)
    base = f"/api/v1/concerns/{c['id']}/assign"
    alice = api(world.sponsor_lead)
    for owner in ("olga", "oscar", "nobody"):
        r = alice.post(base, {"owner": owner})
        assert r.status_code == 422 and "owner" in r.json()["errors"]
    assert alice.post(base, {"owner": "quinn"}).status_code == 422
    assert alice.post(base, {"due_date": "not a date"}).status_code == 422
    assert api(world.sponsor_scientist).post(base, {"owner": "sam"}).status_code == 403
    assert Concern.objects.get(pk=c["id"]).owner is None


def test_stale_version_is_refused(api, world):
    c = _raise(api, world.partner_scientist)
    alice = api(world.sponsor_lead)
    r = alice.post(f"/api/v1/concerns/{c['id']}/acknowledge", {"version": 5})
    assert r.status_code == 412
    assert alice.post(f"/api/v1/concerns/{c['id']}/acknowledge", {"version": 1}).status_code == 200


@pytest.mark.parametrize(
    "bad",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"description": "y" * 20_001},
        {"category": "gossip"},
        {"severity": "apocalyptic"},
        {"severity": 3},
        {"confidential": "maybe"},
        {"link": "javascript:alert(1)"},
        {"link": "//evil.example/x"},
        {"title": "nul\x00byte"},
        {"addressed_to_id": "not-a-uuid"},
    ],
)
def test_bad_input_raises_nothing(api, world, bad):
    r = api(world.partner_scientist).post(
        f"/api/v1/projects/{world.project.id}/concerns", concern_body(**bad)
    )
    assert r.status_code == 422, r.content
    assert not Concern.objects.exists()


def test_addressed_to_must_be_on_the_project(api, world):
    r = api(world.partner_scientist).post(
        f"/api/v1/projects/{world.project.id}/concerns",
        concern_body(addressed_to_id=str(world.other_partner.id)),
    )
    assert r.status_code == 422 and "addressed_to" in r.json()["errors"]


def test_list_filters(api, world):
    _raise(api, world.partner_scientist, severity="low", category="timeline")
    second = _raise(api, world.partner_scientist, severity="critical", category="safety")
    api(world.sponsor_lead).post(f"/api/v1/concerns/{second['id']}/acknowledge", {})
    url = f"/api/v1/projects/{world.project.id}/concerns"
    alice = api(world.sponsor_lead)

    def numbers(query):
        return [c["number"] for c in alice.get(url + query).json()["items"]]

    assert numbers("") == [2, 1]
    assert numbers("?severity=critical") == [2]
    assert numbers("?category=timeline") == [1]
    assert numbers("?state=open") == [1]
    assert numbers("?state=active") == [2, 1]
    assert numbers("?state=resolved") == []
    assert alice.get(url + "?state=bogus").status_code == 422


def test_comments(api, world):
    c = _raise(api, world.partner_scientist)
    url = f"/api/v1/concerns/{c['id']}/comments"
    r = api(world.sponsor_lead).post(url, {"body": "Which batch of boronic acid?"})
    assert r.status_code == 201 and r.json()["author"]["username"] == "alice"
    assert api(world.partner_scientist).post(url, {"body": "Lot 7"}).status_code == 201
    assert api(world.auditor).post(url, {"body": "I only read"}).status_code == 403
    assert api(world.sponsor_lead).post(url, {"body": ""}).status_code == 422
    assert api(world.sponsor_lead).post(url, {"body": "z" * 20_001}).status_code == 422
    items = api(world.auditor).get(url).json()["items"]
    assert [i["body"] for i in items] == ["Which batch of boronic acid?", "Lot 7"]


def test_someone_elses_concern_is_404(api, world):
    c = _raise(api, world.partner_scientist)
    for who in (world.other_member, world.outsider):
        assert api(who).get(f"/api/v1/concerns/{c['id']}").status_code == 404
        r = api(who).post(f"/api/v1/concerns/{c['id']}/acknowledge", {})
        assert r.status_code == 404
    assert Concern.objects.get(pk=c["id"]).state == "open"
