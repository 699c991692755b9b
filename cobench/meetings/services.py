"""Meeting series, meetings, attendance, action items, files and the engagement signal.

Every change is checked against the role table, validated, saved and audited in one
transaction; notifications go into the same transaction (e-mail after the commit).
"""

from __future__ import annotations

import secrets
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.core import attachments
from cobench.core.concurrency import check_version
from cobench.core.errors import Conflict, InvalidInput
from cobench.core.permissions import Action, Role
from cobench.core.text import TOO_LONG_UNGROUPED, clean_text, contains_nul
from cobench.notifications.kinds import Kind
from cobench.notifications.services import notify
from cobench.tenancy.access import ensure_can, home_organization, membership
from cobench.tenancy.models import Project, ProjectMember, User

from .models import (
    ActionItem,
    Attendance,
    CalendarFeed,
    EngagementThresholds,
    Meeting,
    MeetingAttachment,
    MeetingSeries,
    SeriesAttendee,
)

MAX_TEXT = 50_000  # agenda and minutes
WINDOW = 3  # meetings in the baseline and in the latest window


# Shared checks -----------------------------------------------------------------------


def _validated(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput("Some fields are invalid.", errors=exc.message_dict) from exc


def _zone(name: str, field_name: str = "time_zone") -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise InvalidInput(
            f"'{name}' is not a known time zone.",
            errors={field_name: [f"'{name}' is not a known time zone (e.g. Europe/Berlin)."]},
        ) from exc


def _text(value: str, field_name: str, limit: int = MAX_TEXT) -> str:
    """`value` as written (agenda and minutes keep their spacing); refused at once when it
    holds a NUL or is longer than `limit`."""
    errors: dict[str, list[str]] = {}
    clean_text(
        errors,
        field_name,
        value,
        limit=limit,
        strip=False,
        too_long=TOO_LONG_UNGROUPED,
        nul_message="Contains NUL.",
    )
    if errors:
        detail = "Text may not contain NUL." if contains_nul(value) else "The text is too long."
        raise InvalidInput(detail, errors=errors)
    return value


def _unknown(fields: Mapping[str, Any], allowed: set[str]) -> None:
    if unknown := set(fields) - allowed:
        raise InvalidInput(
            "Unknown fields.", errors={f: ["Cannot be changed here."] for f in sorted(unknown)}
        )


def project_members(project: Project) -> dict[str, ProjectMember]:
    """The project's members by username."""
    return {
        m.user.username: m
        for m in ProjectMember.objects.filter(project=project).select_related("user")
    }


def _members_named(project: Project, usernames: Iterable[str], field_name: str) -> list[User]:
    """The project members with these usernames; anyone else is refused by name."""
    members = project_members(project)
    wanted = list(dict.fromkeys(usernames))
    strangers = [u for u in wanted if u not in members]
    if strangers:
        raise InvalidInput(
            f"Only members of {project.code} can take part.",
            errors={field_name: [f"Not on {project.code}: {', '.join(strangers)}."]},
        )
    return [members[u].user for u in wanted]


def _local(value: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """`value` as an aware time: a naive one is read in `zone`."""
    return value.replace(tzinfo=zone) if timezone.is_naive(value) else value


# Series -------------------------------------------------------------------------------


def _set_attendees(
    series: MeetingSeries, attendees: list[User], key_usernames: set[str]
) -> tuple[list[str], list[str]]:
    SeriesAttendee.objects.filter(series=series).exclude(user__in=attendees).delete()
    for user in attendees:
        SeriesAttendee.objects.update_or_create(
            series=series, user=user, defaults={"is_key": user.username in key_usernames}
        )
    return _attendee_lists(series)


def _attendee_lists(series: MeetingSeries) -> tuple[list[str], list[str]]:
    rows = list(series.attendees.select_related("user").order_by("user__username"))
    return [a.user.username for a in rows], [a.user.username for a in rows if a.is_key]


def _check_keys(attendees: list[User], key_members: Iterable[str]) -> set[str]:
    names = {u.username for u in attendees}
    keys = set(key_members)
    if stray := sorted(keys - names):
        raise InvalidInput(
            "Key members must be among the expected attendees.",
            errors={"key_members": [f"Not expected at this series: {', '.join(stray)}."]},
        )
    return keys


@transaction.atomic
def create_series(
    *,
    actor: User,
    project: Project,
    name: str,
    local_time: time,
    time_zone: str,
    cadence: str = MeetingSeries.Cadence.WEEKLY,
    weekday: int = 1,
    week_of_month: int = 1,
    duration_minutes: int = 60,
    description: str = "",
    attendees: list[str] | None = None,
    key_members: list[str] | None = None,
) -> MeetingSeries:
    """Set up a recurring meeting. Attendees default to every member; key members to those
    whose membership is marked key."""
    member = ensure_can(actor, project, Action.MANAGE_MEETINGS)
    _zone(time_zone)
    series = MeetingSeries(
        project=project,
        name=(name or "").strip(),
        description=_text(description, "description", 20_000),
        cadence=cadence,
        weekday=weekday,
        week_of_month=week_of_month,
        local_time=local_time,
        duration_minutes=duration_minutes,
        time_zone=time_zone,
    )
    _validated(series)
    members = project_members(project)
    people = _members_named(
        project, members.keys() if attendees is None else attendees, "attendees"
    )
    if key_members is None:
        keys = {u.username for u in people if members[u.username].is_key}
    else:
        keys = _check_keys(people, key_members)
    series.save()
    names, key_names = _set_attendees(series, people, keys)
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.MEETING_SERIES_CREATED,
        target=series,
        changes={
            "name": [None, series.name],
            "cadence": [None, cadence],
            "weekday": [None, weekday],
            "local_time": [None, local_time],
            "time_zone": [None, time_zone],
            "duration_minutes": [None, duration_minutes],
            "attendees": [None, names],
            "key_members": [None, key_names],
        },
    )
    return series


SERIES_FIELDS = {
    "name",
    "description",
    "cadence",
    "weekday",
    "week_of_month",
    "local_time",
    "duration_minutes",
    "time_zone",
}


@transaction.atomic
def update_series(
    *,
    actor: User,
    series: MeetingSeries,
    expected_version: int | None,
    now: datetime | None = None,
    **fields: Any,
) -> MeetingSeries:
    """Change a series' name, cadence, time, attendees (usernames) or key members."""
    member = ensure_can(actor, series.project, Action.MANAGE_MEETINGS)
    series = MeetingSeries.objects.select_for_update().select_related("project").get(pk=series.pk)
    check_version(current=series.version, expected=expected_version)
    _unknown(fields, SERIES_FIELDS | {"attendees", "key_members"})
    if "time_zone" in fields:
        _zone(fields["time_zone"])
    if "description" in fields:
        _text(fields["description"], "description", 20_000)
    attendees = fields.pop("attendees", None)
    key_members = fields.pop("key_members", None)
    before = {name: getattr(series, name) for name in fields}
    for name, value in fields.items():
        setattr(series, name, value)
    _validated(series)
    changes = audit.diff(before, fields)
    if attendees is not None or key_members is not None:
        old_names, old_keys = _attendee_lists(series)
        people = _members_named(
            series.project, old_names if attendees is None else attendees, "attendees"
        )
        keys = _check_keys(
            people,
            (set(old_keys) & {u.username for u in people}) if key_members is None else key_members,
        )
        names, key_names = _set_attendees(series, people, keys)
        changes |= audit.diff(
            {"attendees": old_names, "key_members": old_keys},
            {"attendees": names, "key_members": key_names},
        )
    if changes:
        series.version += 1
        series.save()
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.MEETING_SERIES_UPDATED,
            target=series,
            changes=changes,
        )
        refresh_engagement(series=series, now=now)
    return series


def next_slot(series: MeetingSeries, after: datetime) -> datetime:
    """The first start of the series' cadence strictly after `after` (aware, in UTC)."""
    zone = _zone(series.time_zone)
    local_after = after.astimezone(zone)
    day = local_after.date()
    for _ in range(800):
        if _on_cadence(series, day):
            start = datetime.combine(day, series.local_time, tzinfo=zone)
            if start > after:
                return start.astimezone(zoneinfo.ZoneInfo("UTC"))
        day += timedelta(days=1)
    raise InvalidInput("The cadence has no next meeting.")  # cannot happen for a valid series


def _on_cadence(series: MeetingSeries, day: date) -> bool:
    if day.weekday() != series.weekday:
        return False
    if series.cadence == MeetingSeries.Cadence.MONTHLY:
        if series.week_of_month == -1:
            return (day + timedelta(days=7)).month != day.month
        return (day.day - 1) // 7 + 1 == series.week_of_month
    if series.cadence == MeetingSeries.Cadence.BIWEEKLY:
        first = series.meetings.exclude(status=Meeting.Status.CANCELLED).order_by("starts_at")
        anchor = first.first()
        if anchor is None:
            return True
        anchor_day: date = anchor.starts_at.astimezone(_zone(series.time_zone)).date()
        return (day - anchor_day).days % 14 == 0
    return True


# Meetings -----------------------------------------------------------------------------


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise InvalidInput(
            "The meeting ends before it starts.",
            errors={"ends_at": ["Must be after the start."]},
        )
    if ends_at - starts_at > timedelta(hours=24):
        raise InvalidInput(
            "A meeting lasts at most 24 hours.", errors={"ends_at": ["At most 24 hours long."]}
        )


@transaction.atomic
def schedule_meeting(
    *,
    actor: User,
    series: MeetingSeries,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    time_zone: str | None = None,
    title: str = "",
    agenda: str = "",
    now: datetime | None = None,
) -> Meeting:
    """Schedule a meeting of `series`: at the given time (naive times are read in `time_zone`,
    the series' zone by default), or at the cadence's next slot after the latest meeting."""
    member = ensure_can(actor, series.project, Action.MANAGE_MEETINGS)
    zone_name = time_zone or series.time_zone
    zone = _zone(zone_name)
    if starts_at is None:
        latest = series.meetings.order_by("-starts_at").first()
        after = max(filter(None, [latest and latest.starts_at, now or timezone.now()]))
        starts_at = next_slot(series, after)
    starts_at = _local(starts_at, zone)
    ends_at = (
        _local(ends_at, zone)
        if ends_at is not None
        else starts_at + timedelta(minutes=series.duration_minutes)
    )
    _check_times(starts_at, ends_at)
    meeting = Meeting(
        project=series.project,
        series=series,
        title=(title or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=zone_name,
        agenda=_text(agenda, "agenda"),
    )
    _validated(meeting)
    meeting.save()
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.MEETING_SCHEDULED,
        target=meeting,
        changes={
            "series": [None, series.name],
            "starts_at": [None, starts_at],
            "ends_at": [None, ends_at],
            "time_zone": [None, zone_name],
            "title": [None, meeting.title],
            "agenda": [None, meeting.agenda],
        },
    )
    return meeting


RECORD_FIELDS = {"agenda", "minutes"}
MANAGE_FIELDS = {"title", "starts_at", "ends_at", "time_zone", "status"}


@transaction.atomic
def update_meeting(
    *,
    actor: User,
    meeting: Meeting,
    expected_version: int | None,
    now: datetime | None = None,
    **fields: Any,
) -> Meeting:
    """Write a meeting's agenda or minutes; move, retitle or cancel it (leads)."""
    _unknown(fields, RECORD_FIELDS | MANAGE_FIELDS)
    member = ensure_can(actor, meeting.project, Action.RECORD_MEETINGS)
    if set(fields) & MANAGE_FIELDS:
        ensure_can(actor, meeting.project, Action.MANAGE_MEETINGS)
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    check_version(current=meeting.version, expected=expected_version)
    for name in ("agenda", "minutes"):
        if name in fields:
            _text(fields[name], name)
    if "status" in fields and fields["status"] not in Meeting.Status.values:
        raise InvalidInput("Unknown status.", errors={"status": ["scheduled or cancelled."]})
    zone = _zone(fields.get("time_zone", meeting.time_zone))
    if "starts_at" in fields or "ends_at" in fields or "time_zone" in fields:
        duration = meeting.ends_at - meeting.starts_at
        if "starts_at" in fields:
            fields["starts_at"] = _local(fields["starts_at"], zone)
        if "ends_at" in fields:
            fields["ends_at"] = _local(fields["ends_at"], zone)
        elif "starts_at" in fields:
            fields["ends_at"] = fields["starts_at"] + duration
        _check_times(
            fields.get("starts_at", meeting.starts_at), fields.get("ends_at", meeting.ends_at)
        )
    before = {name: getattr(meeting, name) for name in fields}
    for name, value in fields.items():
        setattr(meeting, name, value)
    _validated(meeting)
    if changes := audit.diff(before, fields):
        meeting.version += 1
        meeting.save()
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.MEETING_UPDATED,
            target=meeting,
            changes=changes,
        )
        if {"status", "starts_at"} & set(changes):
            refresh_engagement(series=meeting.series, now=now)
    return meeting


@transaction.atomic
def set_attendance(
    *,
    actor: User,
    meeting: Meeting,
    entries: Mapping[str, str],
    now: datetime | None = None,
) -> list[Attendance]:
    """Record who was present, absent or excused (by username); only project members.

    People not named keep what was recorded for them.
    """
    member = ensure_can(actor, meeting.project, Action.RECORD_MEETINGS)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Conflict("The meeting was cancelled: there is no attendance to take.")
    bad = sorted({s for s in entries.values() if s not in Attendance.Status.values})
    if bad:
        raise InvalidInput(
            "Unknown attendance.",
            errors={"attendance": [f"Each is present, absent or excused (not {', '.join(bad)})."]},
        )
    people = _members_named(meeting.project, entries, "attendance")
    existing = {a.user_id: a for a in meeting.attendance.select_related("user")}
    changes: dict[str, list[Any]] = {}
    for user in people:
        status = entries[user.username]
        row = existing.get(user.pk)
        if row is None:
            Attendance.objects.create(meeting=meeting, user=user, status=status)
            changes[f"attendance.{user.username}"] = [None, status]
        elif row.status != status:
            changes[f"attendance.{user.username}"] = [row.status, status]
            row.status = status
            row.save(update_fields=["status", "recorded_at"])
    if changes:
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.ATTENDANCE_RECORDED,
            target=meeting,
            changes=changes,
        )
        refresh_engagement(series=meeting.series, now=now)
    return list(meeting.attendance.select_related("user"))


# Action items ---------------------------------------------------------------------------


def _owner(project: Project, username: str) -> User:
    return _members_named(project, [username], "owner")[0]


def _tell_owner(item: ActionItem, actor: User) -> None:
    if item.owner_id == actor.pk:
        return
    notify(
        kind=Kind.ACTION_ITEM_ASSIGNED,
        recipients=[item.owner],
        about=item,
        title=f"{item.project.code}: action item for you — {item.title}",
        body=f"Due {item.due_date:%-d %b %Y}, from {item.meeting.display_title} "
        f"({item.meeting.starts_at:%-d %b %Y}). Assigned by {actor.display_name}.",
        url=reverse("meeting-detail", args=[item.project_id, item.meeting_id]),
        project=item.project,
        dedupe_key=f"action-item-assigned:{item.pk}:{item.owner_id}",
    )


@transaction.atomic
def add_action_item(
    *, actor: User, meeting: Meeting, title: str, owner: str, due_date: date
) -> ActionItem:
    """Give a member (`owner`, a username) something to do by `due_date`; they are told."""
    member = ensure_can(actor, meeting.project, Action.RECORD_MEETINGS)
    item = ActionItem(
        project=meeting.project,
        meeting=meeting,
        title=(title or "").strip(),
        owner=_owner(meeting.project, owner),
        due_date=due_date,
    )
    _validated(item)
    item.save()
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.ACTION_ITEM_CREATED,
        target=item,
        changes={
            "title": [None, item.title],
            "owner": [None, item.owner.username],
            "due_date": [None, due_date],
            "meeting": [None, str(meeting)],
        },
    )
    _tell_owner(item, actor)
    return item


# the moves an action item can make; anything else is refused
TRANSITIONS = {
    ActionItem.Status.OPEN: {ActionItem.Status.DONE, ActionItem.Status.CANCELLED},
    ActionItem.Status.DONE: {ActionItem.Status.OPEN},
    ActionItem.Status.CANCELLED: {ActionItem.Status.OPEN},
}


@transaction.atomic
def update_action_item(
    *,
    actor: User,
    item: ActionItem,
    expected_version: int | None,
    reason: str = "",
    now: datetime | None = None,
    **fields: Any,
) -> ActionItem:
    """Change an action item's title, owner (username), due date or status.

    Its owner may mark it done or reopen it whatever their role; the rest needs
    `record_meetings`. Done and cancelled items go back to open before anything else.
    """
    _unknown(fields, {"title", "owner", "due_date", "status"})
    me = membership(actor, item.project)
    owner_closing = (
        me is not None
        and item.owner_id == actor.pk
        and set(fields) <= {"status"}
        and fields.get("status") != ActionItem.Status.CANCELLED
    )
    if me is None or not owner_closing:
        me = ensure_can(actor, item.project, Action.RECORD_MEETINGS)
    item = (
        ActionItem.objects.select_for_update().select_related("project", "meeting").get(pk=item.pk)
    )
    check_version(current=item.version, expected=expected_version)
    status = fields.get("status", item.status)
    if status not in ActionItem.Status.values:
        raise InvalidInput("Unknown status.", errors={"status": ["One of: open, done, cancelled."]})
    if status != item.status and status not in TRANSITIONS[ActionItem.Status(item.status)]:
        raise Conflict(
            f"An action item that is {item.get_status_display().lower()} cannot become "
            f"{ActionItem.Status(status).label.lower()}; reopen it first."
        )
    if status == item.status:
        fields.pop("status", None)
    values: dict[str, Any] = dict(fields)
    previous_owner = item.owner
    if "owner" in values:
        values["owner"] = _owner(item.project, values["owner"])
    before = {
        name: (getattr(item, name).username if name == "owner" else getattr(item, name))
        for name in values
    }
    for name, value in values.items():
        setattr(item, name, value)
    if "status" in values:
        item.closed_at = None if status == ActionItem.Status.OPEN else (now or timezone.now())
    _validated(item)
    after = {name: (v.username if name == "owner" else v) for name, v in values.items()}
    if changes := audit.diff(before, after):
        item.version += 1
        item.save()
        audit.record(
            actor=actor,
            organization=me.organization,
            event=Event.ACTION_ITEM_UPDATED,
            target=item,
            changes=changes,
            reason=_text(reason, "reason", 2000),
        )
        if "owner" in changes and item.owner_id != previous_owner.pk:
            _tell_owner(item, actor)
    return item


def notify_overdue_action_items(*, now: datetime | None = None) -> int:
    """Tell each owner once (per item and due date) that an open action item went overdue.

    An item is overdue once its due date has passed in its owner's time zone. Safe to
    run any number of times; catches up after downtime. Returns how many were told.
    """
    now = now or timezone.now()
    told = 0
    candidates = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, due_date__lt=(now + timedelta(days=1)).date()
    ).select_related("owner", "project", "meeting")
    for item in candidates:
        try:
            today = now.astimezone(zoneinfo.ZoneInfo(item.owner.time_zone)).date()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            today = now.date()
        if (
            not item.is_overdue(today)
            or not ProjectMember.objects.filter(project=item.project, user=item.owner).exists()
        ):
            continue
        with transaction.atomic():
            told += len(
                notify(
                    kind=Kind.ACTION_ITEM_OVERDUE,
                    recipients=[item.owner],
                    about=item,
                    title=f"{item.project.code}: overdue — {item.title}",
                    body=f"It was due {item.due_date:%-d %b %Y}.",
                    url=reverse("my-action-items"),
                    project=item.project,
                    dedupe_key=f"action-item-overdue:{item.pk}:{item.due_date.isoformat()}",
                )
            )
    return told


# Files ----------------------------------------------------------------------------------


@transaction.atomic
def attach_file(*, actor: User, meeting: Meeting, upload: UploadedFile) -> MeetingAttachment:
    """Attach a file to a meeting (size and type checked; stored outside the web root)."""
    member = ensure_can(actor, meeting.project, Action.RECORD_MEETINGS)
    return attachments.attach(
        actor=actor,
        upload=upload,
        folder="meetings",
        model=MeetingAttachment,
        project=meeting.project,
        meeting=meeting,
        record=lambda attachment, changes: audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.MEETING_FILE_ADDED,
            target=attachment,
            changes={**changes, "meeting": [None, str(meeting)]},
        ),
    )


@transaction.atomic
def remove_file(*, actor: User, attachment: MeetingAttachment, reason: str) -> None:
    """Remove a file from a meeting; the reason is kept in the audit trail."""
    member = ensure_can(actor, attachment.project, Action.RECORD_MEETINGS)
    if not (reason or "").strip():
        raise InvalidInput("Say why.", errors={"reason": ["A reason is required."]})
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.MEETING_FILE_REMOVED,
        target=attachment,
        reason=_text(reason, "reason", 2000),
        changes={"name": [attachment.original_name, None], "sha256": [attachment.sha256, None]},
    )
    attachments.discard_after_commit(attachment.storage_name)
    attachment.delete()


# Engagement -----------------------------------------------------------------------------


def thresholds(project: Project) -> EngagementThresholds:
    """The project's engagement thresholds (the defaults until the sponsor lead sets them)."""
    found = EngagementThresholds.objects.filter(project=project).first()
    return found or EngagementThresholds(project=project)


@transaction.atomic
def set_engagement_thresholds(
    *,
    actor: User,
    project: Project,
    fraction: Decimal,
    missed_of_latest: int,
    expected_version: int | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> EngagementThresholds:
    """Set when the engagement warning rises: the fraction of the baseline, and the misses."""
    member = ensure_can(actor, project, Action.SET_ENGAGEMENT)
    current = EngagementThresholds.objects.select_for_update().filter(project=project).first()
    created = current is None
    current = current or EngagementThresholds(project=project)
    if not created:
        check_version(current=current.version, expected=expected_version)
    before = {"fraction": current.fraction, "missed_of_latest": current.missed_of_latest}
    after = {"fraction": Decimal(str(fraction)), "missed_of_latest": missed_of_latest}
    current.fraction, current.missed_of_latest = after["fraction"], missed_of_latest
    _validated(current, exclude=["project"])
    changes = audit.diff({} if created else before, after)
    if changes or created:
        if not created:
            current.version += 1
        current.save()
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.ENGAGEMENT_THRESHOLDS_SET,
            target=current,
            changes=changes,
            reason=_text(reason, "reason", 2000),
        )
        for series in project.meeting_series.all():
            refresh_engagement(series=series, now=now)
    return current


@dataclass(frozen=True)
class Point:
    """One meeting on the attendance chart: key members present of those counted."""

    meeting_id: Any
    starts_at: datetime
    present: int
    counted: int

    @property
    def rate(self) -> float:
        return self.present / self.counted if self.counted else 0.0


@dataclass(frozen=True)
class Missing:
    """A key member who missed meetings of the latest window."""

    username: str
    name: str
    missed: int


@dataclass(frozen=True)
class Engagement:
    """The engagement signal of a series, and the numbers behind it.

    The rule: per meeting held (started, not cancelled, attendance taken), count the
    series' key members recorded present or absent; excused members and those not
    recorded are left out (an excused absence is not a miss). The baseline is the
    pooled rate of the first three such meetings; the latest rate is that of the last
    three, once there are at least four (so the window reaches past the baseline).
    A warning stands when the latest rate is below `fraction` × baseline, or when a
    key member was absent from `missed_of_latest` (default 2) of the latest three.
    """

    series_id: Any
    series_name: str
    fraction: Decimal
    missed_of_latest: int
    points: list[Point] = field(default_factory=list)
    baseline: float | None = None
    latest: float | None = None
    missing: list[Missing] = field(default_factory=list)

    @property
    def below_baseline(self) -> bool:
        return (
            self.baseline is not None
            and self.latest is not None
            and self.baseline > 0
            and self.latest < float(self.fraction) * self.baseline
        )

    @property
    def warning(self) -> bool:
        return self.below_baseline or bool(self.missing)

    @property
    def threshold(self) -> float | None:
        return None if self.baseline is None else float(self.fraction) * self.baseline

    @property
    def message(self) -> str:
        """The warning in one paragraph: the series, the numbers, the people."""
        if not self.warning:
            return ""
        parts = []
        if self.below_baseline:
            parts.append(
                f"key members' attendance over the latest {WINDOW} meetings is "
                f"{self.latest:.0%}, below {float(self.fraction):.0%} of the baseline "
                f"{self.baseline:.0%} set by the first {WINDOW}"
            )
        if self.missing:
            who = ", ".join(f"{m.name} (missed {m.missed} of {WINDOW})" for m in self.missing)
            parts.append(f"missing from the latest meetings: {who}")
        return f"Engagement in {self.series_name}: " + "; ".join(parts) + "."


def engagement(series: MeetingSeries, *, now: datetime | None = None) -> Engagement:
    """Compute the engagement signal of `series` as of `now` (see `Engagement`)."""
    now = now or timezone.now()
    limits = thresholds(series.project)
    keys = {a.user_id: a.user for a in series.attendees.filter(is_key=True).select_related("user")}
    meetings = list(
        series.meetings.filter(starts_at__lte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
    )
    records: dict[Any, dict[Any, str]] = {m.pk: {} for m in meetings}
    for row in Attendance.objects.filter(meeting__in=meetings, user_id__in=keys):
        records[row.meeting_id][row.user_id] = row.status
    points: list[Point] = []
    held: list[Meeting] = []
    for meeting in meetings:
        statuses = [s for s in records[meeting.pk].values() if s != Attendance.Status.EXCUSED]
        if not statuses:
            continue
        held.append(meeting)
        present = sum(s == Attendance.Status.PRESENT for s in statuses)
        points.append(Point(meeting.pk, meeting.starts_at, present, len(statuses)))

    def pooled(window: list[Point]) -> float:
        return sum(p.present for p in window) / sum(p.counted for p in window)

    baseline = pooled(points[:WINDOW]) if len(points) >= WINDOW else None
    latest = pooled(points[-WINDOW:]) if len(points) > WINDOW else None
    missing: list[Missing] = []
    if len(held) >= WINDOW:
        window = held[-WINDOW:]
        for user_id, user in keys.items():
            missed = sum(records[m.pk].get(user_id) == Attendance.Status.ABSENT for m in window)
            if missed >= limits.missed_of_latest:
                missing.append(Missing(user.username, user.display_name, missed))
        missing.sort(key=lambda m: (-m.missed, m.name))
    return Engagement(
        series_id=series.pk,
        series_name=series.name,
        fraction=limits.fraction,
        missed_of_latest=limits.missed_of_latest,
        points=points,
        baseline=baseline,
        latest=latest,
        missing=missing,
    )


def refresh_engagement(*, series: MeetingSeries, now: datetime | None = None) -> Engagement:
    """Raise or clear the series' warning as the record now says; tell the leads of a new one.

    Each warning episode is told once (the notification's dedupe key names the episode);
    a warning that clears and comes back is a new episode.
    """
    result = engagement(series, now=now)
    series = MeetingSeries.objects.select_for_update().select_related("project").get(pk=series.pk)
    if result.warning and series.warning_since is None:
        series.warning_since = now or timezone.now()
        series.warning_episodes += 1
        series.save(update_fields=["warning_since", "warning_episodes"])
        audit.record(
            actor=None,
            organization=None,
            event=Event.ENGAGEMENT_WARNING_RAISED,
            target=series,
            changes={
                "baseline": [None, result.baseline],
                "latest": [None, result.latest],
                "missing": [None, [m.username for m in result.missing]],
            },
            reason=result.message,
        )
        leads = User.objects.filter(
            project_memberships__project=series.project,
            project_memberships__role__in=[Role.SPONSOR_LEAD, Role.PARTNER_LEAD],
        )
        notify(
            kind=Kind.ENGAGEMENT_WARNING,
            recipients=leads,
            about=series,
            title=f"{series.project.code}: attendance of {series.name} fell",
            body=result.message,
            url=reverse("meeting-series", args=[series.project_id, series.pk]),
            project=series.project,
            dedupe_key=f"engagement:{series.pk}:{series.warning_episodes}",
        )
    elif not result.warning and series.warning_since is not None:
        since = series.warning_since
        series.warning_since = None
        series.save(update_fields=["warning_since"])
        audit.record(
            actor=None,
            organization=None,
            event=Event.ENGAGEMENT_WARNING_CLEARED,
            target=series,
            changes={"warning_since": [since, None], "latest": [None, result.latest]},
        )
    return result


def refresh_all_engagement(*, now: datetime | None = None) -> int:
    """Re-evaluate every series (meetings start as time passes); returns warnings standing."""
    standing = 0
    for series in MeetingSeries.objects.select_related("project"):
        with transaction.atomic():
            standing += refresh_engagement(series=series, now=now).warning
    return standing


# Calendar feed --------------------------------------------------------------------------


@transaction.atomic
def reset_calendar_feed(*, actor: User) -> CalendarFeed:
    """Give `actor` a new secret calendar address; the old one stops working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
    replaced = feed is not None
    feed = feed or CalendarFeed(user=actor)
    feed.token = secrets.token_urlsafe(32)
    feed.save()
    audit.record(
        actor=actor,
        organization=home_organization(actor),
        event=Event.CALENDAR_FEED_RESET,
        target=feed,
        changes={"replaced": [None, replaced]},
    )
    return feed


def calendar_feed(*, actor: User) -> CalendarFeed:
    """`actor`'s calendar feed, created on first use."""
    return CalendarFeed.objects.filter(user=actor).first() or reset_calendar_feed(actor=actor)


def feed_owner(token: str) -> User | None:
    """The active person whose calendar address carries `token`, if any."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.filter(token=token, user__is_active=True).select_related("user")
    found = feed.first()
    return found.user if found else None
