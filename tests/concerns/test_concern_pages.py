"""Concern pages: the list, the raise form, one concern and its actions, the project card."""

import pytest

from cobench.concerns import services
from cobench.concerns.models import Concern

pytestmark = pytest.mark.usefixtures("charter")


def _url(world, concern=None, suffix=""):
    base = f"/projects/{world.project.id}/concerns/"
    return base + (f"{concern.id}/" if concern else "") + suffix


def _raise(world, who=None, **kw):
    fields = {
        "title": "Slow assay turnaround",
        "description": "Results take 4 weeks.",
        "category": "timeline",
        "severity": "medium",
    } | kw
    return services.raise_concern(
        actor=who or world.partner_scientist, project=world.project, **fields
    )


def test_raise_form_explains_confidential_raising_and_raises(web, world):
    client = web(world.partner_scientist)
    page = client.get(_url(world, suffix="new/")).content.decode()
    assert "Raise confidentially" in page and "will not see that it was you" in page
    r = client.post(
        _url(world, suffix="new/"),
        {
            "title": "Boronic acid quality",
            "description": "Two lots below 90%.",
            "category": "quality",
            "severity": "high",
            "addressed_to": world.sponsor.id,
            "confidential": "on",
        },
    )
    concern = Concern.objects.get()
    assert r.status_code == 302 and r.url == _url(world, concern)
    assert concern.confidential and concern.addressed_to == world.sponsor
    page = client.get(r.url).content.decode()
    assert "Concern #1 is raised confidentially" in page and "Raised confidentially" in page


@pytest.mark.parametrize(
    "bad",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"category": "gossip"},
        {"link": "javascript:alert(1)"},
        {"description": "nul \x00 here"},
    ],
)
def test_raise_form_refuses_bad_input_and_keeps_what_was_typed(web, world, bad):
    data = {
        "title": "Keep me",
        "description": "Typed text",
        "category": "quality",
        "severity": "high",
        "addressed_to": world.sponsor.id,
    } | bad
    r = web(world.partner_scientist).post(_url(world, suffix="new/"), data)
    assert r.status_code == 422
    assert not Concern.objects.exists()
    assert "Typed text" in r.content.decode() or "description" in bad


def test_auditor_gets_no_raise_form(web, world):
    assert web(world.auditor).get(_url(world, suffix="new/")).status_code == 403
    assert "Raise a concern" not in web(world.auditor).get(_url(world)).content.decode()


def test_list_filters_with_htmx_partial(web, world):
    _raise(world, title="Slow assay turnaround", severity="medium")
    _raise(world, title="Fume hood failure", severity="critical", category="safety")
    client = web(world.sponsor_lead)
    page = client.get(_url(world)).content.decode()
    assert "Slow assay turnaround" in page and "Fume hood failure" in page
    assert "Response figures" in page
    r = client.get(_url(world) + "?severity=critical", headers={"HX-Request": "true"})
    part = r.content.decode()
    assert "Fume hood failure" in part and "Slow assay" not in part and "<html" not in part


def test_the_page_offers_each_viewer_only_their_actions(web, world):
    c = _raise(world)
    alice = web(world.sponsor_lead).get(_url(world, c)).content.decode()
    assert 'value="acknowledge"' in alice and 'value="assign"' in alice
    sam = web(world.sponsor_scientist).get(_url(world, c)).content.decode()
    assert 'value="acknowledge"' not in sam and 'value="comment"' in sam
    quinn = web(world.auditor).get(_url(world, c)).content.decode()
    assert 'value="comment"' not in quinn


def test_acknowledge_resolve_and_close_from_the_page(web, world):
    c = _raise(world)
    client = web(world.sponsor_lead)
    r = client.post(_url(world, c), {"action": "acknowledge", "acknowledge-version": 1})
    assert r.status_code == 302
    r = client.post(_url(world, c), {"action": "resolve", "resolve-resolution": ""})
    assert r.status_code == 422 and "This field is required" in r.content.decode()
    r = client.post(_url(world, c), {"action": "close"}, follow=True)
    assert r.status_code == 409 or "only an resolved concern" in r.content.decode()
    c.refresh_from_db()
    assert c.state == "acknowledged"
    r = client.post(_url(world, c), {"action": "resolve", "resolve-resolution": "Faster courier"})
    assert r.status_code == 302
    page = client.get(_url(world, c)).content.decode()
    assert "Faster courier" in page and "Resolved" in page
    assert "Concern #1 is resolved" in page


def test_a_stale_form_is_refused(web, world):
    c = _raise(world)
    client = web(world.sponsor_lead)
    services.acknowledge_concern(actor=world.partner_lead, concern=c)
    r = client.post(_url(world, c), {"action": "start", "start-version": 1})
    assert r.status_code == 412 and "Someone else changed this" in r.content.decode()


def test_an_unknown_action_changes_nothing(web, world):
    c = _raise(world)
    r = web(world.sponsor_lead).post(_url(world, c), {"action": "delete"})
    assert r.status_code == 422
    assert Concern.objects.get().state == "open"


def test_assign_from_the_page(web, world):
    c = _raise(world)
    client = web(world.sponsor_lead)
    r = client.post(_url(world, c), {"action": "assign", "assign-owner": "olga"})
    assert r.status_code == 422
    r = client.post(
        _url(world, c), {"action": "assign", "assign-owner": "sam", "assign-due_date": "2026-09-01"}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.owner == world.sponsor_scientist and str(c.due_date) == "2026-09-01"


def test_comment_with_htmx_returns_the_thread(web, world):
    c = _raise(world)
    client = web(world.partner_lead)
    r = client.post(
        _url(world, c),
        {"action": "comment", "comment-body": "We see it too"},
        headers={"HX-Request": "true"},
    )
    part = r.content.decode()
    assert r.status_code == 200 and 'id="comments"' in part and "We see it too" in part
    r = client.post(
        _url(world, c), {"action": "comment", "comment-body": ""}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 422 and 'id="comments"' in r.content.decode()


def test_project_home_shows_the_concerns_card(web, world):
    _raise(world, title="Fume hood failure", severity="critical")
    page = web(world.executive).get(f"/projects/{world.project.id}/").content.decode()
    assert 'id="concerns"' in page and "Fume hood failure" in page and "1</strong> awaiting" in page
    assert 'not yet available</span></h3>\n    <p class="muted">Raise and follow' not in page


def test_someone_elses_concern_page_is_404(web, world):
    c = _raise(world)
    for who in (world.other_member, world.outsider):
        assert web(who).get(_url(world, c)).status_code == 404
        assert web(who).post(_url(world, c), {"action": "acknowledge"}).status_code == 404
    # the right id under the wrong project is not found either
    other = f"/projects/{world.other_project.id}/concerns/{c.id}/"
    assert web(world.other_lead).get(other).status_code == 404
