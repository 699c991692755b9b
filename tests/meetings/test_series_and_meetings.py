"""Meeting series and meetings through the API: set-up, times in their zone, bad input refused."""

from datetime import UTC, datetime

from cobench.audit.models import AuditEvent
from cobench.meetings.models import Meeting, MeetingSeries


def _new(api, user, project, **overrides):
    body = {
        "name": "Leadership review",
        "local_time": "16:30",
        "time_zone": "America/Toronto",
        "weekday": 3,
    } | overrides
    return api(user).post(f"/api/v1/projects/{project.id}/meeting-series", body)


def test_sponsor_lead_sets_up_a_series_with_members_and_their_key_flags(api, world):
    r = _new(api, world.sponsor_lead, world.project)
    assert r.status_code == 201, r.content
    people = {a["username"]: a["is_key"] for a in r.json()["attendees"]}
    assert people == {
        "alice": True,
        "sam": True,
        "paula": True,
        "pete": True,
        "erin": True,
        "quinn": False,
    }
    assert AuditEvent.objects.filter(event="meeting_series.created").count() == 1


def test_partner_lead_sets_up_a_series_with_chosen_key_members(api, world):
    r = _new(
        api,
        world.partner_lead,
        world.project,
        attendees=["paula", "pete", "alice"],
        key_members=["pete"],
        cadence="monthly",
        week_of_month=-1,
    )
    assert r.status_code == 201
    assert {a["username"] for a in r.json()["attendees"] if a["is_key"]} == {"pete"}


def test_an_unknown_time_zone_is_refused_and_nothing_is_made(api, world):
    r = _new(api, world.sponsor_lead, world.project, time_zone="Mars/Olympus")
    assert r.status_code == 422 and "time_zone" in r.json()["errors"]
    assert not MeetingSeries.objects.exists()


def test_people_not_on_the_project_cannot_be_expected(api, world):
    r = _new(api, world.sponsor_lead, world.project, attendees=["alice", "olga"])
    assert r.status_code == 422 and "olga" in str(r.json()["errors"]["attendees"])
    r = _new(api, world.sponsor_lead, world.project, attendees=["alice"], key_members=["sam"])
    assert r.status_code == 422 and "key_members" in r.json()["errors"]
    assert not MeetingSeries.objects.exists()


def test_bad_types_and_times_are_refused(api, world):
    assert _new(api, world.sponsor_lead, world.project, weekday="tuesday").status_code == 422
    assert _new(api, world.sponsor_lead, world.project, local_time="25:99").status_code == 422
    assert _new(api, world.sponsor_lead, world.project, name="x" * 201).status_code == 422
    assert _new(api, world.sponsor_lead, world.project, week_of_month=0).status_code == 422


def test_scientists_and_auditors_may_not_set_up_series(api, world):
    assert _new(api, world.partner_scientist, world.project).status_code == 403
    assert _new(api, world.auditor, world.project).status_code == 403
    assert _new(api, world.outsider, world.project).status_code == 404


def test_series_changes_need_the_current_version(api, world, series):
    path = f"/api/v1/meeting-series/{series.id}"
    assert api(world.sponsor_lead).patch(path, {"name": "Call"}).status_code == 428
    ok = api(world.sponsor_lead).patch(path, {"name": "Call", "version": 1})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    assert api(world.sponsor_lead).patch(path, {"name": "Again", "version": 1}).status_code == 412


def test_a_meeting_is_read_in_its_own_time_zone_and_stored_in_utc(api, world, series):
    r = api(world.sponsor_lead).post(
        f"/api/v1/meeting-series/{series.id}/meetings",
        {"starts_at": "2026-07-07T15:00:00", "agenda": "Analogues"},
    )
    assert r.status_code == 201, r.content
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime(2026, 7, 7, 13, 0, tzinfo=UTC)  # Berlin summer time
    assert meeting.ends_at == datetime(2026, 7, 7, 14, 0, tzinfo=UTC)
    assert r.json()["time_zone"] == "Europe/Berlin"


def test_without_a_time_the_next_meeting_takes_the_cadence_s_next_slot(api, world, series):
    path = f"/api/v1/meeting-series/{series.id}/meetings"
    api(world.sponsor_lead).post(path, {"starts_at": "2031-03-04T15:00:00"})  # a Tuesday
    r = api(world.sponsor_lead).post(path, {})
    assert r.json()["starts_at"].startswith("2031-03-11T14:00")


def test_a_meeting_cannot_end_before_it_starts_nor_be_in_an_unknown_zone(api, world, series):
    path = f"/api/v1/meeting-series/{series.id}/meetings"
    r = api(world.sponsor_lead).post(
        path, {"starts_at": "2026-07-07T15:00:00", "ends_at": "2026-07-07T14:00:00"}
    )
    assert r.status_code == 422 and "ends_at" in r.json()["errors"]
    r = api(world.sponsor_lead).post(
        path, {"starts_at": "2026-07-07T15:00:00", "time_zone": "Europe/Atlantis"}
    )
    assert r.status_code == 422 and "time_zone" in r.json()["errors"]
    assert not Meeting.objects.exists()


def test_scientists_write_minutes_but_only_leads_move_or_cancel(api, world, schedule):
    (meeting,) = schedule(1)
    path = f"/api/v1/meetings/{meeting.id}"
    r = api(world.partner_scientist).patch(path, {"minutes": "Tar again", "version": 1})
    assert r.status_code == 200 and r.json()["minutes"] == "Tar again"
    assert (
        api(world.partner_scientist).patch(path, {"status": "cancelled", "version": 2}).status_code
        == 403
    )
    assert api(world.executive).patch(path, {"minutes": "x", "version": 2}).status_code == 403
    too_long = api(world.partner_scientist).patch(path, {"minutes": "x" * 50_001, "version": 2})
    assert too_long.status_code == 422
    r = api(world.partner_lead).patch(path, {"status": "cancelled", "version": 2})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"


def test_attendance_is_taken_for_members_only(api, world, schedule):
    (meeting,) = schedule(1)
    path = f"/api/v1/meetings/{meeting.id}/attendance"
    body = {
        "attendance": [
            {"username": "pete", "status": "present"},
            {"username": "olga", "status": "present"},
        ]
    }
    r = api(world.partner_lead).put(path, body)
    assert r.status_code == 422 and "olga" in str(r.json()["errors"])
    assert not meeting.attendance.exists()
    bad = api(world.partner_lead).put(
        path, {"attendance": [{"username": "pete", "status": "late"}]}
    )
    assert bad.status_code == 422
    ok = api(world.partner_lead).put(
        path, {"attendance": [{"username": "pete", "status": "excused"}]}
    )
    assert ok.status_code == 200 and ok.json()["attendance"][0]["status"] == "excused"
    assert AuditEvent.objects.filter(event="meeting.attendance_recorded").count() == 1


def test_no_attendance_for_a_cancelled_meeting(api, world, schedule):
    (meeting,) = schedule(1)
    api(world.sponsor_lead).patch(
        f"/api/v1/meetings/{meeting.id}", {"status": "cancelled", "version": 1}
    )
    r = api(world.sponsor_lead).put(
        f"/api/v1/meetings/{meeting.id}/attendance",
        {"attendance": [{"username": "pete", "status": "present"}]},
    )
    assert r.status_code == 409
