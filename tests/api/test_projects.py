"""Projects, partners and members through the API."""

from cobench.audit.models import AuditEvent
from cobench.tenancy.models import Project, ProjectMember


def test_me_names_the_caller_and_their_organizations(world, api):
    body = api(world.partner_lead).get("/api/v1/me").json()
    assert body["username"] == "paula"
    assert [o["name"] for o in body["organizations"]] == ["Northbridge Chemistry"]


def test_anonymous_callers_get_401_as_a_problem(world, api):
    r = api(None).get("/api/v1/projects")
    assert r.status_code == 401 and r["Content-Type"] == "application/problem+json"
    assert r.json()["status"] == 401


def test_members_list_only_their_projects(world, api):
    assert [
        p["code"] for p in api(world.partner_scientist).get("/api/v1/projects").json()["items"]
    ] == ["PRJ-CDK2"]
    assert [p["code"] for p in api(world.other_member).get("/api/v1/projects").json()["items"]] == [
        "PRJ-KRAS"
    ]
    assert api(world.outsider).get("/api/v1/projects").json() == {"items": [], "count": 0}


def test_lists_are_paginated(world, api):
    r = api(world.sponsor_lead).get(f"/api/v1/projects/{world.project.id}/members?limit=2&offset=1")
    body = r.json()
    assert body["count"] == 6 and len(body["items"]) == 2


def test_a_huge_offset_is_a_field_error_not_a_server_error(world, api):
    r = api(world.sponsor_lead).get(f"/api/v1/notifications?offset={10**20}")
    assert r.status_code == 422
    assert api(world.sponsor_lead).get("/api/v1/projects?offset=2147483647").json()["items"] == []


def test_organizations_visible_are_mine_and_those_on_my_projects(world, api):
    names = [
        o["name"] for o in api(world.partner_scientist).get("/api/v1/organizations").json()["items"]
    ]
    assert names == ["Helix Bio", "Northbridge Chemistry"]


def test_sponsor_lead_updates_the_project_with_its_etag(world, api):
    alice = api(world.sponsor_lead)
    r = alice.get(f"/api/v1/projects/{world.project.id}")
    etag = r["ETag"]
    r = alice.patch(
        f"/api/v1/projects/{world.project.id}",
        {"phase": "lead_optimization"},
        headers={"If-Match": etag},
    )
    assert r.status_code == 200 and r.json()["phase"] == "lead_optimization" and r["ETag"] == '"2"'
    stale = alice.patch(
        f"/api/v1/projects/{world.project.id}", {"name": "Other"}, headers={"If-Match": etag}
    )
    assert stale.status_code == 412
    assert Project.objects.get(pk=world.project.pk).name == "CDK2 inhibitors"
    event = AuditEvent.objects.filter(event="project.updated").get()
    assert event.changes == {"phase": ["hit_to_lead", "lead_optimization"]}


def test_wrong_types_and_unknown_choices_are_named(world, api):
    r = api(world.sponsor_lead).patch(
        f"/api/v1/projects/{world.project.id}", {"phase": "phase 9", "version": "one"}
    )
    assert r.status_code == 422
    assert set(r.json()["errors"]) == {"phase", "version"}


def test_partner_lead_cannot_edit_the_project(world, api):
    r = api(world.partner_lead).patch(
        f"/api/v1/projects/{world.project.id}", {"name": "x", "version": 1}
    )
    assert r.status_code == 403


def test_create_project_for_my_organization_only(world, api):
    r = api(world.sponsor_lead).post(
        "/api/v1/projects",
        {"code": "PRJ-BRD4", "name": "BRD4", "sponsor_id": str(world.sponsor.id)},
    )
    assert r.status_code == 201 and r.json()["code"] == "PRJ-BRD4"
    r = api(world.sponsor_lead).post(
        "/api/v1/projects", {"code": "PRJ-X", "name": "X", "sponsor_id": str(world.partner.id)}
    )
    assert r.status_code == 422 and "sponsor_id" in r.json()["errors"]
    r = api(world.sponsor_lead).post(
        "/api/v1/projects",
        {"code": "PRJ-BRD4", "name": "again", "sponsor_id": str(world.sponsor.id)},
    )
    assert r.status_code == 422 and "code" in r.json()["errors"]


def test_partner_lead_adds_a_colleague_but_not_someone_of_another_organization(world, api):
    from tests.factories import UserFactory

    UserFactory(username="nina", organization=world.partner)
    paula = api(world.partner_lead)
    url = f"/api/v1/projects/{world.project.id}/members"
    r = paula.post(url, {"username": "nina", "role": "partner_scientist", "is_key": True})
    assert r.status_code == 201 and r.json()["organization"]["name"] == "Northbridge Chemistry"
    r = paula.post(url, {"username": "olga", "role": "partner_scientist"})
    assert r.status_code == 422  # olga's organization is not on CDK2
    r = paula.post(url, {"username": "no-such-person", "role": "partner_scientist"})
    assert r.status_code == 422  # same answer: nothing told about who exists


def test_roles_must_match_the_side(world, api):
    from tests.factories import UserFactory

    UserFactory(username="nina", organization=world.partner)
    r = api(world.sponsor_lead).post(
        f"/api/v1/projects/{world.project.id}/members",
        {"username": "nina", "role": "sponsor_scientist"},
    )
    assert r.status_code == 422 and "role" in r.json()["errors"]


def test_member_role_change_and_removal_are_audited(world, api):
    pete = ProjectMember.objects.get(user=world.partner_scientist)
    alice = api(world.sponsor_lead)
    r = alice.patch(f"/api/v1/members/{pete.id}", {"is_key": False, "version": 1})
    assert r.status_code == 200 and r.json()["is_key"] is False
    assert alice.delete(f"/api/v1/members/{pete.id}").status_code == 422  # reason required
    assert alice.delete(f"/api/v1/members/{pete.id}?reason=Left+the+company").status_code == 204
    events = list(AuditEvent.objects.filter(target_id=str(pete.id)).values_list("event", "reason"))
    assert events == [
        ("member.added", ""),
        ("member.updated", ""),
        ("member.removed", "Left the company"),
    ]


def test_the_last_sponsor_lead_stays(world, api):
    alice = ProjectMember.objects.get(user=world.sponsor_lead, project=world.project)
    r = api(world.sponsor_lead).patch(
        f"/api/v1/members/{alice.id}", {"role": "executive", "version": 1}
    )
    assert r.status_code == 409


def test_partners_are_added_and_ended_by_the_sponsor_lead(world, api):
    url = f"/api/v1/projects/{world.project.id}/partners"
    r = api(world.sponsor_lead).post(
        url,
        {
            "organization_id": str(world.other_partner.id),
            "start_date": "2026-03-01",
            "end_date": "2026-01-01",
        },
    )
    assert r.status_code == 422 and "end_date" in r.json()["errors"]
    r = api(world.sponsor_lead).post(
        url,
        {
            "organization_id": str(world.other_partner.id),
            "start_date": "2026-03-01",
            "scope_of_work": "Scale-up",
        },
    )
    assert r.status_code == 201
    partner_id = r.json()["id"]
    assert (
        api(world.partner_lead)
        .post(url, {"organization_id": str(world.outsider_org.id), "start_date": "2026-03-01"})
        .status_code
        == 403
    )
    r = api(world.sponsor_lead).patch(
        f"/api/v1/partners/{partner_id}", {"end_date": "2026-12-31"}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 200 and r.json()["end_date"] == "2026-12-31"
    r = api(world.sponsor_lead).delete(f"/api/v1/partners/{partner_id}?reason=Scope+moved")
    assert r.status_code == 204


def test_a_partner_with_members_cannot_be_removed(world, api):
    partner = world.project.partners.get()
    r = api(world.sponsor_lead).delete(f"/api/v1/partners/{partner.id}?reason=x")
    assert r.status_code == 409


def test_auditor_reads_but_never_writes(world, api):
    quinn = api(world.auditor)
    assert quinn.get(f"/api/v1/projects/{world.project.id}").status_code == 200
    assert quinn.get(f"/api/v1/projects/{world.project.id}/audit").status_code == 200
    assert (
        quinn.patch(f"/api/v1/projects/{world.project.id}", {"name": "x", "version": 1}).status_code
        == 403
    )
    assert (
        quinn.post(
            f"/api/v1/projects/{world.project.id}/members",
            {"username": "oscar", "role": "executive"},
        ).status_code
        == 403
    )


def test_nul_characters_are_refused_per_field(world, api):
    r = api(world.sponsor_lead).post(
        "/api/v1/projects", {"code": "PRJ-N", "name": "a\x00b", "sponsor_id": str(world.sponsor.id)}
    )
    assert r.status_code == 422 and "name" in r.json()["errors"]
    r = api(world.sponsor_lead).post(
        f"/api/v1/projects/{world.project.id}/charter/versions",
        {"content": {"methods": "x\x00"}, "reason": "r", "base_version": 0},
    )
    assert r.status_code == 422 and "content.methods" in r.json()["errors"]


def test_people_choose_their_own_time_zone(world, api):
    r = api(world.partner_lead).patch("/api/v1/me", {"time_zone": "Asia/Tokyo"})
    assert r.status_code == 200 and r.json()["time_zone"] == "Asia/Tokyo"
    r = api(world.partner_lead).patch("/api/v1/me", {"time_zone": "Mars/Olympus"})
    assert r.status_code == 422 and "time_zone" in r.json()["errors"]
    r = api(world.partner_lead).patch("/api/v1/me", {"email": "not an address"})
    assert r.status_code == 422 and "email" in r.json()["errors"]
    assert api(world.partner_lead).get("/api/v1/me").json()["time_zone"] == "Asia/Tokyo"


def test_null_clears_a_partners_end_date_but_never_a_required_field(world, api):
    partner = world.project.partners.get()
    alice = api(world.sponsor_lead)
    loaded = partner.version
    r = alice.patch(f"/api/v1/partners/{partner.id}", {"end_date": "2027-01-31", "version": loaded})
    assert r.json()["end_date"] == "2027-01-31"
    r = alice.patch(f"/api/v1/partners/{partner.id}", {"end_date": None, "version": loaded + 1})
    assert r.status_code == 200 and r.json()["end_date"] is None
    r = alice.patch(
        f"/api/v1/projects/{world.project.id}", {"name": None, "description": None, "version": 1}
    )
    assert r.status_code == 200 and r.json()["name"] == "CDK2 inhibitors"
