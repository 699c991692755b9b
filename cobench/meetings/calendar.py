"""Meetings as iCalendar (RFC 5545) for Outlook, Google Calendar and Apple Calendar.

The model: every meeting cobench knows (held, scheduled or cancelled) is its own
VEVENT, with a stable UID, its own DTSTART/DTEND in its own TZID, and SEQUENCE =
its version; a cancelled one stays with STATUS:CANCELLED so subscribed calendars
remove it. The series adds one recurring VEVENT whose RRULE carries the cadence,
starting at the first slot *after* the latest meeting: the slots nobody has
scheduled yet. So a moved or cancelled meeting never collides with an occurrence of
the rule, no RECURRENCE-ID/EXDATE bookkeeping is needed (which clients honour
unevenly), and each real meeting keeps its own time, title and status. When a new
meeting is scheduled the recurring event's start moves on and its SEQUENCE rises.

Every TZID used gets its VTIMEZONE. Agendas and minutes stay out of the feed: a
subscribed calendar is often synchronised to a third party's cloud; the events
link back to cobench instead.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vRecur

from .models import Meeting, MeetingSeries
from .services import next_slot

PRODID = "-//cobench//meetings//EN"
_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _url(path: str) -> str:
    return settings.COBENCH_BASE_URL.rstrip("/") + path


def _uid(kind: str, pk: object) -> str:
    return f"{kind}-{pk}@cobench"


def rrule(series: MeetingSeries) -> vRecur:
    """The series' cadence as an RRULE."""
    day = _DAYS[series.weekday]
    if series.cadence == MeetingSeries.Cadence.MONTHLY:
        return vRecur({"FREQ": "MONTHLY", "BYDAY": f"{series.week_of_month}{day}"})
    rule: dict[str, str | int] = {"FREQ": "WEEKLY", "BYDAY": day}
    if series.cadence == MeetingSeries.Cadence.BIWEEKLY:
        rule["INTERVAL"] = 2
    return vRecur(rule)


def _meeting_event(meeting: Meeting, stamp: datetime) -> Event:
    zone = zoneinfo.ZoneInfo(meeting.time_zone)
    event = Event()
    event.add("uid", _uid("meeting", meeting.pk))
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.version)
    event.add("summary", f"[{meeting.project.code}] {meeting.display_title}")
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    link = _url(reverse("meeting-detail", args=[meeting.project_id, meeting.pk]))
    event.add("url", link)
    event.add("description", f"{meeting.series.name} — agenda, minutes and files: {link}")
    return event


def _series_event(series: MeetingSeries, meetings: list[Meeting], stamp: datetime) -> Event:
    latest = max((m.starts_at for m in meetings), default=None)
    start = next_slot(series, latest or stamp).astimezone(zoneinfo.ZoneInfo(series.time_zone))
    event = Event()
    event.add("uid", _uid("series", series.pk))
    event.add("dtstamp", stamp)
    event.add("sequence", series.version + len(meetings))
    event.add("summary", f"[{series.project.code}] {series.name}")
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=series.duration_minutes))
    event.add("rrule", rrule(series))
    event.add("status", "TENTATIVE")
    link = _url(reverse("meeting-series", args=[series.project_id, series.pk]))
    event.add("url", link)
    event.add(
        "description",
        f"{series.name}: {series.get_cadence_display().lower()} on {series.weekday_name}s "
        f"at {series.local_time:%H:%M} {series.time_zone}. Not yet scheduled in cobench: {link}",
    )
    return event


def build(name: str, series_list: Iterable[MeetingSeries], *, now: datetime | None = None) -> bytes:
    """One calendar holding each series' meetings and its recurring cadence."""
    stamp = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo("UTC")).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for series in series_list:
        meetings = list(series.meetings.select_related("project", "series").order_by("starts_at"))
        for meeting in meetings:
            cal.add_component(_meeting_event(meeting, stamp))
        cal.add_component(_series_event(series, meetings, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def series_calendar(series: MeetingSeries, *, now: datetime | None = None) -> bytes:
    """The iCalendar file of one series."""
    return build(f"{series.project.code} {series.name}", [series], now=now)


def user_calendar(user, *, now: datetime | None = None) -> bytes:
    """Every series `user` is expected at, on the projects they are still a member of."""
    series = (
        MeetingSeries.objects.visible_to(user)
        .filter(attendees__user=user)
        .select_related("project")
        .order_by("project__code", "name")
    )
    return build(f"cobench — {user.display_name}", series, now=now)
