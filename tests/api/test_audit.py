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


def test_a_hidden_actor_is_shown_only_to_those_allowed(world, api):
    from django.db import transaction

    from cobench.audit import services as audit
    from cobench.audit.events import Event

    with transaction.atomic():  # a confidential report by the partner scientist
        audit.record(
            actor=world.partner_scientist,
            organization=world.partner,
            event=Event.PROJECT_UPDATED,
            target=world.project,
            hide_actor=True,
        )
    url = f"/api/v1/audit/tenancy.project/{world.project.id}"

    def actor_seen_by(user):
        return api(user).get(url).json()["items"][-1]["actor"]

    assert actor_seen_by(world.partner_scientist) == "Pete Tester <pete>"
    assert actor_seen_by(world.partner_lead) == "Pete Tester <pete>"  # own organization
    assert actor_seen_by(world.auditor) == "Pete Tester <pete>"
    for user in (world.sponsor_lead, world.sponsor_scientist, world.executive):
        assert actor_seen_by(user) == "Confidential reporter"
        newest = api(user).get(f"/api/v1/projects/{world.project.id}/audit").json()["items"][0]
        assert "pete" not in str(newest).lower()
