"""Meeting series, their meetings, who attended, the action items they produced, and files."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cobench.core.attachments import StoredFile
from cobench.tenancy.models import Project, validate_time_zone

from .querysets import (
    ActionItemQuerySet,
    AttendanceQuerySet,
    EngagementThresholdsQuerySet,
    MeetingAttachmentQuerySet,
    MeetingQuerySet,
    MeetingSeriesQuerySet,
    SeriesAttendeeQuerySet,
)

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class MeetingSeries(models.Model):
    """A recurring meeting of a project: its cadence in its own time zone, and who is expected."""

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        BIWEEKLY = "biweekly", "Every two weeks"
        MONTHLY = "monthly", "Monthly"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meeting_series")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(6)], help_text="0 = Monday … 6 = Sunday"
    )
    week_of_month = models.SmallIntegerField(
        default=1,
        validators=[MinValueValidator(-1), MaxValueValidator(4)],
        help_text="Monthly series: 1-4, or -1 for the last such weekday of the month",
    )
    local_time = models.TimeField(help_text="Start time in the series' time zone")
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    # the engagement warning currently raised (None when there is none), and how many began
    warning_since = models.DateTimeField(null=True, blank=True)
    warning_episodes = models.PositiveIntegerField(default=0)

    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["project", "name"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return f"{self.name} ({self.project.code})"

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.weekday]


class SeriesAttendee(models.Model):
    """A project member expected at a series' meetings; key members' attendance is measured."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_key = models.BooleanField(default=False)

    objects = SeriesAttendeeQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["series", "user"], name="uniq_series_attendee")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.series.name}"

    @property
    def project_id(self):
        return self.series.project_id


class Meeting(models.Model):
    """One meeting of a series: when (stored in UTC, scheduled in a time zone), agenda, minutes."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["series", "starts_at"], name="meeting_series_start_idx")]

    def __str__(self) -> str:
        return f"{self.display_title} on {self.starts_at:%Y-%m-%d}"

    @property
    def display_title(self) -> str:
        return self.title or self.series.name


class Attendance(models.Model):
    """Whether one person was at one meeting: present, absent or excused."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices)
    recorded_at = models.DateTimeField(auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="uniq_meeting_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.status} at {self.meeting}"

    @property
    def project_id(self):
        return self.meeting.project_id


class ActionItem(models.Model):
    """Something a person agreed to do at a meeting, by a date."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [models.Index(fields=["owner", "status"], name="action_owner_status_idx")]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_date < today


class MeetingAttachment(StoredFile):
    """A file attached to a meeting (slides, minutes, data)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")

    objects = MeetingAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]


class EngagementThresholds(models.Model):
    """A project's engagement rule: the fraction of the baseline, and how many misses warn."""

    DEFAULT_FRACTION = Decimal("0.70")
    DEFAULT_MISSED = 2

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="engagement_thresholds"
    )
    fraction = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_FRACTION,
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
    )
    missed_of_latest = models.PositiveSmallIntegerField(
        default=DEFAULT_MISSED, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    version = models.PositiveIntegerField(default=1)

    objects = EngagementThresholdsQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Engagement thresholds of {self.project.code}"


class CalendarFeed(models.Model):
    """A person's secret calendar address: whoever holds the token reads their meetings.

    The token is kept in clear so the address can be shown again (like a calendar
    service's "secret address"); replacing it makes the old address stop working.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
