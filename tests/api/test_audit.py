"""The audit trail through the API: who changed what, when and why."""


def test_the_history_of_a_project_names_each_change(world, api):
    alice = api(world.sponsor_lead)
    alice.patch(
        f"/api/v1/projects/{world.project.id}",
        {"status": "on_hold", "version": 1, "reason": "Budget review"},
    )
    r = api(world.auditor).get(f"/api/v1/audit/tenancy.project/{world.project.id}")
    assert r.status_code == 200
    events = r.json()["items"]
    assert [e["event"] for e in events] == ["project.created", "project.updated"]
    last = events[-1]
    assert last["actor"] == "Alice Tester <alice>" and last["organization"] == "Helix Bio"
    assert last["changes"] == {"status": ["active", "on_hold"]}
    assert last["reason"] == "Budget review" and len(last["hash"]) == 64


def test_one_action_shares_one_request_id(world, api):
    r = api(world.sponsor_lead).post(
        "/api/v1/projects",
        {"code": "PRJ-NEW", "name": "New", "sponsor_id": str(world.sponsor.id)},
        headers={"X-Request-ID": "req-42"},
    )
    events = api(world.sponsor_lead).get(f"/api/v1/projects/{r.json()['id']}/audit").json()["items"]
    assert {e["event"] for e in events} == {"project.created", "member.added"}
    assert {e["request_id"] for e in events} == {"req-42"}


def test_outsiders_get_404_for_a_history_and_bad_types_are_refused(world, api):
    assert (
        api(world.outsider).get(f"/api/v1/audit/tenancy.project/{world.project.id}").status_code
        == 404
    )
    assert (
        api(world.sponsor_lead).get(f"/api/v1/audit/nonsense/{world.project.id}").status_code == 422
    )
