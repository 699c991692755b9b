"""Calendar export: the series feed and each person's secret feed validate and round-trip."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar

from cobench.meetings import services as meetings


def _events(body: bytes):
    cal = Calendar.from_ical(body)
    return cal, [c for c in cal.walk("VEVENT")]


def test_the_series_feed_round_trips_with_its_times_zones_and_cadence(api, world, series, schedule):
    held = schedule(3)
    meetings.update_meeting(
        actor=world.sponsor_lead, meeting=held[2], expected_version=1, status="cancelled"
    )
    r = api(world.partner_scientist).get(f"/api/v1/meeting-series/{series.id}/calendar.ics")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    cal, events = _events(r.content)
    assert Calendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()
    assert {tz["TZID"] for tz in cal.walk("VTIMEZONE")} == {"Europe/Berlin"}
    by_uid = {str(e["UID"]): e for e in events}
    for meeting in held:
        event = by_uid[f"meeting-{meeting.id}@cobench"]
        start = event.decoded("DTSTART")
        assert start.tzinfo.key == "Europe/Berlin" and event["DTSTART"].params["TZID"] == (
            "Europe/Berlin"
        )
        assert start == meeting.starts_at and event.decoded("DTEND") == meeting.ends_at
    assert str(by_uid[f"meeting-{held[2].id}@cobench"]["STATUS"]) == "CANCELLED"
    recurring = by_uid[f"series-{series.id}@cobench"]
    assert recurring["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
    assert recurring.decoded("DTSTART") == datetime(
        2026, 3, 24, 15, 0, tzinfo=ZoneInfo("Europe/Berlin")
    )
    assert all("Tar" not in str(e.get("DESCRIPTION")) for e in events)


def test_monthly_and_fortnightly_cadences_become_rrules(world):
    from cobench.meetings.calendar import rrule

    monthly = meetings.create_series(
        actor=world.sponsor_lead,
        project=world.project,
        name="S",
        local_time=time(16),
        time_zone="Asia/Kolkata",
        cadence="monthly",
        weekday=3,
        week_of_month=-1,
    )
    assert rrule(monthly).to_ical() == b"FREQ=MONTHLY;BYDAY=-1TH"
    monthly.cadence = "biweekly"
    assert rrule(monthly).to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"


def test_the_personal_feed_needs_only_its_secret_token(api, world, schedule, client):
    schedule(2)
    url = api(world.partner_scientist).get("/api/v1/me/calendar").json()["url"]
    path = url.split("testserver", 1)[1]
    r = client.get(path)  # no login at all
    assert r.status_code == 200
    _, events = _events(r.content)
    assert len(events) == 3  # two meetings and the cadence
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404


def test_a_replaced_address_stops_working_and_others_see_only_their_meetings(
    api, world, schedule, client
):
    schedule(1)
    old = api(world.partner_scientist).get("/api/v1/me/calendar").json()["url"]
    new = api(world.partner_scientist).post("/api/v1/me/calendar/reset").json()["url"]
    assert old != new
    assert client.get(old.split("testserver", 1)[1]).status_code == 404
    assert client.get(new.split("testserver", 1)[1]).status_code == 200
    theirs = api(world.other_member).get("/api/v1/me/calendar").json()["url"]
    _, events = _events(client.get(theirs.split("testserver", 1)[1]).content)
    assert events == []
