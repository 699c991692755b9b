"""Compound requests through the API: the happy path, every refused step, who may do what,
bad structures, concurrency and the board's filters."""

import pytest

from cobench.audit.models import AuditEvent
from cobench.compound_requests.models import CompoundRequest, RequestMessage
from cobench.compound_requests.services import TRANSITIONS
from cobench.notifications.models import Notification

from .conftest import ALTERNATIVE, OLOMOUCINE_LIKE, REVISED, request_body


def _step(api, user, req, name, body=None, version=None):
    path = f"/api/v1/requests/{req['id']}/{name.replace('_', '-')}"
    return api(user).post(path, {**(body or {}), "version": version or req["version"]})


def _body_for(name):
    return {
        "push_back": {"reason": "stability", "text": "The enamine hydrolyses on silica."},
        "propose_alternative": {"structure": ALTERNATIVE, "text": "Same hinge contacts, stable."},
        "answer": {"text": "Try it anyway."},
        "abandon": {"reason": "Series dropped."},
        "mark_made": {"register_now": True, "purity": "98.5", "amount": "12"},
    }.get(name, {})


def test_sponsor_requests_a_compound_and_the_partner_lead_is_told(api, world, create):
    status, req = create()
    assert status == 201, req
    assert req["state"] == "proposed" and req["number"] == 1 and req["priority"] == "high"
    assert req["smiles"] == "CNc1nc(NCc2ccccc2)c2ncn(C)c2n1"
    assert "V2000" in req["molblock"] and req["partner"]["name"] == "Northbridge Chemistry"
    assert req["your_steps"] == ["abandon"]
    told = Notification.objects.filter(kind="request_new")
    assert {n.recipient.username for n in told} == {"paula"}
    assert AuditEvent.objects.filter(event="compound_request.created", target_id=req["id"]).exists()
    picture = api(world.sponsor_lead).client
    picture.force_login(world.partner_scientist)
    r = picture.get(req["picture_url"])
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml"
    assert r.content.startswith(b"<?xml") and b"<svg" in r.content


def test_molfile_is_accepted(api, world, create):
    from rdkit import Chem

    molfile = Chem.MolToMolBlock(Chem.MolFromSmiles(REVISED))
    status, req = create(structure=molfile)
    assert status == 201 and req["smiles"] == Chem.MolToSmiles(Chem.MolFromSmiles(REVISED))


def test_full_happy_path_with_push_back_alternative_and_delivery(api, world, create):
    _, req = create()
    pete, alice, sam = world.partner_scientist, world.sponsor_lead, world.sponsor_scientist
    r = _step(api, pete, req, "push_back", _body_for("push_back"))
    assert r.status_code == 200 and r.json()["state"] == "pushed_back"
    assert {n.recipient.username for n in Notification.objects.filter(kind="request_answered")} == {
        "alice"
    }
    r = _step(
        api,
        sam,
        r.json(),
        "answer",
        {"text": "Fair: here is the NH version.", "structure": REVISED},
    )
    assert r.json()["state"] == "proposed" and r.json()["smiles"] == "Nc1nc(Nc2ccccc2)c2nc[nH]c2n1"
    r = _step(api, pete, r.json(), "propose_alternative", _body_for("propose_alternative"))
    assert r.json()["state"] == "alternative_proposed" and r.json()["smiles"] != ALTERNATIVE
    assert r.json()["your_steps"] == []  # pete has nothing left to do until the sponsor answers
    r = _step(api, alice, r.json(), "accept_alternative")
    assert (
        r.json()["state"] == "accepted" and r.json()["smiles"] == "Nc1nc(Nc2ccc(F)cc2)c2nc[nH]c2n1"
    )
    req = r.json()
    for user, name, state in [
        (pete, "start_synthesis", "in_synthesis"),
        (world.partner_lead, "mark_made", "made"),
        (pete, "mark_shipped", "shipped"),
        (sam, "mark_received", "received"),
        (alice, "mark_tested", "tested"),
    ]:
        r = _step(api, user, req, name, _body_for(name))
        assert r.status_code == 200, (name, r.content)
        req = r.json()
        assert req["state"] == state and r.headers["ETag"] == f'"{req["version"]}"'
    assert req["registry_id"] == "CB-000001" and req["compound_id"] and req["your_steps"] == []
    thread = api(world.executive).get(f"/api/v1/requests/{req['id']}/messages").json()["items"]
    assert [m["kind"] for m in thread] == [
        "requested",
        "pushed_back",
        "answered",
        "alternative",
        "alternative_accepted",
        "progress",
        "progress",
        "progress",
        "progress",
        "progress",
    ]
    assert thread[0]["smiles"] == OLOMOUCINE_LIKE.replace("CNc1", "CNc1")  # the original stays
    assert (
        thread[1]["reason"] == "stability"
        and thread[3]["smiles"] == "Nc1nc(Nc2ccc(F)cc2)c2nc[nH]c2n1"
    )
    events = AuditEvent.objects.filter(target_id=req["id"]).values_list("event", flat=True)
    assert len(events) == 11 and "compound_request.alternative_accepted" in events
    assert "compound_request.compound_linked" in events


STATE_AFTER = {
    "proposed": [],
    "accepted": [("partner_scientist", "accept")],
    "pushed_back": [("partner_scientist", "push_back")],
    "alternative_proposed": [("partner_scientist", "propose_alternative")],
    "in_synthesis": [("partner_scientist", "accept"), ("partner_scientist", "start_synthesis")],
    "made": [
        ("partner_scientist", "accept"),
        ("partner_scientist", "start_synthesis"),
        ("partner_scientist", "mark_made"),
    ],
    "shipped": [
        ("partner_scientist", "accept"),
        ("partner_scientist", "start_synthesis"),
        ("partner_scientist", "mark_made"),
        ("partner_scientist", "mark_shipped"),
    ],
    "received": [
        ("partner_scientist", "accept"),
        ("partner_scientist", "start_synthesis"),
        ("partner_scientist", "mark_made"),
        ("partner_scientist", "mark_shipped"),
        ("sponsor_scientist", "mark_received"),
    ],
    "tested": [
        ("partner_scientist", "accept"),
        ("partner_scientist", "start_synthesis"),
        ("partner_scientist", "mark_made"),
        ("partner_scientist", "mark_shipped"),
        ("sponsor_scientist", "mark_received"),
        ("sponsor_lead", "mark_tested"),
    ],
    "abandoned": [("sponsor_lead", "abandon")],
}
INVALID = [
    (state, name)
    for state in STATE_AFTER
    for name, step in TRANSITIONS.items()
    if state not in step.sources
]


@pytest.mark.parametrize(("state", "name"), INVALID, ids=[f"{s}-{n}" for s, n in INVALID])
def test_every_invalid_transition_is_refused_and_changes_nothing(api, world, create, state, name):
    _, req = create()
    for who, step in STATE_AFTER[state]:
        r = _step(api, getattr(world, who), req, step, _body_for(step))
        assert r.status_code == 200, r.content
        req = r.json()
    assert req["state"] == state
    side = TRANSITIONS[name].side
    user = world.partner_lead if side == "partner" else world.sponsor_lead
    client = api(user)
    before_events = AuditEvent.objects.filter(target_id=req["id"]).count()
    before_messages = RequestMessage.objects.count()
    path = f"/api/v1/requests/{req['id']}/{name.replace('_', '-')}"
    r = client.post(path, {**_body_for(name), "version": req["version"]})
    assert r.status_code == 409, r.content
    assert "Nothing changed" in r.json()["detail"]
    after = client.get(f"/api/v1/requests/{req['id']}").json()
    assert {k: v for k, v in after.items() if k != "your_steps"} == {
        k: v for k, v in req.items() if k != "your_steps"
    }
    assert AuditEvent.objects.filter(target_id=req["id"]).count() == before_events
    assert RequestMessage.objects.count() == before_messages


def test_partner_cannot_create_requests(api, world, create):
    for user in (world.partner_lead, world.partner_scientist, world.executive, world.auditor):
        status, body = create(user=user)
        assert status == 403, body
    assert not CompoundRequest.objects.exists()


def test_sponsor_cannot_accept_on_the_partners_behalf(api, world, create):
    _, req = create()
    for name in ("accept", "push_back", "propose_alternative"):
        r = _step(api, world.sponsor_lead, req, name, _body_for(name))
        assert r.status_code == 403 and "Northbridge" in r.json()["detail"]
    assert CompoundRequest.objects.get().state == "proposed"


def test_partner_cannot_take_the_sponsors_steps(api, world, create):
    _, req = create()
    r = _step(api, world.partner_lead, req, "abandon", _body_for("abandon"))
    assert r.status_code == 403


def test_the_sponsor_and_the_assigned_partner_see_a_request_another_partner_does_not(
    api, world, create, django_user_model
):
    from cobench.tenancy import services as tenancy

    tenancy.add_partner(
        actor=world.sponsor_lead,
        project=world.project,
        organization=world.other_partner,
        start_date=world.project.partners.get().start_date,
    )
    tenancy.add_member(
        actor=world.sponsor_lead,
        project=world.project,
        username="olga",
        role="partner_scientist",
    )
    _, req = create()
    olga = api(world.other_member)
    assert olga.get(f"/api/v1/requests/{req['id']}").status_code == 404
    assert (
        req["id"] not in olga.get(f"/api/v1/projects/{world.project.id}/requests").content.decode()
    )
    assert _step(api, world.other_member, req, "accept").status_code == 404
    for user in (world.executive, world.auditor):
        assert api(user).get(f"/api/v1/requests/{req['id']}").status_code == 200
        assert _step(api, user, req, "accept").status_code == 403


def test_unparsable_structure_is_refused_with_rdkits_message(api, world, create):
    status, body = create(structure="c1ccccc1C(")
    assert status == 422
    (message,) = body["errors"]["structure"]
    assert "RDKit" in message and "SMILES Parse Error" in message
    status, body = create(structure="C1CC")
    assert status == 422 and "unclosed ring" in body["errors"]["structure"][0]
    status, body = create(structure="C(C)(C)(C)(C)C")
    assert status == 422 and "valence" in body["errors"]["structure"][0].lower()
    assert not CompoundRequest.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rationale": ""}, "rationale"),
        ({"rationale": "x" * 20_001}, "rationale"),
        ({"rationale": "why\x00"}, "rationale"),
        ({"structure": "CCO\x00"}, "structure"),
        ({"structure": "C" * 200_001}, "structure"),
        ({"priority": "yesterday"}, "priority"),
        ({"due_date": "someday"}, "due_date"),
        ({"due_date": "2000-01-01"}, "due_date"),
        ({"partner_id": "not-a-uuid"}, "partner_id"),
        ({"title": "t" * 201}, "title"),
    ],
)
def test_bad_input_is_refused_per_field(api, world, create, overrides, field):
    status, body = create(**overrides)
    assert status == 422, body
    assert any(field in key for key in body["errors"]), body
    assert not CompoundRequest.objects.exists()


def test_another_projects_partner_cannot_be_assigned(api, world, create):
    status, body = create(partner_id=str(world.other_partner.id))
    assert status == 422 and "partner" in body["errors"]
    status, body = create(partner_id=str(world.sponsor.id))
    assert status == 422 and "partner" in body["errors"]


def test_huge_molecule_is_refused(api, world, create):
    status, body = create(structure="C" * 3000)
    assert status == 422 and "heavy atoms" in body["errors"]["structure"][0]


def test_someone_elses_ids_are_404(api, world, create):
    _, req = create()
    for user in (world.outsider, world.other_member):
        assert api(user).get(f"/api/v1/requests/{req['id']}").status_code == 404
        assert _step(api, user, req, "accept").status_code == 404
        assert api(user).get(f"/api/v1/projects/{world.project.id}/requests").status_code == 404
    r = api(world.sponsor_lead).get("/api/v1/requests/00000000-0000-0000-0000-000000000000")
    assert r.status_code == 404


def test_two_people_answering_at_once_do_not_both_win(api, world, create):
    _, req = create()
    first = _step(api, world.partner_scientist, req, "accept")
    assert first.status_code == 200
    second = _step(api, world.partner_lead, req, "push_back", _body_for("push_back"))
    assert second.status_code == 412
    assert CompoundRequest.objects.get().state == "accepted"


def test_steps_need_the_version_read_as_if_match_or_in_the_body(api, world, create):
    _, req = create()
    paula = api(world.partner_lead)
    r = paula.post(f"/api/v1/requests/{req['id']}/accept", {})
    assert r.status_code == 428
    r = paula.post(f"/api/v1/requests/{req['id']}/accept", {}, headers={"If-Match": '"7"'})
    assert r.status_code == 412
    r = paula.post(f"/api/v1/requests/{req['id']}/accept", {}, headers={"If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["state"] == "accepted"


def test_push_back_needs_a_reason_and_text(api, world, create):
    _, req = create()
    r = _step(api, world.partner_lead, req, "push_back", {"reason": "mood", "text": "no"})
    assert r.status_code == 422
    r = _step(api, world.partner_lead, req, "push_back", {"reason": "cost", "text": ""})
    assert r.status_code == 422
    r = _step(
        api, world.partner_lead, req, "propose_alternative", {"structure": "C1CC", "text": "x"}
    )
    assert r.status_code == 422 and "structure" in r.json()["errors"]
    assert CompoundRequest.objects.get().state == "proposed"


def test_abandon_needs_a_reason(api, world, create):
    _, req = create()
    r = _step(api, world.sponsor_lead, req, "abandon", {"reason": ""})
    assert r.status_code == 422
    r = _step(api, world.sponsor_lead, req, "abandon", {"reason": "Series dropped."})
    assert r.json()["state"] == "abandoned" and r.json()["abandon_reason"] == "Series dropped."


def test_board_filters_through_the_api(api, world, create):
    from cobench.tenancy import services as tenancy

    tenancy.add_partner(
        actor=world.sponsor_lead,
        project=world.project,
        organization=world.other_partner,
        start_date=world.project.partners.get().start_date,
    )
    _, a = create(priority="urgent", due_date="2099-01-01")
    _, b = create(priority="low", due_date="2099-06-01", partner_id=str(world.other_partner.id))
    _, c = create(priority="low", due_date=None)
    _step(api, world.partner_lead, a, "accept")
    base = f"/api/v1/projects/{world.project.id}/requests"
    alice = api(world.sponsor_lead)

    def numbers(query):
        r = alice.get(f"{base}?{query}")
        assert r.status_code == 200, r.content
        return sorted(x["number"] for x in r.json()["items"])

    assert numbers("") == [1, 2, 3]
    assert numbers("state=accepted") == [1]
    assert numbers("state=proposed") == [2, 3]
    assert numbers(f"partner={world.other_partner.id}") == [2]
    assert numbers("priority=low") == [2, 3]
    assert numbers("due_before=2099-03-01") == [1]
    assert numbers("overdue=true") == []
    assert alice.get(f"{base}?state=nonsense").status_code == 422
    assert alice.get(f"{base}?due_before=tomorrow").status_code == 422


def test_overdue_requests_are_flagged(api, world, create):
    from datetime import timedelta

    from django.utils import timezone

    _, req = create(due_date=(timezone.localdate() + timedelta(days=1)).isoformat())
    CompoundRequest.objects.filter(pk=req["id"]).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    r = api(world.sponsor_lead).get(f"/api/v1/requests/{req['id']}")
    assert r.json()["overdue"] is True
    items = (
        api(world.sponsor_lead)
        .get(f"/api/v1/projects/{world.project.id}/requests?overdue=true")
        .json()["items"]
    )
    assert [x["id"] for x in items] == [req["id"]]


def test_request_body_helper_is_valid(world):
    assert request_body(world)["partner_id"] == str(world.partner.id)
