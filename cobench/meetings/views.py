"""The meetings' pages: series, meetings, action items, files, engagement and calendars.

Each view parses the request, calls one service or restricted query, and renders.
Every object comes through `get_visible`, so another project's object is a 404.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cobench.core import attachments
from cobench.core.access import get_visible
from cobench.core.errors import InvalidInput, StaleVersion
from cobench.core.permissions import Action
from cobench.core.web import FORM_ERRORS, attach, is_htmx, page, posted, submit
from cobench.tenancy.access import AuthenticatedRequest, ensure_can, project_context, project_for
from cobench.tenancy.models import Project

from . import calendar, services
from .forms import (
    ActionItemForm,
    FileForm,
    ItemStatusForm,
    MeetingTimeForm,
    NotesForm,
    RemoveFileForm,
    ScheduleForm,
    SeriesForm,
    ThresholdsForm,
)
from .models import ActionItem, Attendance, Meeting, MeetingAttachment, MeetingSeries


def _series(request: AuthenticatedRequest, project: Project, series_id: UUID) -> MeetingSeries:
    return get_visible(
        MeetingSeries.objects.select_related("project"),
        request.user,
        pk=series_id,
        project=project,
    )


def _meeting(request: AuthenticatedRequest, project: Project, meeting_id: UUID) -> Meeting:
    return get_visible(
        Meeting.objects.select_related("project", "series"),
        request.user,
        pk=meeting_id,
        project=project,
    )


def _wall_clock(value: datetime | None) -> datetime | None:
    """A form's time as typed (forms read it in the viewer's zone; the meeting names its own)."""
    return timezone.make_naive(value) if value is not None else None


def _in_zone(value: datetime, zone: str) -> str:
    """`value` as a wall-clock time in `zone`, for a datetime-local input."""
    return value.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def _chart(result: services.Engagement, zone_name: str) -> dict[str, Any]:
    zone = timezone.get_current_timezone() if zone_name == "" else zoneinfo.ZoneInfo(zone_name)
    return {
        "labels": [p.starts_at.astimezone(zone).strftime("%-d %b") for p in result.points],
        "rates": [round(p.rate * 100, 1) for p in result.points],
        "baseline": None if result.baseline is None else round(result.baseline * 100, 1),
        "threshold": None if result.threshold is None else round(result.threshold * 100, 1),
    }


# Series -----------------------------------------------------------------------------------


def _series_initial(series: MeetingSeries) -> dict[str, Any]:
    attendees = list(series.attendees.select_related("user"))
    return {
        "name": series.name,
        "cadence": series.cadence,
        "weekday": series.weekday,
        "week_of_month": series.week_of_month,
        "local_time": series.local_time,
        "duration_minutes": series.duration_minutes,
        "time_zone": series.time_zone,
        "attendees": [a.user.username for a in attendees],
        "key_members": [a.user.username for a in attendees if a.is_key],
        "description": series.description,
        "version": series.version,
    }


@page
def series_list(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    context = project_context(request, project, "meetings")
    form, status = None, 200
    if context["can"]["manage_meetings"]:
        members = services.project_members(project)
        form = SeriesForm(
            posted(request),
            project=project,
            initial={
                "cadence": "weekly",
                "weekday": 1,
                "time_zone": project.sponsor.time_zone,
                "attendees": list(members),
                "key_members": [u for u, m in members.items() if m.is_key],
            },
        )
    if request.method == "POST":
        ensure_can(request.user, project, Action.MANAGE_MEETINGS)
    if form is not None and form.is_bound:  # posted by someone who may

        def create(data: dict[str, Any]) -> MeetingSeries:
            fields = dict(data)
            fields.pop("version")
            return services.create_series(actor=request.user, project=project, **fields)

        outcome = submit(request, form, create)
        if outcome.done:
            series = outcome.result
            messages.success(request, f"{series.name} is set up. Schedule its first meeting.")
            return redirect("meeting-series", project_id=project.pk, series_id=series.pk)
        status = outcome.status
    rows = []
    now = timezone.now()
    for series in MeetingSeries.objects.visible_to(request.user).filter(project=project):
        upcoming = (
            series.meetings.filter(starts_at__gte=now, status=Meeting.Status.SCHEDULED)
            .order_by("starts_at")
            .first()
        )
        rows.append({"series": series, "next": upcoming, "engagement": services.engagement(series)})
    return render(
        request,
        "meetings/series_list.html",
        {**context, "rows": rows, "form": form},
        status=status,
    )


@page
def series_detail(request: AuthenticatedRequest, project_id: UUID, series_id: UUID) -> HttpResponse:
    """The series: its meetings, attendance chart, engagement; POST schedules a meeting."""
    project = project_for(request, project_id)
    series = _series(request, project, series_id)
    context = project_context(request, project, "meetings")
    form = ScheduleForm(posted(request), initial={"time_zone": series.time_zone})
    if request.method == "POST":
        ensure_can(request.user, project, Action.MANAGE_MEETINGS)
    outcome = submit(
        request,
        form,
        lambda data: services.schedule_meeting(
            actor=request.user,
            series=series,
            starts_at=_wall_clock(data["starts_at"]),
            time_zone=data["time_zone"] or series.time_zone,
            title=data["title"],
            agenda=data["agenda"],
        ),
    )
    if outcome.done:
        meeting = outcome.result
        messages.success(request, f"Meeting scheduled for {meeting.starts_at:%-d %b %Y}.")
        return redirect("meeting-detail", project_id=project.pk, meeting_id=meeting.pk)
    result = services.engagement(series)
    feed = services.calendar_feed(actor=request.user)
    return render(
        request,
        "meetings/series_detail.html",
        {
            **context,
            "series": series,
            "attendees": series.attendees.select_related("user"),
            "meetings": series.meetings.order_by("-starts_at"),
            "engagement": result,
            "chart": _chart(result, ""),
            "form": form,
            "next_slot": services.next_slot(
                series,
                max(
                    filter(
                        None,
                        [
                            timezone.now(),
                            series.meetings.order_by("-starts_at")
                            .values_list("starts_at", flat=True)
                            .first(),
                        ],
                    )
                ),
            ),
            "feed_url": request.build_absolute_uri(reverse("calendar-feed", args=[feed.token])),
        },
        status=outcome.status,
    )


@page
def series_edit(request: AuthenticatedRequest, project_id: UUID, series_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    series = _series(request, project, series_id)
    ensure_can(request.user, project, Action.MANAGE_MEETINGS)
    form = SeriesForm(posted(request), project=project, initial=_series_initial(series))

    def update(data: dict[str, Any]) -> Any:
        fields = dict(data)
        version = fields.pop("version")
        return services.update_series(
            actor=request.user, series=series, expected_version=version, **fields
        )

    outcome = submit(request, form, update)
    if outcome.done:
        messages.success(request, f"{series.name} is saved.")
        return redirect("meeting-series", project_id=project.pk, series_id=series.pk)
    return render(
        request,
        "meetings/series_edit.html",
        {**project_context(request, project, "meetings"), "series": series, "form": form},
        status=outcome.status,
    )


@page
def series_ics(request: AuthenticatedRequest, project_id: UUID, series_id: UUID) -> HttpResponse:
    """The series as an iCalendar file, for the signed-in member."""
    project = project_for(request, project_id)
    series = _series(request, project, series_id)
    response = HttpResponse(
        calendar.series_calendar(series), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{project.code}-series.ics"'
    return response


# Meetings -----------------------------------------------------------------------------------


def _attendance_rows(meeting: Meeting) -> list[dict[str, Any]]:
    recorded = {a.user_id: a.status for a in meeting.attendance.all()}
    expected = {a.user_id: a.is_key for a in meeting.series.attendees.all()}
    rows = []
    for member in services.project_members(meeting.project).values():
        uid = member.user_id
        if uid in expected or uid in recorded:
            rows.append(
                {
                    "user": member.user,
                    "organization": member.organization.name,
                    "is_key": expected.get(uid, False),
                    "expected": uid in expected,
                    "status": recorded.get(uid, ""),
                }
            )
    rows.sort(key=lambda r: (not r["expected"], not r["is_key"], r["user"].display_name))
    return rows


@page
def meeting_detail(
    request: AuthenticatedRequest, project_id: UUID, meeting_id: UUID
) -> HttpResponse:
    """A meeting: agenda and minutes, attendance, action items and files.

    One URL takes every form of the page; the posted `form` field says which.
    """
    project = project_for(request, project_id)
    meeting = _meeting(request, project, meeting_id)
    context = project_context(request, project, "meetings")
    which = request.POST.get("form", "") if request.method == "POST" else ""
    zone = meeting.time_zone
    forms_: dict[str, forms.Form] = {
        "notes": NotesForm(
            posted(request) if which == "notes" else None,
            initial={
                "agenda": meeting.agenda,
                "minutes": meeting.minutes,
                "version": meeting.version,
            },
        ),
        "time": MeetingTimeForm(
            posted(request) if which == "time" else None,
            initial={
                "title": meeting.title,
                "starts_at": _in_zone(meeting.starts_at, zone),
                "ends_at": _in_zone(meeting.ends_at, zone),
                "time_zone": zone,
                "version": meeting.version,
            },
        ),
        "item": ActionItemForm(posted(request) if which == "item" else None, project=project),
        "file": FileForm(
            posted(request) if which == "file" else None,
            request.FILES if which == "file" else None,
        ),
    }
    status = 200
    attendance_error = ""
    if request.method == "POST":
        status = 422
        done = None
        try:
            done = _handle(request, meeting, which, forms_)
        except StaleVersion as exc:
            status = exc.status
            target = forms_.get(which)
            if target is not None:
                attach(target, exc)
            else:
                attendance_error = exc.detail
        except FORM_ERRORS as exc:
            status = exc.status
            target = forms_.get(which)
            if target is not None:
                attach(target, exc)
            else:
                attendance_error = exc.detail + "".join(
                    f" {m}" for msgs in exc.errors.values() for m in msgs
                )
        if done:
            messages.success(request, done)
            return redirect("meeting-detail", project_id=project.pk, meeting_id=meeting.pk)
    meeting.refresh_from_db()
    today = timezone.localdate()
    items = ActionItem.objects.visible_to(request.user).filter(meeting=meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            **context,
            "meeting": meeting,
            "series": meeting.series,
            "forms": forms_,
            "attendance": _attendance_rows(meeting),
            "attendance_error": attendance_error,
            "statuses": Attendance.Status.choices,
            "items": [
                {"item": i, "overdue": i.is_overdue(today)} for i in items.select_related("owner")
            ],
            "files": meeting.attachments.all(),
            "local_start": meeting.starts_at.astimezone(zoneinfo.ZoneInfo(zone)),
        },
        status=status,
    )


def _handle(
    request: AuthenticatedRequest, meeting: Meeting, which: str, forms_: dict[str, forms.Form]
) -> str | None:
    """Run the posted form; the success message, or None when the form has errors."""
    user = request.user
    if which == "attendance":
        post = request.POST
        entries = {key[4:]: post[key] for key in post if key.startswith("att-") and post[key]}
        services.set_attendance(actor=user, meeting=meeting, entries=entries)
        return "Attendance saved."
    if which == "remove_file":
        removal = RemoveFileForm(request.POST)
        if not removal.is_valid():
            raise InvalidInput("Say why the file goes.", errors={"reason": ["Required."]})
        attachment = get_visible(
            MeetingAttachment.objects, user, pk=removal.cleaned_data["file_id"], meeting=meeting
        )
        services.remove_file(
            actor=user, attachment=attachment, reason=removal.cleaned_data["reason"]
        )
        return f"{attachment.original_name} was removed."
    if which == "item_status":
        return _item_status(request, meeting=meeting)
    form = forms_.get(which)
    if form is None:
        raise InvalidInput("Unknown form.", errors={"form": ["Reload the page and try again."]})
    if not form.is_valid():
        return None
    data = form.cleaned_data
    if which == "notes":
        services.update_meeting(
            actor=user,
            meeting=meeting,
            expected_version=data["version"],
            agenda=data["agenda"],
            minutes=data["minutes"],
        )
        return "Agenda and minutes saved."
    if which == "time":
        services.update_meeting(
            actor=user,
            meeting=meeting,
            expected_version=data["version"],
            title=data["title"],
            time_zone=data["time_zone"],
            starts_at=_wall_clock(data["starts_at"]),
            ends_at=_wall_clock(data["ends_at"]),
            status=request.POST.get("status", meeting.status),
        )
        return "The meeting is saved."
    if which == "item":
        item = services.add_action_item(actor=user, meeting=meeting, **data)
        return f"Action item for {item.owner.display_name} added."
    if which == "file":
        attachment = services.attach_file(actor=user, meeting=meeting, upload=data["file"])
        return f"{attachment.original_name} is attached."
    return None


def _item_status(request: AuthenticatedRequest, *, meeting: Meeting | None = None) -> str:
    form = ItemStatusForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose a status.", errors={"status": ["open, done or cancelled."]})
    lookup: dict[str, Any] = {"pk": form.cleaned_data["item"]}
    if meeting is not None:
        lookup["meeting"] = meeting
    item = get_visible(ActionItem.objects.select_related("project"), request.user, **lookup)
    item = services.update_action_item(
        actor=request.user,
        item=item,
        expected_version=form.cleaned_data["version"],
        status=form.cleaned_data["status"],
    )
    return f"“{item.title}” is {item.get_status_display().lower()}."


@page
def meeting_file(request: AuthenticatedRequest, project_id: UUID, file_id: UUID) -> HttpResponse:
    """Download a meeting's file: only for members of its project."""
    project = project_for(request, project_id)
    attachment = get_visible(MeetingAttachment.objects, request.user, pk=file_id, project=project)
    return attachments.file_response(attachment)


# Engagement thresholds ------------------------------------------------------------------------


@page
def engagement_settings(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    current = services.thresholds(project)
    context = project_context(request, project, "meetings")
    form = ThresholdsForm(
        posted(request),
        initial={
            "fraction": current.fraction,
            "missed_of_latest": current.missed_of_latest,
            "version": current.version if current.pk else None,
        },
    )
    if request.method == "POST":
        ensure_can(request.user, project, Action.SET_ENGAGEMENT)
    outcome = submit(
        request,
        form,
        lambda data: services.set_engagement_thresholds(
            actor=request.user,
            project=project,
            fraction=data["fraction"],
            missed_of_latest=data["missed_of_latest"],
            expected_version=data["version"],
            reason=data["reason"],
        ),
    )
    if outcome.done:
        messages.success(request, "The engagement thresholds are saved.")
        return redirect("meeting-series-list", project_id=project.pk)
    return render(
        request,
        "meetings/engagement_settings.html",
        {**context, "form": form, "current": current},
        status=outcome.status,
    )


# The signed-in person's own pages ---------------------------------------------------------------


@page
def my_action_items(request: AuthenticatedRequest) -> HttpResponse:
    """Action items the person owns across their projects; overdue ones marked."""
    status = 200
    if request.method == "POST":
        try:
            done = _item_status(request)
        except FORM_ERRORS as exc:
            messages.error(request, exc.detail)
            status = exc.status
        else:
            if not is_htmx(request):
                messages.success(request, done)
                return redirect("my-action-items")
    show = request.GET.get("show", "open")
    items = (
        ActionItem.objects.visible_to(request.user)
        .filter(owner=request.user)
        .select_related("project", "meeting", "meeting__series")
    )
    if show != "all":
        items = items.filter(status=ActionItem.Status.OPEN)
    today = timezone.localdate()
    rows = [{"item": i, "overdue": i.is_overdue(today)} for i in items]
    return render(
        request,
        "meetings/my_action_items.html",
        {"rows": rows, "show": show, "overdue": sum(r["overdue"] for r in rows)},
        status=status,
    )


@page
def my_calendar(request: AuthenticatedRequest) -> HttpResponse:
    """The person's secret calendar address; POST replaces it."""
    if request.method == "POST":
        feed = services.reset_calendar_feed(actor=request.user)
        messages.success(request, "Your calendar address is replaced; the old one stops working.")
        return redirect("my-calendar")
    feed = services.calendar_feed(actor=request.user)
    return render(
        request,
        "meetings/my_calendar.html",
        {"feed_url": request.build_absolute_uri(reverse("calendar-feed", args=[feed.token]))},
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's meetings as iCalendar, for calendar apps: the secret token is the key."""
    user = services.feed_owner(token)
    if user is None or request.method not in ("GET", "HEAD"):
        raise Http404()
    response = HttpResponse(
        calendar.user_calendar(user), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
