"""Concerns: what either side raises, its life cycle, its comments and its escalations."""

import uuid

from django.conf import settings
from django.db import models

from cobench.tenancy.models import Organization, Project

from .querysets import CommentQuerySet, ConcernQuerySet, EscalationQuerySet


class Concern(models.Model):
    """A worry one side raises with another; it escalates along the charter's ladder if ignored.

    A confidential concern hides `raised_by` from the other organization and from
    executives (see `cobench.concerns.services.raiser_shown`); never show it directly.
    """

    class Category(models.TextChoices):
        TECHNICAL = "technical", "Technical"
        TIMELINE = "timeline", "Timeline"
        QUALITY = "quality", "Quality"
        SAFETY = "safety", "Safety"
        COMMUNICATION = "communication", "Communication"
        IP = "ip", "IP"
        OTHER = "other", "Other"

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"
        CRITICAL = "critical", "Critical"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="concerns")
    number = models.PositiveIntegerField(help_text="Per project: concern #1, #2, ...")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=20_000)
    category = models.CharField(max_length=20, choices=Category.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    link = models.CharField(
        max_length=500, blank=True, help_text="Optional: a page this concern is about"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
        help_text="Optional: the meeting this concern is about (of the same project)",
    )
    addressed_to = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organization expected to respond",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_by_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    confidential = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True, max_length=20_000)
    raised_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True, help_text="The first time")
    resolved_at = models.DateTimeField(null=True, blank=True, help_text="The first time")
    closed_at = models.DateTimeField(null=True, blank=True)
    level = models.PositiveSmallIntegerField(
        default=1, help_text="The escalation ladder's level the concern is at"
    )
    clock_started_at = models.DateTimeField(
        help_text="When the current level's response time started counting"
    )
    version = models.PositiveIntegerField(default=1)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="uniq_concern_number")
        ]

    def __str__(self) -> str:
        # never the raiser: this label is copied into the audit trail
        return f"Concern #{self.number}: {self.title}"

    @property
    def is_active(self) -> bool:
        """Waiting for a response (its escalation clock runs)."""
        return self.state in (self.State.OPEN, self.State.ACKNOWLEDGED, self.State.IN_PROGRESS)


class Comment(models.Model):
    """One message in a concern's thread; a confidential raiser's comments hide their name too."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=20_000)
    created_at = models.DateTimeField()

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment on {self.concern}"

    @property
    def project_id(self):
        return self.concern.project_id


class Escalation(models.Model):
    """A concern moved up one level of the ladder because a response was overdue.

    One row per concern and level (a database constraint): running the job twice
    cannot escalate twice.
    """

    class Missed(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", "Not acknowledged in time"
        RESOLUTION = "resolution", "Not resolved in time"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="escalations")
    from_level = models.PositiveSmallIntegerField()
    to_level = models.PositiveSmallIntegerField()
    missed = models.CharField(max_length=20, choices=Missed.choices)
    deadline = models.DateTimeField(help_text="The response deadline that passed")
    escalated_at = models.DateTimeField()

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["concern", "to_level"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "to_level"], name="uniq_concern_escalation")
        ]

    def __str__(self) -> str:
        return f"{self.concern} escalated to level {self.to_level}"

    @property
    def project_id(self):
        return self.concern.project_id
