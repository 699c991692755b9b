"""The charter through the API: versions, comparison, concurrency and signatures."""

import pytest

from cobench.charters.models import CharterVersion


def url(world, tail=""):
    return f"/api/v1/projects/{world.project.id}/charter{tail}"


@pytest.fixture
def v1(world, api):
    r = api(world.sponsor_lead).post(
        url(world, "/versions"),
        {"content": world.charter(), "reason": "Kickoff agreed", "base_version": 0},
    )
    assert r.status_code == 201, r.content
    return r.json()


def test_sponsor_lead_writes_the_first_version_and_it_answers_everything(world, v1):
    assert v1["number"] == 1 and v1["state"] == "draft"
    assert v1["gaps"] == []
    assert v1["awaiting_signature_from"] == ["Helix Bio", "Northbridge Chemistry"]


def test_an_empty_charter_lists_what_it_does_not_answer(world, api):
    r = api(world.partner_lead).post(
        url(world, "/versions"), {"content": {}, "reason": "Start", "base_version": 0}
    )
    gaps = r.json()["gaps"]
    assert "No partner lead named in the team." in gaps
    assert "No escalation ladder." in gaps and "No decision points." in gaps


def test_editing_makes_a_new_version_and_compare_shows_the_fields(world, api, v1):
    content = world.charter(attempt_cap_per_compound=3, meeting_cadence="biweekly")
    r = api(world.partner_lead).post(
        url(world, "/versions"), {"content": content, "reason": "Tighter cap", "base_version": 1}
    )
    assert r.status_code == 201 and r.json()["number"] == 2 and r["ETag"] == '"2"'
    r = api(world.sponsor_scientist).get(
        f"/api/v1/charter-versions/{v1['id']}/compare/{r.json()['id']}"
    )
    assert r.status_code == 200
    assert {d["field"]: [d["old"], d["new"]] for d in r.json()["differences"]} == {
        "meeting_cadence": ["weekly", "biweekly"],
        "attempt_cap_per_compound": [5, 3],
    }


def test_a_reason_is_required(world, api, v1):
    r = api(world.sponsor_lead).post(
        url(world, "/versions"),
        {"content": world.charter(methods="x"), "reason": "", "base_version": 1},
    )
    assert r.status_code == 422 and "reason" in r.json()["errors"]
    assert r["Content-Type"] == "application/problem+json"


def test_two_people_editing_the_draft_at_once_the_second_gets_412(world, api, v1):
    alice, paula = api(world.sponsor_lead), api(world.partner_lead)
    etag = alice.get(url(world))["ETag"]
    assert paula.get(url(world))["ETag"] == etag == '"1"'
    first = alice.post(
        url(world, "/versions"),
        {"content": world.charter(methods="A"), "reason": "Alice"},
        headers={"If-Match": etag},
    )
    second = paula.post(
        url(world, "/versions"),
        {"content": world.charter(methods="P"), "reason": "Paula"},
        headers={"If-Match": etag},
    )
    assert first.status_code == 201
    assert second.status_code == 412
    assert "current one is 2" in second.json()["detail"]
    assert CharterVersion.objects.filter(project=world.project).count() == 2


def test_an_edit_without_a_base_version_is_refused(world, api, v1):
    r = api(world.sponsor_lead).post(
        url(world, "/versions"), {"content": world.charter(methods="x"), "reason": "r"}
    )
    assert r.status_code == 428


def test_invalid_content_names_each_field(world, api, v1):
    bad = world.charter(
        status_update_cadence_days="often",
        end_date="2020-01-01",
        sites=[{"name": "Lab", "facility_type": "garage"}],
    )
    r = api(world.sponsor_lead).post(
        url(world, "/versions"), {"content": bad, "reason": "r", "base_version": 1}
    )
    assert r.status_code == 422
    fields = r.json()["errors"]
    assert "content.status_update_cadence_days" in fields
    assert "content.sites.0.facility_type" in fields


def test_overlong_text_is_refused(world, api, v1):
    r = api(world.sponsor_lead).post(
        url(world, "/versions"),
        {"content": world.charter(methods="x" * 20_001), "reason": "r", "base_version": 1},
    )
    assert r.status_code == 422 and "content.methods" in r.json()["errors"]


def test_scientists_and_auditors_cannot_write_the_charter(world, api, v1):
    for user in (world.sponsor_scientist, world.partner_scientist, world.auditor, world.executive):
        r = api(user).post(
            url(world, "/versions"),
            {"content": world.charter(methods="x"), "reason": "r", "base_version": 1},
        )
        assert r.status_code == 403, user
    assert CharterVersion.objects.count() == 1


def sign(api, user, version_id, password, meaning="Approved"):
    return api(user).post(
        f"/api/v1/charter-versions/{version_id}/sign", {"password": password, "meaning": meaning}
    )


def test_both_leads_sign_and_the_version_is_signed(world, api, v1):
    r = sign(api, world.sponsor_lead, v1["id"], world.password, "Approved as sponsor lead")
    assert r.status_code == 201 and r.json()["state"] == "partly signed"
    r = sign(api, world.partner_lead, v1["id"], world.password, "Approved as partner lead")
    body = r.json()
    assert body["state"] == "signed" and body["signed_at"]
    assert [(s["signer_name"], s["meaning"]) for s in body["signatures"]] == [
        ("Alice Tester", "Approved as sponsor lead"),
        ("Paula Tester", "Approved as partner lead"),
    ]


def test_a_wrong_password_signs_nothing(world, api, v1):
    r = sign(api, world.sponsor_lead, v1["id"], "not my password")
    assert r.status_code == 403 and "password" in r.json()["errors"]
    assert api(world.sponsor_lead).get(url(world)).json()["signatures"] == []


def test_signing_twice_is_refused(world, api, v1):
    sign(api, world.sponsor_lead, v1["id"], world.password)
    r = sign(api, world.sponsor_lead, v1["id"], world.password)
    assert r.status_code == 409 and "already signed" in r.json()["detail"]


def test_only_leads_sign(world, api, v1):
    assert sign(api, world.partner_scientist, v1["id"], world.password).status_code == 403
    assert sign(api, world.auditor, v1["id"], world.password).status_code == 403


def test_a_superseded_version_cannot_be_signed(world, api, v1):
    api(world.sponsor_lead).post(
        url(world, "/versions"),
        {"content": world.charter(methods="new"), "reason": "r", "base_version": 1},
    )
    r = sign(api, world.sponsor_lead, v1["id"], world.password)
    assert r.status_code == 409 and "superseded" in r.json()["detail"]


def test_a_signed_version_cannot_be_changed_by_any_route(world, api, v1, client):
    sign(api, world.sponsor_lead, v1["id"], world.password)
    sign(api, world.partner_lead, v1["id"], world.password)
    before = CharterVersion.objects.get(pk=v1["id"])
    alice = api(world.sponsor_lead)
    path = f"/api/v1/charter-versions/{v1['id']}"
    for method in ("put", "patch", "delete", "post"):
        assert getattr(alice, method)(path).status_code == 405
    assert sign(api, world.partner_lead, v1["id"], world.password).status_code == 409
    after = CharterVersion.objects.get(pk=v1["id"])
    assert (after.content, after.signed_at, after.reason) == (
        before.content,
        before.signed_at,
        before.reason,
    )
    # amending means a new version; v1 stays as it was signed
    r = alice.post(
        url(world, "/versions"),
        {"content": world.charter(methods="amended"), "reason": "Amendment", "base_version": 1},
    )
    assert r.status_code == 201 and r.json()["state"] == "draft"
    assert CharterVersion.objects.get(pk=v1["id"]).content == before.content


def test_versions_of_two_projects_do_not_compare(world, api, v1):
    from cobench.charters.services import revise_charter

    kras = revise_charter(
        actor=world.other_lead,
        project=world.other_project,
        content=world.charter(),
        reason="KRAS kickoff",
        base_number=0,
    )
    r = api(world.sponsor_lead).get(f"/api/v1/charter-versions/{v1['id']}/compare/{kras.id}")
    assert r.status_code == 404  # alice is not on KRAS
    r = api(world.other_lead).get(f"/api/v1/charter-versions/{kras.id}/compare/{v1['id']}")
    assert r.status_code == 404  # nor kim on CDK2


def test_removing_a_row_shows_only_what_it_said(world, api, v1):
    content = world.charter(milestones=[])
    r = api(world.sponsor_lead).post(
        url(world, "/versions"), {"content": content, "reason": "Drop", "base_version": 1}
    )
    r = api(world.sponsor_lead).get(f"/api/v1/charter-versions/{v1['id']}/compare/{r.json()['id']}")
    assert r.json()["differences"] == [
        {"field": "milestones[0].name", "old": "First 20 analogues", "new": None},
        {"field": "milestones[0].due", "old": "2026-04-01", "new": None},
    ]
