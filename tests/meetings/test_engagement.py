"""The engagement signal: raised when key members drift away, cleared when they come back."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from cobench.audit.models import AuditEvent
from cobench.demo import loader
from cobench.meetings import services as meetings
from cobench.meetings.models import MeetingSeries
from cobench.notifications.models import Notification

from .conftest import AFTER_ALL, attend


def _warnings():
    return Notification.objects.filter(kind="engagement_warning")


def test_everyone_at_the_first_three_and_half_at_the_sixth_raises_the_warning(
    api, world, series, schedule
):
    held = schedule(6)
    for meeting in held[:3]:
        attend(world, meeting)
    attend(world, held[3], absent=["pete"])
    attend(world, held[4], absent=["pete", "paula"])
    attend(world, held[5], absent=["pete", "paula"])
    body = api(world.sponsor_scientist).get(f"/api/v1/meeting-series/{series.id}/engagement").json()
    assert body["warning"] and body["below_baseline"]
    assert body["baseline"] == 1.0 and body["latest"] == pytest.approx(7 / 12)
    assert [m["username"] for m in body["missing"]] == ["pete", "paula"]
    assert "Weekly chemistry call" in body["message"] and "Pete" in body["message"]
    assert len(body["points"]) == 6
    # the leads heard of it once, though attendance was recorded twice more after it rose
    assert sorted(_warnings().values_list("recipient__username", flat=True)) == ["alice", "paula"]
    assert AuditEvent.objects.filter(event="engagement.warning_raised").count() == 1


def test_the_warning_clears_when_the_missing_members_attend_again_and_a_new_one_is_told(
    world, series, schedule
):
    held = schedule(9)
    for meeting in held[:3]:
        attend(world, meeting)
    for meeting in held[3:6]:
        attend(world, meeting, absent=["pete", "paula"])
    assert MeetingSeries.objects.get().warning_since is not None
    for meeting in held[6:9]:
        attend(world, meeting)
    assert not meetings.engagement(series, now=AFTER_ALL).warning
    assert MeetingSeries.objects.get().warning_since is None
    assert AuditEvent.objects.filter(event="engagement.warning_cleared").count() == 1
    # drifting away again is a new episode: the leads are told again
    later = meetings.schedule_meeting(
        actor=world.sponsor_lead,
        series=series,
        starts_at=datetime(2026, 5, 5, 15, 0),  # noqa: DTZ001  wall-clock time in the series' zone
    )
    attend(world, later, absent=["pete"])
    attend(world, held[8], absent=["pete"])
    assert MeetingSeries.objects.get().warning_episodes == 2
    assert _warnings().filter(recipient=world.sponsor_lead).count() == 2


def test_a_key_member_missing_two_of_the_latest_three_warns_even_when_the_rate_holds(
    world, series, schedule
):
    held = schedule(3)
    attend(world, held[0])
    attend(world, held[1], absent=["sam"])
    attend(world, held[2], absent=["sam"])
    result = meetings.engagement(series, now=AFTER_ALL)
    assert result.warning and not result.below_baseline
    assert [(m.username, m.missed) for m in result.missing] == [("sam", 2)]


def test_an_excused_absence_is_not_a_miss(world, series, schedule):
    held = schedule(6)
    for meeting in held[:3]:
        attend(world, meeting)
    for meeting in held[3:]:
        attend(world, meeting, excused=["pete", "paula"])
    result = meetings.engagement(series, now=AFTER_ALL)
    assert not result.warning and result.latest == 1.0


def test_meetings_not_yet_started_do_not_count(world, series, schedule):
    held = schedule(6)
    for meeting in held[:3]:
        attend(world, meeting)
    for meeting in held[3:]:
        attend(world, meeting, absent=["pete", "paula"], now=held[0].starts_at)
    assert not meetings.engagement(series, now=held[2].ends_at).warning
    assert meetings.engagement(series, now=AFTER_ALL).warning


def test_the_sponsor_lead_sets_the_thresholds_and_they_apply(api, world, series, schedule):
    held = schedule(4)
    for meeting in held[:3]:
        attend(world, meeting)
    attend(world, held[3], absent=["pete"])  # latest three: 11 of 12, nobody missed two
    path = f"/api/v1/projects/{world.project.id}/engagement-thresholds"
    assert (
        api(world.partner_lead).put(path, {"fraction": 0.95, "missed_of_latest": 1}).status_code
        == 403
    )
    assert (
        api(world.sponsor_lead).put(path, {"fraction": 7, "missed_of_latest": 1}).status_code == 422
    )
    r = api(world.sponsor_lead).put(path, {"fraction": 0.95, "missed_of_latest": 1})
    assert r.status_code == 200 and r.json()["fraction"] == "0.95"
    result = meetings.engagement(series)
    assert result.fraction == Decimal("0.95") and [m.username for m in result.missing] == ["pete"]
    assert AuditEvent.objects.filter(event="engagement.thresholds_set").count() == 1
    assert MeetingSeries.objects.get().warning_since is not None


@pytest.mark.django_db
def test_the_demo_shows_the_warning_and_it_clears_when_the_missing_members_attend(web):
    demo = loader.load_demo()
    series = demo.extra["meeting_series"]
    page = web(demo.users["helena"]).get(f"/projects/{demo.project.id}/")
    assert "Engagement warning" in page.content.decode()
    assert "Maria Santos" in page.content.decode()
    series_page = web(demo.users["brian"]).get(
        f"/projects/{demo.project.id}/meetings/series/{series.id}/"
    )
    assert "Engagement warning" in series_page.content.decode()
    upcoming = list(series.meetings.order_by("starts_at"))[6:]
    later = upcoming[-1].ends_at + timedelta(hours=1)
    for meeting in upcoming:
        meetings.set_attendance(
            actor=demo.users["brian"],
            meeting=meeting,
            entries=dict.fromkeys(["helena", "brian", "maria", "priya", "arjun"], "present"),
            now=later,
        )
    assert not meetings.engagement(series, now=later).warning
    assert MeetingSeries.objects.get(pk=series.pk).warning_since is None
    assert later > datetime.now(UTC)
