"""A confidential raiser is known to their own organization (executives excepted), QA auditors
and the system; to everyone else, on every concern route, they are "Confidential reporter"."""

import re

import pytest

from cobench.audit.models import AuditEvent
from cobench.concerns import services
from cobench.notifications.models import Notification

pytestmark = pytest.mark.usefixtures("charter")
PETE = re.compile(r"\bpete\b", re.I)
SAM = re.compile(r"\bsam\b", re.I)


@pytest.fixture
def secret(world):
    """A concern pete raised confidentially, with his comment and his reopening."""
    c = services.raise_concern(
        actor=world.partner_scientist,
        project=world.project,
        title="Safety shortcuts in the kilo lab",
        description="Quench done without a blast shield.",
        category="safety",
        severity="critical",
        confidential=True,
    )
    services.comment_on_concern(actor=world.partner_scientist, concern=c, body="Twice this week")
    services.comment_on_concern(actor=world.sponsor_lead, concern=c, body="Thank you, on it")
    services.acknowledge_concern(actor=world.sponsor_lead, concern=c)
    services.resolve_concern(actor=world.sponsor_lead, concern=c, resolution="Shield installed")
    services.reopen_concern(actor=world.partner_scientist, concern=c, reason="Not used yet")
    return c


def _routes(world, c):
    p = world.project.id
    api = [
        f"/api/v1/projects/{p}/concerns",
        f"/api/v1/projects/{p}/concerns?state=open",
        f"/api/v1/concerns/{c.id}",
        f"/api/v1/concerns/{c.id}/comments",
        f"/api/v1/audit/concerns.concern/{c.id}",
        f"/api/v1/projects/{p}/audit?page_size=500",
    ]
    web = [
        f"/projects/{p}/",
        f"/projects/{p}/concerns/",
        f"/projects/{p}/concerns/?severity=critical",
        f"/history/concerns.concern/{c.id}/",
    ]
    return api, web


def _pete_free(text: str, c) -> str:
    """The page without the places that list members (the owner picker): they name everyone."""
    return re.sub(r'<select name="assign-owner".*?</select>', "", text, flags=re.S)


@pytest.mark.parametrize("viewer", ["sponsor_lead", "sponsor_scientist", "executive"])
def test_the_other_side_and_executives_never_read_the_raiser(api, web, world, secret, viewer):
    user = getattr(world, viewer)
    api_routes, web_routes = _routes(world, secret)
    for path in api_routes:
        r = api(user).get(path)
        assert r.status_code == 200, path
        text = r.content.decode()
        if path.endswith("/audit?page_size=500"):  # the project's trail: its concern events
            text = str([e for e in r.json()["items"] if e["target_type"].startswith("concerns.")])
        assert not PETE.search(text), f"{path} names the raiser to {viewer}"
    client = web(user)
    for path in [*web_routes, f"/projects/{world.project.id}/concerns/{secret.id}/"]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert not PETE.search(_pete_free(r.content.decode(), secret)), f"{path} to {viewer}"
    page = client.get(f"/projects/{world.project.id}/concerns/{secret.id}/").content.decode()
    assert "Confidential reporter" in page and "Twice this week" in page
    for note in Notification.objects.filter(recipient=user):
        assert not PETE.search(f"{note.title} {note.body}")


def test_the_api_gives_no_raiser_and_labels_the_comment(api, world, secret):
    body = api(world.sponsor_lead).get(f"/api/v1/concerns/{secret.id}").json()
    assert body["raised_by"] is None and body["raised_by_label"] == "Confidential reporter"
    assert body["raised_by_organization"]["name"] == "Northbridge Chemistry"
    comments = api(world.sponsor_lead).get(f"/api/v1/concerns/{secret.id}/comments").json()
    assert [(c["author"], c["author_label"]) for c in comments["items"]] == [
        (None, "Confidential reporter"),
        ({"username": "alice", "name": "Alice Tester"}, "Alice Tester"),
    ]


@pytest.mark.parametrize("viewer", ["partner_scientist", "partner_lead", "auditor"])
def test_the_raiser_their_organization_and_auditors_know(api, web, world, secret, viewer):
    user = getattr(world, viewer)
    body = api(user).get(f"/api/v1/concerns/{secret.id}").json()
    assert body["raised_by"]["username"] == "pete"
    page = web(user).get(f"/projects/{world.project.id}/concerns/{secret.id}/").content.decode()
    assert "Pete Tester" in page
    history = api(user).get(f"/api/v1/audit/concerns.concern/{secret.id}").json()["items"]
    assert "Pete Tester <pete>" in {e["actor"] for e in history}


def test_the_trail_keeps_the_raiser_and_marks_each_of_their_events_hidden(world, secret):
    events = AuditEvent.objects.filter(target_id=str(secret.pk)).order_by("seq")
    hidden = [(e.event, e.actor_hidden) for e in events if e.actor_label == "Pete Tester <pete>"]
    assert hidden == [
        ("concern.raised", True),
        ("concern.commented", True),
        ("concern.reopened", True),
    ]
    assert not events.filter(actor_label__contains="alice", actor_hidden=True).exists()


def test_the_raiser_is_told_of_the_resolution(world, secret):
    note = Notification.objects.get(kind="concern_resolved")
    assert note.recipient == world.partner_scientist and "Shield installed" in note.body


def test_a_sponsor_scientist_hides_from_their_own_executive(api, world):
    c = services.raise_concern(
        actor=world.sponsor_scientist,
        project=world.project,
        title="Pressure to skip controls",
        description="From above.",
        category="quality",
        severity="medium",
        confidential=True,
    )
    erin = api(world.executive).get(f"/api/v1/concerns/{c.id}").content.decode()
    assert not SAM.search(erin)
    alice = api(world.sponsor_lead).get(f"/api/v1/concerns/{c.id}").json()
    assert alice["raised_by"]["username"] == "sam"
    paula = api(world.partner_lead).get(f"/api/v1/concerns/{c.id}").content.decode()
    assert not SAM.search(paula)
    raised = Notification.objects.get(kind="concern_raised", recipient=world.partner_lead)
    assert "confidentially" in raised.body and not SAM.search(raised.body + raised.title)
