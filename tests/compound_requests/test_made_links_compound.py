"""A made request is linked to its registered compound: chosen by registry id (page or API),
by compound id (API), or registered there and then; bad and foreign ids change nothing."""

import pytest

from cobench.audit.models import AuditEvent
from cobench.compound_requests.models import CompoundRequest
from cobench.compounds import services as registry
from cobench.compounds.models import Lot

from .conftest import OLOMOUCINE_LIKE


@pytest.fixture
def registered(world):
    """OLOMOUCINE_LIKE registered in CDK2 by Northbridge (CB-000001)."""
    return registry.register_structure(
        actor=world.partner_scientist, project=world.project, structure=OLOMOUCINE_LIKE
    ).compound


def _made(api, user, request, **body):
    return api(user).post(
        f"/api/v1/requests/{request.id}/mark-made", {"version": request.version, **body}
    )


def test_partner_links_the_compound_by_registry_id_and_everyone_sees_it(
    api, web, world, in_synthesis, registered
):
    r = _made(api, world.partner_scientist, in_synthesis, registry_id="cb-000001", note="80 mg")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "made" and body["registry_id"] == "CB-000001"
    assert body["compound_id"] == str(registered.id) and body["registry_ref"] == ""
    linked = AuditEvent.objects.get(event="compound_request.compound_linked")
    assert linked.target_id == str(in_synthesis.id)
    assert linked.changes == {"compound": [None, "CB-000001"]}
    assert "Made as CB-000001." in in_synthesis.messages.order_by("-seq").first().text
    client = web(world.sponsor_scientist)
    page = client.get(f"/projects/{world.project.id}/requests/{in_synthesis.id}/").content.decode()
    compound_url = f"/projects/{world.project.id}/compounds/{registered.id}/"
    assert 'id="made-as"' in page and compound_url in page and "<svg" in page
    board = client.get(f"/projects/{world.project.id}/requests/").content.decode()
    assert 'class="req-made"' in board and compound_url in board


def test_partner_registers_the_requested_structure_while_marking_it_made(api, world, in_synthesis):
    r = _made(api, world.partner_lead, in_synthesis, register_now=True, purity="97.5", amount="40")
    assert r.status_code == 200, r.content
    lot = Lot.objects.get()
    assert r.json()["compound_id"] == str(lot.compound_id)
    assert lot.purity == 97.5 and lot.amount == 40 and lot.producer == world.partner
    assert lot.compound.smiles == in_synthesis.smiles
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"compound.registered", "lot.registered", "compound_request.compound_linked"} <= events
    assert f"lot {lot.lot_number}" in in_synthesis.messages.order_by("-seq").first().text


def test_the_partner_page_offers_the_projects_registry_ids_and_links_one(
    web, world, in_synthesis, registered
):
    client = web(world.partner_scientist)
    url = f"/projects/{world.project.id}/requests/{in_synthesis.id}/"
    page = client.get(url).content.decode()
    assert '<datalist id="project-compounds">' in page and 'value="CB-000001"' in page
    r = client.post(
        url,
        {
            "action": "mark_made",
            "mark_made-version": in_synthesis.version,
            "mark_made-registry_id": "CB-000001",
            "mark_made-amount_unit": "mg",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert CompoundRequest.objects.get().compound == registered


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "Say which registered compound it is"),
        ({"registry_id": "CB-000001", "register_now": True}, "one of the two"),
        ({"registry_id": "CB-999999"}, "No compound CB-999999 is registered in"),
        ({"registry_id": "CB-000001\x00"}, "NUL"),
        ({"registry_id": "CB-000001", "purity": "99"}, "Purity and amount describe a new lot"),
    ],
)
def test_a_missing_unknown_or_ambiguous_compound_changes_nothing(
    api, world, in_synthesis, registered, body, words
):
    r = _made(api, world.partner_scientist, in_synthesis, **body)
    assert r.status_code == 422, r.content
    assert words.lower() in r.content.decode().lower()
    assert CompoundRequest.objects.get().state == "in_synthesis"
    assert not AuditEvent.objects.filter(event="compound_request.made").exists()


def test_the_page_says_why_a_registry_id_is_refused(web, world, in_synthesis):
    url = f"/projects/{world.project.id}/requests/{in_synthesis.id}/"
    r = web(world.partner_scientist).post(
        url,
        {
            "action": "mark_made",
            "mark_made-version": in_synthesis.version,
            "mark_made-registry_id": "CB-424242",
            "mark_made-amount_unit": "mg",
        },
    )
    assert r.status_code == 422 and "No compound CB-424242 is registered in" in r.content.decode()


def test_another_projects_compound_is_not_found(api, world, in_synthesis):
    # the same sponsor's registry, but registered in KRAS only: CDK2's people cannot see it
    kras = registry.register_structure(
        actor=world.other_lead, project=world.other_project, structure="CCOc1ccccc1N"
    ).compound
    r = _made(api, world.partner_scientist, in_synthesis, compound_id=str(kras.id))
    assert r.status_code == 404
    r = _made(api, world.partner_scientist, in_synthesis, registry_id=kras.registry_id)
    assert r.status_code == 422 and "is registered in" in r.json()["detail"] + str(r.json())
    r = _made(
        api,
        world.partner_scientist,
        in_synthesis,
        compound_id="00000000-0000-0000-0000-000000000000",
    )
    assert r.status_code == 404
    assert CompoundRequest.objects.get().compound is None


def test_requests_made_before_links_keep_their_free_text_reference(api, web, world, in_synthesis):
    CompoundRequest.objects.filter(pk=in_synthesis.pk).update(
        state="made", registry_ref="CB-000101 lot 1"
    )
    body = api(world.sponsor_lead).get(f"/api/v1/requests/{in_synthesis.id}").json()
    assert body["registry_ref"] == "CB-000101 lot 1" and body["compound_id"] is None
    page = web(world.sponsor_lead).get(f"/projects/{world.project.id}/requests/{in_synthesis.id}/")
    assert (
        'id="registry-ref"' in page.content.decode() and "CB-000101 lot 1" in page.content.decode()
    )
