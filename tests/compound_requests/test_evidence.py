"""The data behind a request: the sponsor names compounds of the project whose assay values
back the rationale; the request shows them as each viewer may see them."""

import pytest

from cobench.audit.models import AuditEvent
from cobench.compounds import services as compounds

from ..compounds.objects import ROSCOVITINE, register
from .conftest import request_body

ISATIN = "O=C1Nc2ccccc2C1=O"


@pytest.fixture
def backing(world):
    return [register(world).compound, register(world, ISATIN).compound]


def _ids(compounds):
    return [c.registry_id for c in compounds]


def test_sponsor_names_the_compounds_behind_a_new_request(api, world, backing):
    body = request_body(world, evidence=[c.registry_id.lower() for c in reversed(backing)])
    r = api(world.sponsor_lead).post(f"/api/v1/projects/{world.project.id}/requests", body)
    assert r.status_code == 201, r.content
    assert [e["registry_id"] for e in r.json()["evidence"]] == _ids(backing)
    event = AuditEvent.objects.get(event="compound_request.created", target_id=r.json()["id"])
    assert event.changes["evidence"] == [None, _ids(backing)]


def test_sponsor_changes_the_compounds_behind_a_request(api, world, backing, create):
    _, req = create()
    client = api(world.sponsor_scientist)
    path = f"/api/v1/requests/{req['id']}/evidence"
    r = client.put(path, {"evidence": _ids(backing), "version": req["version"]})
    assert r.status_code == 200, r.content
    assert r.json()["version"] == req["version"] + 1
    r = client.put(path, {"evidence": _ids(backing[1:]), "version": r.json()["version"]})
    assert [e["registry_id"] for e in r.json()["evidence"]] == _ids(backing[1:])
    changes = AuditEvent.objects.filter(
        event="compound_request.evidence_changed", target_id=req["id"]
    ).values_list("changes", flat=True)
    assert list(changes) == [
        {"evidence": [[], _ids(backing)]},
        {"evidence": [_ids(backing), _ids(backing[1:])]},
    ]


def test_a_stale_version_changes_nothing(api, world, backing, create):
    _, req = create()
    path = f"/api/v1/requests/{req['id']}/evidence"
    api(world.sponsor_lead).put(path, {"evidence": _ids(backing), "version": req["version"]})
    r = api(world.sponsor_lead).put(path, {"evidence": [], "version": req["version"]})
    assert r.status_code == 412


def test_partners_may_not_name_the_data_behind_a_request(api, world, backing, create):
    _, req = create()
    r = api(world.partner_lead).put(
        f"/api/v1/requests/{req['id']}/evidence", {"evidence": _ids(backing), "version": 1}
    )
    assert r.status_code == 403


@pytest.mark.parametrize(
    "given, says",
    [
        (["CB-999999"], "Not registered in PRJ-CDK2: CB-999999"),
        (["CB-\x00"], "NUL"),
        ([f"CB-{i:06d}" for i in range(51)], "at most 50"),
    ],
)
def test_unknown_or_malformed_registry_ids_are_refused(api, world, create, given, says):
    _, req = create()
    r = api(world.sponsor_lead).put(
        f"/api/v1/requests/{req['id']}/evidence", {"evidence": given, "version": 1}
    )
    assert r.status_code == 422
    assert says.lower() in r.content.decode().lower()
    assert not AuditEvent.objects.filter(event="compound_request.evidence_changed").exists()


def test_another_projects_compound_is_not_found(api, world, create):
    _, req = create()
    kras = compounds.register_structure(
        actor=world.other_lead, project=world.other_project, structure=ISATIN
    ).compound
    r = api(world.sponsor_lead).put(
        f"/api/v1/requests/{req['id']}/evidence", {"evidence": [kras.registry_id], "version": 1}
    )
    assert r.status_code == 422
    assert ISATIN not in r.content.decode() and "Not registered in PRJ-CDK2" in r.content.decode()


def test_the_request_page_shows_the_compounds_behind_it(web, world, backing):
    page = web(world.sponsor_lead)
    r = page.post(
        f"/projects/{world.project.id}/requests/new/",
        {
            **request_body(world, evidence=f"{backing[0].registry_id}, {backing[1].registry_id}"),
            "partner": str(world.partner.id),
        },
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    detail = web(world.partner_scientist).get(r["Location"]).content.decode()
    for compound in backing:
        assert f'id="evidence-{compound.registry_id}"' in detail
    assert "Change the compounds behind it" not in detail


def test_the_sponsor_changes_them_on_the_page(web, world, backing, create):
    _, req = create()
    page = web(world.sponsor_lead)
    url = f"/projects/{world.project.id}/requests/{req['id']}/"
    assert "Change the compounds behind it" in page.get(url).content.decode()
    r = page.post(
        url,
        {"action": "evidence", "evidence-evidence": "CB-424242", "evidence-version": 1},
    )
    assert r.status_code == 422 and "Not registered in PRJ-CDK2: CB-424242" in r.content.decode()
    r = page.post(
        url,
        {
            "action": "evidence",
            "evidence-evidence": backing[0].registry_id,
            "evidence-version": 1,
        },
    )
    assert r.status_code == 302
    assert f'id="evidence-{backing[0].registry_id}"' in page.get(url).content.decode()


def test_roscovitine_is_registered(backing):
    assert backing[0].smiles.count("N") == ROSCOVITINE.count("N")


def test_each_viewer_sees_the_values_behind_a_request_as_shared(api, web, world):
    from ..assays.sharing_objects import cdk2_biology, share

    bio = cdk2_biology(world)
    share(world, bio.potency, "binned")
    body = request_body(world, evidence=[bio.compounds[0].registry_id])
    r = api(world.sponsor_lead).post(f"/api/v1/projects/{world.project.id}/requests", body)
    url = f"/projects/{world.project.id}/requests/{r.json()['id']}/"
    sponsor = web(world.sponsor_scientist).get(url).content.decode()
    assert "136 nM (n=2)" in sponsor and "Kinetic solubility" in sponsor
    partner = web(world.partner_scientist).get(url).content.decode()
    assert "100 nM – 1 µM" in partner
    assert "136 nM" not in partner and "123.4" not in partner
    assert "Kinetic solubility" not in partner and "80 µM" not in partner


def test_the_api_gives_the_values_behind_a_request_as_shared(api, world):
    from ..assays.sharing_objects import cdk2_biology, share

    bio = cdk2_biology(world)
    share(world, bio.potency, "binned")
    body = request_body(world, evidence=[c.registry_id for c in bio.compounds])
    r = api(world.sponsor_lead).post(f"/api/v1/projects/{world.project.id}/requests", body)
    path = f"/api/v1/requests/{r.json()['id']}/evidence"
    sponsor = api(world.sponsor_lead).get(path).json()
    assert sponsor[0]["values"][0] | {"text": "136 nM (n=2)", "n": 2} == sponsor[0]["values"][0]
    assert {v["assay"] for v in sponsor[0]["values"]} == {"CDK2 IC50", "Kinetic solubility"}
    partner = api(world.partner_lead).get(path)
    assert partner.json()[0]["values"] == [
        {
            "assay_id": str(bio.potency.id),
            "assay": "CDK2 IC50",
            "shown_as": "binned",
            "text": "100 nM – 1 µM",
            "value": None,
            "n": None,
        }
    ]
    assert "123.4" not in partner.content.decode() and "136 nM" not in partner.content.decode()
