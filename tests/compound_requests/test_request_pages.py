"""Request pages: the board and its filters, the new-request form, one request with its
conversation and the steps its viewer may take, the pictures, the project card."""

from datetime import timedelta

from django.utils import timezone

from cobench.compound_requests import services
from cobench.compound_requests.models import CompoundRequest

from .conftest import ALTERNATIVE, OLOMOUCINE_LIKE


def _url(world, req=None, suffix=""):
    base = f"/projects/{world.project.id}/requests/"
    return base + (f"{req.id}/" if req else "") + suffix


def _request(world, **kw):
    fields = {
        "structure": OLOMOUCINE_LIKE,
        "partner": world.partner,
        "rationale": "Probe the N9 pocket.",
        "priority": "high",
    } | kw
    return services.create_request(actor=world.sponsor_lead, project=world.project, **fields)


def test_sponsor_scientist_requests_a_compound_through_the_form(web, world):
    client = web(world.sponsor_scientist)
    page = client.get(_url(world, suffix="new/")).content.decode()
    assert "Request a compound" in page and "molfile" in page and "Northbridge" in page
    r = client.post(
        _url(world, suffix="new/"),
        {
            "structure": OLOMOUCINE_LIKE,
            "rationale": "Does the benzyl fill the ribose pocket?",
            "partner": str(world.partner.id),
            "priority": "urgent",
        },
    )
    req = CompoundRequest.objects.get()
    assert r.status_code == 302 and r.url == _url(world, req)
    page = client.get(r.url).content.decode()
    assert "Request #1 is sent" in page and "Does the benzyl fill the ribose pocket?" in page
    assert "Urgent priority" in page and 'id="thread"' in page


def test_unparsable_structure_shows_rdkits_message_on_the_form(web, world):
    client = web(world.sponsor_lead)
    r = client.post(
        _url(world, suffix="new/"),
        {
            "structure": "c1ccccc1C(",
            "rationale": "why",
            "partner": str(world.partner.id),
            "priority": "normal",
        },
    )
    assert r.status_code == 422
    assert "SMILES Parse Error" in r.content.decode()
    assert not CompoundRequest.objects.exists()


def test_partner_cannot_open_the_new_request_form(web, world):
    assert web(world.partner_lead).get(_url(world, suffix="new/")).status_code == 403


def test_board_shows_columns_by_state_with_overdue_highlighted(web, world):
    late = _request(world, title="Late one", due_date=timezone.localdate() + timedelta(days=1))
    CompoundRequest.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    accepted = _request(world, title="Taken")
    services.accept_request(actor=world.partner_lead, request=accepted)
    client = web(world.partner_scientist)
    page = client.get(_url(world)).content.decode()
    assert 'id="col-proposed"' in page and 'id="col-tested"' in page
    proposed = page.split('id="col-proposed"')[1].split('id="col-accepted"')[0]
    assert "Late one" in proposed and "req-card overdue" in proposed
    accepted_col = page.split('id="col-accepted"')[1].split('id="col-pushed_back"')[0]
    assert "Taken" in accepted_col
    assert 'aria-current="page">Requests' in page
    # htmx asks for the board alone, filtered
    r = client.get(_url(world) + "?overdue=on", headers={"HX-Request": "true"})
    fragment = r.content.decode()
    assert fragment.startswith('<section id="request-board"') and "<html" not in fragment
    assert "Late one" in fragment and "Taken" not in fragment
    r = client.get(_url(world) + "?priority=low")
    assert "Late one" not in r.content.decode()


def test_thread_shows_the_conversation_and_only_allowed_steps(web, world):
    req = _request(world, title="Probe")
    services.propose_alternative(
        actor=world.partner_scientist,
        request=req,
        structure=ALTERNATIVE,
        text="The N9-methyl route needs a protecting group dance; the NH analogue does not.",
    )
    sponsor = web(world.sponsor_lead).get(_url(world, req)).content.decode()
    assert "protecting group dance" in sponsor and "Proposed an alternative" in sponsor
    assert 'id="step-accept_alternative"' in sponsor and 'id="step-answer"' in sponsor
    assert 'id="step-accept"' not in sponsor
    assert sponsor.count("?message=") == 2  # the original and the alternative are drawn
    partner = web(world.partner_scientist).get(_url(world, req)).content.decode()
    assert 'id="actions"' not in partner  # waiting for the sponsor
    r = web(world.sponsor_lead).post(
        _url(world, req), {"action": "accept_alternative", "accept_alternative-version": 2}
    )
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.state == "accepted" and req.smiles == "Nc1nc(Nc2ccc(F)cc2)c2nc[nH]c2n1"
    partner = web(world.partner_scientist).get(_url(world, req)).content.decode()
    assert 'id="step-start_synthesis"' in partner and "Accepted the alternative" in partner


def test_a_stale_form_is_refused_with_a_message(web, world):
    req = _request(world)
    services.accept_request(actor=world.partner_lead, request=req)
    r = web(world.partner_scientist).post(
        _url(world, req),
        {
            "action": "push_back",
            "push_back-version": 1,
            "push_back-reason": "cost",
            "push_back-text": "too dear",
        },
    )
    assert r.status_code == 412
    req.refresh_from_db()
    assert req.state == "accepted"


def test_an_invalid_step_by_form_is_a_conflict(web, world):
    req = _request(world)
    r = web(world.partner_scientist).post(
        _url(world, req), {"action": "mark_shipped", "mark_shipped-version": 1}
    )
    assert r.status_code == 409 and "Nothing changed" in r.content.decode()


def test_pictures_are_svg_and_of_this_project_only(web, world):
    req = _request(world)
    client = web(world.executive)
    r = client.get(_url(world, req, "picture.svg"))
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in r["Content-Security-Policy"]
    first = req.messages.get()
    assert client.get(_url(world, req, f"picture.svg?message={first.id}")).status_code == 200
    assert client.get(_url(world, req, "picture.svg?message=nope")).status_code == 404
    assert web(world.outsider).get(_url(world, req, "picture.svg")).status_code == 404


def test_project_home_card_counts_requests(web, world):
    _request(world)
    page = web(world.partner_lead).get(f"/projects/{world.project.id}/").content.decode()
    assert 'id="requests-summary"' in page and "1</strong> waiting for an answer" in page
