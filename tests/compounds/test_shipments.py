"""A lot's chain of custody: sent on from where it is, received by the side it went to."""

from cobench.audit.models import AuditEvent

from .objects import register


def _ship(api, user, lot, to, **extra):
    body = {"to_organization_id": str(to.id), "carrier": "World Courier", **extra}
    return api(user).post(f"/api/v1/lots/{lot.id}/shipments", body)


def _receive(api, user, shipment_id, **body):
    return api(user).post(f"/api/v1/shipments/{shipment_id}/receive", body or {"condition": "good"})


def test_a_lot_travels_from_partner_to_sponsor_and_back_in_order(api, world):
    lot = register(world).lot
    first = _ship(api, world.partner_lead, lot, world.sponsor, tracking_number="1Z999")
    assert first.status_code == 201, first.json()
    assert first.json()["from_org"]["name"] == "Northbridge Chemistry"
    # not received yet: it cannot be sent on, and only the sponsor's people receive it
    assert _ship(api, world.partner_lead, lot, world.sponsor).status_code == 409
    assert _receive(api, world.partner_lead, first.json()["id"]).status_code == 403
    r = _receive(api, world.sponsor_scientist, first.json()["id"], condition="damaged")
    assert r.status_code == 422 and "condition_notes" in str(r.json())
    r = _receive(
        api,
        world.sponsor_scientist,
        first.json()["id"],
        condition="damaged",
        condition_notes="Box crushed, vial intact",
    )
    assert r.status_code == 200 and r.json()["condition"] == "damaged" and r.json()["received_at"]
    assert _receive(api, world.sponsor_scientist, first.json()["id"]).status_code == 409
    # now the sponsor holds it: the partner may not send it, the sponsor may
    assert _ship(api, world.partner_lead, lot, world.sponsor).status_code == 403
    back = _ship(api, world.sponsor_lead, lot, world.partner)
    assert back.status_code == 201
    detail = api(world.auditor).get(f"/api/v1/lots/{lot.id}").json()
    assert [s["number"] for s in detail["shipments"]] == [1, 2]
    assert detail["held_by"]["name"] == "Helix Bio"  # the sender answers for it in transit
    assert AuditEvent.objects.filter(event="shipment.sent").count() == 2
    assert AuditEvent.objects.filter(event="shipment.received").count() == 1


def test_shipments_go_only_to_the_projects_organizations(api, world):
    lot = register(world).lot
    r = _ship(api, world.partner_lead, lot, world.outsider_org)
    assert r.status_code == 422 and "to_org" in str(r.json())
    assert _ship(api, world.partner_lead, lot, world.partner).status_code == 422
    r = _ship(api, world.partner_lead, lot, world.sponsor, carrier="")
    assert r.status_code == 422
    r = _ship(api, world.partner_lead, lot, world.sponsor, sent_at="2999-01-01T00:00:00Z")
    assert r.status_code == 422


def test_receipt_cannot_predate_sending(api, world):
    lot = register(world).lot
    sent = _ship(api, world.partner_lead, lot, world.sponsor).json()
    r = _receive(
        api, world.sponsor_lead, sent["id"], condition="good", received_at="2000-01-01T00:00:00Z"
    )
    assert r.status_code == 422


def test_auditors_and_outsiders_do_not_ship(api, world):
    lot = register(world).lot
    assert _ship(api, world.auditor, lot, world.sponsor).status_code == 403
    assert _ship(api, world.outsider, lot, world.sponsor).status_code == 404
    assert _ship(api, world.other_member, lot, world.sponsor).status_code == 404
