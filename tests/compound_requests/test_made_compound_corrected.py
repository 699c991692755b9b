"""A made request linked to the wrong compound is linked to the right one, by either side,
with a reason; the thread and the audit trail keep the old link. Bad, foreign and
someone else's ids change nothing."""

import pytest

from cobench.audit.models import AuditEvent
from cobench.compound_requests import services
from cobench.compound_requests.models import CompoundRequest
from cobench.compounds import services as registry

from .conftest import OLOMOUCINE_LIKE

OTHER = "Nc1nc(Nc2ccc(F)cc2)c2nc[nH]c2n1"


@pytest.fixture
def made(world, in_synthesis):
    """Request #1, made at Northbridge as CB-000001 (OLOMOUCINE_LIKE); CB-000002 is OTHER."""
    for structure in (OLOMOUCINE_LIKE, OTHER):
        registry.register_structure(
            actor=world.partner_scientist, project=world.project, structure=structure
        )
    return services.mark_made(
        actor=world.partner_scientist, request=in_synthesis, registry_id="CB-000001"
    )


def _correct(api, user, request, **body):
    return api(user).put(
        f"/api/v1/requests/{request.id}/made-compound", {"version": request.version, **body}
    )


def test_the_partner_corrects_the_link_and_the_old_one_is_kept(api, world, made):
    r = _correct(
        api, world.partner_scientist, made, registry_id="cb-000002", reason="Vials swapped"
    )
    assert r.status_code == 200, r.content
    assert r.json()["registry_id"] == "CB-000002" and r.json()["state"] == "made"
    event = AuditEvent.objects.filter(event="compound_request.compound_linked").last()
    assert event.changes == {"compound": ["CB-000001", "CB-000002"]}
    assert event.reason == "Vials swapped"
    last = made.messages.order_by("-seq").first()
    assert last.text == "Made as CB-000002, not CB-000001: Vials swapped"
    thread = api(world.sponsor_lead).get(f"/api/v1/requests/{made.id}/messages").json()
    assert "not CB-000001" in thread["items"][-1]["text"]


def test_the_sponsor_corrects_it_on_the_page_after_receiving_it(web, world, made):
    services.mark_shipped(actor=world.partner_lead, request=made)
    received = services.mark_received(actor=world.sponsor_scientist, request=made)
    client = web(world.sponsor_scientist)
    url = f"/projects/{world.project.id}/requests/{made.id}/"
    page = client.get(url).content.decode()
    assert 'id="step-made_compound"' in page and 'value="CB-000002"' in page
    refused = client.post(
        url,
        {
            "action": "made_compound",
            "made_compound-version": received.version,
            "made_compound-registry_id": "CB-424242",
            "made_compound-reason": "NMR says so",
        },
    )
    assert refused.status_code == 422
    assert "No compound CB-424242 is registered in" in refused.content.decode()
    r = client.post(
        url,
        {
            "action": "made_compound",
            "made_compound-version": received.version,
            "made_compound-registry_id": "CB-000002",
            "made_compound-reason": "NMR says so",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert CompoundRequest.objects.get().compound.registry_id == "CB-000002"
    assert "CB-000002" in client.get(url).content.decode().split('id="made-as"')[1][:400]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"registry_id": "CB-000002"}, "reason", ""),
        ({"registry_id": "CB-000002", "reason": "   "}, "reason", "Required"),
        ({"reason": "Swapped"}, "registry_id", "Which compound"),
        ({"registry_id": "CB-999999", "reason": "Swapped"}, "registry_id", "No compound"),
        ({"registry_id": "CB-000001", "reason": "Swapped"}, "registry_id", "already"),
        ({"registry_id": "CB-000002\x00", "reason": "Swapped"}, "registry_id", "NUL"),
        ({"registry_id": "CB-000002", "reason": "x" * 3000}, "reason", ""),
        ({"registry_id": 12, "reason": "Swapped"}, "registry_id", ""),
    ],
)
def test_bad_input_is_a_field_error_and_changes_nothing(api, world, made, body, field, words):
    r = _correct(api, world.partner_scientist, made, **body)
    assert r.status_code == 422, r.content
    assert field in r.content.decode() and words in r.content.decode()
    assert CompoundRequest.objects.get().compound.registry_id == "CB-000001"


def test_someone_elses_ids_are_not_found_and_strangers_may_not(api, world, made):
    kras = registry.register_structure(
        actor=world.other_lead, project=world.other_project, structure="CCOc1ccccc1N"
    ).compound
    body = {"compound_id": str(kras.id), "reason": "Swapped"}
    assert _correct(api, world.partner_scientist, made, **body).status_code == 404
    body = {"registry_id": kras.registry_id, "reason": "Swapped"}
    assert _correct(api, world.partner_scientist, made, **body).status_code == 422
    body = {"registry_id": "CB-000002", "reason": "Swapped"}
    assert _correct(api, world.outsider, made, **body).status_code == 404
    assert _correct(api, world.other_member, made, **body).status_code == 404
    assert _correct(api, world.auditor, made, **body).status_code == 403
    stale = api(world.partner_scientist).put(
        f"/api/v1/requests/{made.id}/made-compound", {"version": 1, **body}
    )
    assert stale.status_code == 412
    assert CompoundRequest.objects.get().compound.registry_id == "CB-000001"


def test_a_request_not_yet_made_has_nothing_to_correct(api, web, world, in_synthesis):
    registry.register_structure(
        actor=world.partner_scientist, project=world.project, structure=OTHER
    )
    r = _correct(api, world.partner_lead, in_synthesis, registry_id="CB-000001", reason="Swap")
    assert r.status_code == 409 and "not made yet" in r.json()["detail"]
    page = f"/projects/{world.project.id}/requests/{in_synthesis.id}/"
    assert 'id="step-made_compound"' not in web(world.partner_lead).get(page).content.decode()
