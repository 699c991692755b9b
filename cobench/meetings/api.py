"""JSON API for meeting series, meetings, attendance, action items, engagement and calendars."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from cobench.api.concurrency import expected_version, set_etag
from cobench.api.schemas import Input
from cobench.core import attachments
from cobench.core.access import get_visible
from cobench.core.errors import InvalidInput
from cobench.tenancy.access import AuthenticatedRequest, project_for

from . import calendar, services
from .models import ActionItem, Meeting, MeetingAttachment, MeetingSeries

router = Router(tags=["meetings"])

Cadence = Literal["weekly", "biweekly", "monthly"]
AttendanceStatus = Literal["present", "absent", "excused"]
ItemStatus = Literal["open", "done", "cancelled"]
WeekOfMonth = Literal[1, 2, 3, 4, -1]
Usernames = Field(None, max_length=500)
Zone = Field(max_length=64, examples=["Europe/Berlin"])


class AttendeeOut(Schema):
    username: str
    name: str
    is_key: bool


class SeriesOut(Schema):
    id: UUID
    project_id: UUID
    name: str
    description: str
    cadence: Cadence
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    week_of_month: int
    local_time: time
    duration_minutes: int
    time_zone: str
    attendees: list[AttendeeOut]
    engagement_warning: bool
    calendar_url: str
    version: int


class SeriesIn(Input):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=20_000)
    cadence: Cadence = "weekly"
    weekday: int = Field(1, ge=0, le=6, description="0 = Monday … 6 = Sunday")
    week_of_month: WeekOfMonth = Field(1, description="Monthly series: 1-4, or -1 for the last")
    local_time: str = Field(
        max_length=8, description="Start in the series' time zone, HH:MM", examples=["15:00"]
    )
    duration_minutes: int = Field(60, ge=5, le=1440)
    time_zone: str = Zone
    attendees: list[str] | None = Field(
        None, max_length=500, description="Usernames; every member by default"
    )
    key_members: list[str] | None = Field(
        None, max_length=500, description="Usernames; members marked key by default"
    )


class SeriesPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    cadence: Cadence | None = None
    weekday: int | None = Field(None, ge=0, le=6)
    week_of_month: WeekOfMonth | None = None
    local_time: str | None = Field(None, max_length=8, examples=["15:00"])
    duration_minutes: int | None = Field(None, ge=5, le=1440)
    time_zone: str | None = Field(None, max_length=64)
    attendees: list[str] | None = Usernames
    key_members: list[str] | None = Usernames
    version: int | None = Field(None, ge=1)


class AttendanceOut(Schema):
    username: str
    name: str
    status: AttendanceStatus


class MeetingFileOut(Schema):
    id: UUID
    meeting_id: UUID
    name: str = Field(alias="original_name")
    content_type: str
    size: int
    sha256: str
    uploaded_by: str = Field(alias="uploaded_by_label")
    uploaded_at: datetime


class MeetingOut(Schema):
    id: UUID
    project_id: UUID
    series_id: UUID
    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    status: Literal["scheduled", "cancelled"]
    agenda: str
    minutes: str
    attendance: list[AttendanceOut]
    files: list[MeetingFileOut]
    version: int


class MeetingIn(Input):
    starts_at: datetime | None = Field(
        None,
        description="Without an offset, read in `time_zone`; omitted: the cadence's next slot",
    )
    ends_at: datetime | None = Field(None, description="Default: the series' duration")
    time_zone: str | None = Field(None, max_length=64, description="Default: the series' zone")
    title: str = Field("", max_length=200)
    agenda: str = Field("", max_length=services.MAX_TEXT)


class MeetingPatch(Input):
    title: str | None = Field(None, max_length=200)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    time_zone: str | None = Field(None, max_length=64)
    status: Literal["scheduled", "cancelled"] | None = None
    agenda: str | None = Field(None, max_length=services.MAX_TEXT)
    minutes: str | None = Field(None, max_length=services.MAX_TEXT)
    version: int | None = Field(None, ge=1)


class AttendanceEntry(Input):
    username: str = Field(min_length=1, max_length=150)
    status: AttendanceStatus


class AttendanceIn(Input):
    attendance: list[AttendanceEntry] = Field(max_length=500)


class OwnerOut(Schema):
    username: str
    name: str


class ActionItemOut(Schema):
    id: UUID
    project_id: UUID
    project_code: str
    meeting_id: UUID
    title: str
    owner: OwnerOut
    due_date: date
    status: ItemStatus
    overdue: bool
    created_at: datetime
    version: int


class ActionItemIn(Input):
    title: str = Field(min_length=1, max_length=300)
    owner: str = Field(min_length=1, max_length=150, description="A member's username")
    due_date: date


class ActionItemPatch(Input):
    title: str | None = Field(None, min_length=1, max_length=300)
    owner: str | None = Field(None, min_length=1, max_length=150)
    due_date: date | None = None
    status: ItemStatus | None = None
    version: int | None = Field(None, ge=1)
    reason: str = Field("", max_length=2000)


class AttendancePointOut(Schema):
    meeting_id: UUID
    starts_at: datetime
    present: int
    counted: int
    rate: float


class MissingOut(Schema):
    username: str
    name: str
    missed: int


class EngagementOut(Schema):
    series_id: UUID
    series_name: str
    warning: bool
    message: str
    below_baseline: bool
    baseline: float | None
    latest: float | None
    threshold: float | None = Field(description="fraction × baseline")
    fraction: Decimal
    missed_of_latest: int
    missing: list[MissingOut]
    points: list[AttendancePointOut]


class ThresholdsOut(Schema):
    fraction: Decimal
    missed_of_latest: int
    version: int


class ThresholdsIn(Input):
    fraction: Decimal = Field(ge=Decimal("0.05"), le=Decimal("1"), decimal_places=2)
    missed_of_latest: int = Field(ge=1, le=3)
    version: int | None = Field(None, ge=1)
    reason: str = Field("", max_length=2000)


class CalendarOut(Schema):
    url: str = Field(description="Your secret calendar address: anyone holding it reads it")


# helpers --------------------------------------------------------------------------------


def _series_out(series: MeetingSeries) -> dict:
    return {
        **{
            k: getattr(series, k)
            for k in (
                "id",
                "project_id",
                "name",
                "description",
                "cadence",
                "weekday",
                "week_of_month",
                "local_time",
                "duration_minutes",
                "time_zone",
                "version",
            )
        },
        "attendees": [
            {"username": a.user.username, "name": a.user.display_name, "is_key": a.is_key}
            for a in series.attendees.select_related("user")
        ],
        "engagement_warning": series.warning_since is not None,
        "calendar_url": reverse("api:series_calendar", args=[series.pk]),
    }


def _meeting_out(meeting: Meeting) -> dict:
    return {
        **{
            k: getattr(meeting, k)
            for k in (
                "id",
                "project_id",
                "series_id",
                "title",
                "starts_at",
                "ends_at",
                "time_zone",
                "status",
                "agenda",
                "minutes",
                "version",
            )
        },
        "attendance": [
            {"username": a.user.username, "name": a.user.display_name, "status": a.status}
            for a in meeting.attendance.select_related("user")
        ],
        "files": list(meeting.attachments.all()),
    }


def _item_out(item: ActionItem) -> dict:
    return {
        **{
            k: getattr(item, k)
            for k in (
                "id",
                "project_id",
                "meeting_id",
                "title",
                "due_date",
                "status",
                "created_at",
                "version",
            )
        },
        "project_code": item.project.code,
        "owner": {"username": item.owner.username, "name": item.owner.display_name},
        "overdue": item.is_overdue(timezone.localdate()),
    }


def _series(request: AuthenticatedRequest, series_id: UUID) -> MeetingSeries:
    return get_visible(MeetingSeries.objects.select_related("project"), request.user, pk=series_id)


def _meeting(request: AuthenticatedRequest, meeting_id: UUID) -> Meeting:
    return get_visible(
        Meeting.objects.select_related("project", "series"), request.user, pk=meeting_id
    )


def _items(request: AuthenticatedRequest):
    return ActionItem.objects.visible_to(request.user).select_related("owner", "project")


def _sent(payload: Schema) -> dict:
    sent = payload.dict(exclude_unset=True, exclude={"version", "reason"})
    fields = {k: v for k, v in sent.items() if v is not None}
    if "local_time" in fields:
        fields["local_time"] = _clock(fields["local_time"])
    return fields


def _clock(value: str) -> time:
    """A wall-clock time from 'HH:MM' (or 'HH:MM:SS')."""
    try:
        return time.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(
            "Give the start time as HH:MM.", errors={"local_time": ["A time like 15:00."]}
        ) from exc


# Series ---------------------------------------------------------------------------------


@router.get("/projects/{project_id}/meeting-series", response=list[SeriesOut])
@paginate
def list_series(request: AuthenticatedRequest, project_id: UUID):
    project = project_for(request, project_id)
    series = MeetingSeries.objects.visible_to(request.user).filter(project=project)
    return [_series_out(s) for s in series.order_by("name")]


@router.post("/projects/{project_id}/meeting-series", response={201: SeriesOut})
def create_series(request: AuthenticatedRequest, project_id: UUID, payload: SeriesIn):
    """Set up a recurring meeting (leads); attendees and key members default from members."""
    project = project_for(request, project_id)
    series = services.create_series(
        actor=request.user, project=project, **(payload.dict() | _sent(payload))
    )
    return Status(201, _series_out(series))


@router.get("/meeting-series/{series_id}", response=SeriesOut)
def get_series(request: AuthenticatedRequest, series_id: UUID, response: HttpResponse):
    series = _series(request, series_id)
    set_etag(response, series.version)
    return _series_out(series)


@router.patch("/meeting-series/{series_id}", response=SeriesOut)
def update_series(
    request: AuthenticatedRequest, series_id: UUID, payload: SeriesPatch, response: HttpResponse
):
    """Change name, cadence, time, attendees or key members; send If-Match (or `version`)."""
    series = services.update_series(
        actor=request.user,
        series=_series(request, series_id),
        expected_version=expected_version(request, payload.version),
        **_sent(payload),
    )
    set_etag(response, series.version)
    return _series_out(series)


@router.get("/meeting-series/{series_id}/engagement", response=EngagementOut)
def get_engagement(request: AuthenticatedRequest, series_id: UUID):
    """Key members' attendance against the baseline, and the warning if there is one."""
    result = services.engagement(_series(request, series_id))
    return {
        **result.__dict__,
        "warning": result.warning,
        "message": result.message,
        "below_baseline": result.below_baseline,
        "threshold": result.threshold,
        "missing": [m.__dict__ for m in result.missing],
        "points": [{**p.__dict__, "rate": p.rate} for p in result.points],
    }


@router.get(
    "/meeting-series/{series_id}/calendar.ics",
    url_name="series_calendar",
    response={200: str},
    openapi_extra={"responses": {200: {"content": {"text/calendar": {}}}}},
)
def series_calendar(request: AuthenticatedRequest, series_id: UUID):
    """The series as an iCalendar file (its meetings and its recurring cadence)."""
    series = _series(request, series_id)
    response = HttpResponse(
        calendar.series_calendar(series), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{series.project.code}-series.ics"'
    return response


# Meetings -------------------------------------------------------------------------------


@router.get("/meeting-series/{series_id}/meetings", response=list[MeetingOut])
@paginate
def list_meetings(request: AuthenticatedRequest, series_id: UUID):
    series = _series(request, series_id)
    meetings = Meeting.objects.visible_to(request.user).filter(series=series)
    return [_meeting_out(m) for m in meetings.order_by("starts_at")]


@router.post("/meeting-series/{series_id}/meetings", response={201: MeetingOut})
def schedule_meeting(request: AuthenticatedRequest, series_id: UUID, payload: MeetingIn):
    """Schedule a meeting (leads): at the given time, or the cadence's next slot."""
    meeting = services.schedule_meeting(
        actor=request.user, series=_series(request, series_id), **payload.dict()
    )
    return Status(201, _meeting_out(meeting))


@router.get("/meetings/{meeting_id}", response=MeetingOut)
def get_meeting(request: AuthenticatedRequest, meeting_id: UUID, response: HttpResponse):
    meeting = _meeting(request, meeting_id)
    set_etag(response, meeting.version)
    return _meeting_out(meeting)


@router.patch("/meetings/{meeting_id}", response=MeetingOut)
def update_meeting(
    request: AuthenticatedRequest, meeting_id: UUID, payload: MeetingPatch, response: HttpResponse
):
    """Write agenda or minutes; move, retitle or cancel (leads). Send If-Match (or `version`)."""
    meeting = services.update_meeting(
        actor=request.user,
        meeting=_meeting(request, meeting_id),
        expected_version=expected_version(request, payload.version),
        **_sent(payload),
    )
    set_etag(response, meeting.version)
    return _meeting_out(meeting)


@router.put("/meetings/{meeting_id}/attendance", response=MeetingOut)
def set_attendance(request: AuthenticatedRequest, meeting_id: UUID, payload: AttendanceIn):
    """Record present, absent or excused for members (by username); others keep theirs."""
    meeting = _meeting(request, meeting_id)
    services.set_attendance(
        actor=request.user,
        meeting=meeting,
        entries={e.username: e.status for e in payload.attendance},
    )
    return _meeting_out(meeting)


# Action items ---------------------------------------------------------------------------


@router.get("/meetings/{meeting_id}/action-items", response=list[ActionItemOut])
@paginate
def list_meeting_items(request: AuthenticatedRequest, meeting_id: UUID):
    meeting = _meeting(request, meeting_id)
    return [_item_out(i) for i in _items(request).filter(meeting=meeting)]


@router.post("/meetings/{meeting_id}/action-items", response={201: ActionItemOut})
def add_action_item(request: AuthenticatedRequest, meeting_id: UUID, payload: ActionItemIn):
    """Give a member something to do by a date; they are notified."""
    item = services.add_action_item(
        actor=request.user, meeting=_meeting(request, meeting_id), **payload.dict()
    )
    return Status(201, _item_out(item))


@router.get("/projects/{project_id}/action-items", response=list[ActionItemOut])
@paginate
def list_project_items(
    request: AuthenticatedRequest, project_id: UUID, status: ItemStatus | None = None
):
    project = project_for(request, project_id)
    items = _items(request).filter(project=project)
    return [_item_out(i) for i in (items.filter(status=status) if status else items)]


@router.get("/me/action-items", response=list[ActionItemOut], tags=["me"])
@paginate
def my_action_items(request: AuthenticatedRequest, status: ItemStatus | None = None):
    """The caller's own action items across their projects, soonest due first."""
    items = _items(request).filter(owner=request.user)
    return [_item_out(i) for i in (items.filter(status=status) if status else items)]


@router.patch("/action-items/{item_id}", response=ActionItemOut)
def update_action_item(
    request: AuthenticatedRequest, item_id: UUID, payload: ActionItemPatch, response: HttpResponse
):
    """Change title, owner, due date or status; the owner may mark their own item done."""
    item = get_visible(ActionItem.objects.select_related("project"), request.user, pk=item_id)
    item = services.update_action_item(
        actor=request.user,
        item=item,
        expected_version=expected_version(request, payload.version),
        reason=payload.reason,
        **_sent(payload),
    )
    set_etag(response, item.version)
    return _item_out(item)


# Engagement thresholds and the caller's calendar ------------------------------------------


@router.get("/projects/{project_id}/engagement-thresholds", response=ThresholdsOut)
def get_thresholds(request: AuthenticatedRequest, project_id: UUID):
    project = project_for(request, project_id)
    return services.thresholds(project)


@router.put("/projects/{project_id}/engagement-thresholds", response=ThresholdsOut)
def set_thresholds(request: AuthenticatedRequest, project_id: UUID, payload: ThresholdsIn):
    """Set the fraction of the baseline and the misses that raise the warning (sponsor lead)."""
    project = project_for(request, project_id)
    return services.set_engagement_thresholds(
        actor=request.user,
        project=project,
        fraction=payload.fraction,
        missed_of_latest=payload.missed_of_latest,
        expected_version=payload.version,
        reason=payload.reason,
    )


def _feed_url(request: AuthenticatedRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar-feed", args=[token]))


@router.get("/me/calendar", response=CalendarOut, tags=["me"])
def my_calendar(request: AuthenticatedRequest):
    """Your secret calendar address (all your meetings); subscribe to it in your calendar."""
    return {"url": _feed_url(request, services.calendar_feed(actor=request.user).token)}


@router.post("/me/calendar/reset", response=CalendarOut, tags=["me"])
def reset_my_calendar(request: AuthenticatedRequest):
    """Replace your secret calendar address; the old one stops working."""
    return {"url": _feed_url(request, services.reset_calendar_feed(actor=request.user).token)}


# Files ----------------------------------------------------------------------------------------


def _file(request: AuthenticatedRequest, file_id: UUID) -> MeetingAttachment:
    return get_visible(MeetingAttachment.objects, request.user, pk=file_id)


@router.get("/meetings/{meeting_id}/files", response=list[MeetingFileOut])
def list_files(request: AuthenticatedRequest, meeting_id: UUID):
    """The files attached to a meeting."""
    return _meeting(request, meeting_id).attachments.all()


@router.post("/meetings/{meeting_id}/files", response={201: MeetingFileOut})
def upload_file(request: AuthenticatedRequest, meeting_id: UUID, file: UploadedFile = File(...)):
    """Attach a file (multipart field `file`); size and type are checked as on the web."""
    attachment = services.attach_file(
        actor=request.user, meeting=_meeting(request, meeting_id), upload=file
    )
    return Status(201, attachment)


@router.get("/meeting-files/{file_id}", response={200: None})
def download_file(request: AuthenticatedRequest, file_id: UUID):
    """The file itself, as an attachment."""
    return attachments.file_response(_file(request, file_id))


@router.delete("/meeting-files/{file_id}", response={204: None})
def remove_file(
    request: AuthenticatedRequest,
    file_id: UUID,
    reason: str = Query(..., max_length=2000, pattern=r"^[^\x00]*$"),
):
    """Remove a file from its meeting; `reason` is required."""
    services.remove_file(actor=request.user, attachment=_file(request, file_id), reason=reason)
    return Status(204, None)
