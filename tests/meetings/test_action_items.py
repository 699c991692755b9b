"""Action items: given to members, closed by their owners, overdue told once."""

from datetime import UTC, date, datetime

from cobench.meetings import services as meetings
from cobench.notifications.models import Notification


def _add(api, user, meeting, **overrides):
    body = {"title": "Send the NMR of CB-12", "owner": "pete", "due_date": "2026-03-10"}
    return api(user).post(f"/api/v1/meetings/{meeting.id}/action-items", body | overrides)


def test_an_action_item_is_given_to_a_member_who_is_told(api, world, schedule):
    (meeting,) = schedule(1)
    r = _add(api, world.sponsor_lead, meeting)
    assert r.status_code == 201 and r.json()["owner"]["username"] == "pete"
    note = Notification.objects.get(kind="action_item_assigned")
    assert note.recipient == world.partner_scientist and "Send the NMR" in note.title


def test_only_members_own_action_items_and_bad_input_is_refused(api, world, schedule):
    (meeting,) = schedule(1)
    assert _add(api, world.sponsor_lead, meeting, owner="olga").status_code == 422
    assert _add(api, world.sponsor_lead, meeting, due_date="tomorrow").status_code == 422
    assert _add(api, world.sponsor_lead, meeting, title="x" * 301).status_code == 422
    assert _add(api, world.auditor, meeting).status_code == 403
    assert _add(api, world.other_member, meeting).status_code == 404
    assert not meeting.action_items.exists()


def test_the_owner_closes_their_own_item_whatever_their_role(api, world, schedule):
    (meeting,) = schedule(1)
    item = _add(api, world.sponsor_lead, meeting, owner="erin").json()
    path = f"/api/v1/action-items/{item['id']}"
    r = api(world.executive).patch(path, {"status": "done", "version": 1})
    assert r.status_code == 200 and r.json()["status"] == "done"
    assert api(world.executive).patch(path, {"title": "Other", "version": 2}).status_code == 403


def test_a_done_item_is_reopened_before_it_is_cancelled(api, world, schedule):
    (meeting,) = schedule(1)
    item = _add(api, world.sponsor_lead, meeting).json()
    path = f"/api/v1/action-items/{item['id']}"
    api(world.partner_scientist).patch(path, {"status": "done", "version": 1})
    r = api(world.sponsor_lead).patch(path, {"status": "cancelled", "version": 2})
    assert r.status_code == 409
    assert api(world.sponsor_lead).patch(path, {"status": "open", "version": 2}).status_code == 200


def test_my_action_items_lists_mine_across_projects_with_overdue_marked(api, world, schedule):
    (meeting,) = schedule(1)
    _add(api, world.sponsor_lead, meeting, due_date="2020-01-01")
    _add(api, world.sponsor_lead, meeting, owner="sam")
    mine = api(world.partner_scientist).get("/api/v1/me/action-items").json()["items"]
    assert [(i["title"], i["overdue"]) for i in mine] == [("Send the NMR of CB-12", True)]
    page = api(world.partner_scientist).client
    page.force_login(world.partner_scientist)
    html = page.get("/action-items/").content.decode()
    assert "Send the NMR of CB-12" in html and "overdue" in html


def test_an_overdue_item_is_told_to_its_owner_once_however_often_the_job_runs(world, schedule):
    (meeting,) = schedule(1)
    meetings.add_action_item(
        actor=world.sponsor_lead,
        meeting=meeting,
        title="Ship CB-9",
        owner="pete",
        due_date=date(2026, 3, 10),
    )
    before_due = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)
    assert meetings.notify_overdue_action_items(now=before_due) == 0
    after = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
    assert meetings.notify_overdue_action_items(now=after) == 1
    assert meetings.notify_overdue_action_items(now=after) == 0
    assert Notification.objects.filter(kind="action_item_overdue").count() == 1
