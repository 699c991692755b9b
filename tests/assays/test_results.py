"""Assays and results through the API: units converted, bad values refused per field, flags."""

from cobench.assays.models import Result
from cobench.audit.models import AuditEvent

from ..compounds.objects import register
from .objects import new_assay, new_result


def _record(api, user, assay, **body):
    return api(user).post(f"/api/v1/assays/{assay.id}/results", body)


def test_sponsor_defines_an_assay_and_the_partner_may_not(api, world):
    body = {
        "name": "CDK2 IC50",
        "kind": "biochemical",
        "endpoint": "IC50",
        "unit": "nM",
        "better": "lower",
    }
    created = api(world.sponsor_scientist).post(f"/api/v1/projects/{world.project.id}/assays", body)
    assert created.status_code == 201, created.json()
    assert created.json()["owner"]["name"] == "Helix Bio"
    again = api(world.sponsor_lead).post(f"/api/v1/projects/{world.project.id}/assays", body)
    assert again.status_code == 422 and "name" in again.json()["errors"]
    refused = api(world.partner_lead).post(
        f"/api/v1/projects/{world.project.id}/assays", {**body, "name": "Mine"}
    )
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(event="assay.created").count() == 1


def test_assay_units_are_checked(api, world):
    url = f"/api/v1/projects/{world.project.id}/assays"
    base = {"name": "X", "kind": "biochemical", "endpoint": "IC50", "better": "lower"}
    for unit in ("furlongs", "µg/mL", "nm"):  # unknown, not molar, nanometres
        response = api(world.sponsor_lead).post(url, {**base, "unit": unit})
        assert response.status_code == 422 and "unit" in response.json()["errors"], unit
    ok = api(world.sponsor_lead).post(url, {**base, "unit": "µM"})
    assert ok.status_code == 201


def test_values_are_converted_to_the_assay_unit(api, world):
    assay = new_assay(world)
    compound = register(world).compound
    response = _record(
        api,
        world.sponsor_scientist,
        assay,
        registry_id=compound.registry_id,
        value="<0.5",
        unit="µM",
        run_date="2026-03-02",
        experiment_id="E1",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["qualifier"], body["value"], body["unit"]) == ("<", 500.0, "nM")
    assert (body["entered_value"], body["entered_unit"]) == ("<0.5", "µM")
    event = AuditEvent.objects.get(event="result.recorded")
    assert event.changes["value"] == [None, 500.0]


def test_bad_values_and_units_are_per_field_errors(api, world):
    assay = new_assay(world)
    rid = register(world).compound.registry_id
    cases = [
        ({"value": "twelve"}, "value"),
        ({"value": "12", "unit": "µg/mL"}, "unit"),
        ({"value": "12", "unit": "zorkmids"}, "unit"),
        ({"value": "-3"}, "value"),
        ({"value": "<5", "qualifier": ">"}, "value"),
        ({"value": "nan"}, "value"),
        ({"value": "1e999"}, "value"),
        ({"value": "12", "run_date": "2999-01-01"}, "run_date"),
    ]
    for body, field in cases:
        response = _record(api, world.sponsor_scientist, assay, registry_id=rid, **body)
        assert response.status_code == 422, (body, response.json())
        assert field in response.json()["errors"], (body, response.json())
    assert not Result.objects.exists()


def test_compound_of_another_project_is_refused(api, world):
    from cobench.compounds import services as compounds

    other = compounds.register_structure(
        actor=world.other_lead, project=world.other_project, structure="c1ccccc1O"
    )
    assay = new_assay(world)
    for body, field in [
        ({"registry_id": other.compound.registry_id}, "compound"),
        ({"lot_number": other.lot.lot_number}, "lot"),
        ({"registry_id": "CB-999999"}, "compound"),
    ]:
        response = _record(api, world.sponsor_scientist, assay, value="3", **body)
        assert response.status_code == 422 and field in response.json()["errors"], body


def test_only_the_owner_organization_records(api, world):
    assay = new_assay(world)
    rid = register(world).compound.registry_id
    # 403 while the partner sees the assay; 404 once sharing hides it from them
    response = _record(api, world.partner_lead, assay, registry_id=rid, value="3")
    assert response.status_code in (403, 404)
    auditor = _record(api, world.auditor, assay, registry_id=rid, value="3")
    assert auditor.status_code == 403
    outsider = _record(api, world.outsider, assay, registry_id=rid, value="3")
    assert outsider.status_code == 404


def test_a_lot_names_its_compound(api, world):
    assay = new_assay(world)
    registration = register(world)
    response = _record(
        api, world.sponsor_scientist, assay, lot_number=registration.lot.lot_number, value=7
    )
    assert response.status_code == 201
    assert response.json()["registry_id"] == registration.compound.registry_id
    assert response.json()["lot_id"] == str(registration.lot.id)


def test_flagging_is_a_change_with_a_reason_never_a_delete(api, world):
    first = new_result(world, value="10")
    rid = first.compound.registry_id
    new_result(world, first.assay, value="1000", registry_id=rid)
    url = f"/api/v1/results/{first.id}/flag"
    no_reason = api(world.sponsor_lead).post(url, {"flag": "invalid", "reason": " "})
    assert no_reason.status_code == 422
    flagged = api(world.sponsor_lead).post(url, {"flag": "invalid", "reason": "Precipitated"})
    assert flagged.status_code == 200 and flagged.json()["flag"] == "invalid"
    aggregates = api(world.sponsor_lead).get(f"/api/v1/assays/{first.assay_id}/aggregates")
    # the invalid 10 nM is left out: 1000 nM alone
    assert aggregates.json()[0]["text"] == "1000 nM (n=1)"
    lifted = api(world.sponsor_lead).post(url, {"flag": "", "reason": "Re-read the plate"})
    assert lifted.status_code == 200 and lifted.json()["version"] == 3
    aggregates = api(world.sponsor_lead).get(f"/api/v1/assays/{first.assay_id}/aggregates")
    # sqrt(10 * 1000) = 100 nM; pIC50 7
    assert aggregates.json()[0]["text"] == "100 nM (n=2)"
    assert aggregates.json()[0]["p_value"] == 7.0
    events = AuditEvent.objects.filter(event="result.flagged").order_by("seq")
    assert [e.changes["flag"] for e in events] == [["", "invalid"], ["invalid", ""]]
    assert [e.reason for e in events] == ["Precipitated", "Re-read the plate"]
    assert Result.objects.count() == 2


def test_unit_is_fixed_once_results_exist(api, world):
    result = new_result(world)
    response = api(world.sponsor_lead).patch(
        f"/api/v1/assays/{result.assay_id}", {"unit": "µM", "version": 1}
    )
    assert response.status_code == 409
    renamed = api(world.sponsor_lead).patch(
        f"/api/v1/assays/{result.assay_id}", {"name": "CDK2/CycE IC50", "version": 1}
    )
    assert renamed.status_code == 200 and renamed.json()["version"] == 2
