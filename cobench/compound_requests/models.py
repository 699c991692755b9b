"""Compound requests: a target compound the sponsor asks a partner to make, and their exchange."""

import uuid

from django.conf import settings
from django.db import models

from cobench.tenancy.models import Organization, Project

from .querysets import CompoundRequestQuerySet, RequestMessageQuerySet


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class State(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    PUSHED_BACK = "pushed_back", "Pushed back"
    ALTERNATIVE_PROPOSED = "alternative_proposed", "Alternative proposed"
    IN_SYNTHESIS = "in_synthesis", "In synthesis"
    MADE = "made", "Made"
    SHIPPED = "shipped", "Shipped"
    RECEIVED = "received", "Received"
    TESTED = "tested", "Tested"
    ABANDONED = "abandoned", "Abandoned"


class PushBackReason(models.TextChoices):
    SYNTHETIC_FEASIBILITY = "synthetic_feasibility", "Synthetic feasibility"
    STABILITY = "stability", "Stability"
    COST = "cost", "Cost"
    SAFETY = "safety", "Safety"
    OTHER = "other", "Other"


class CompoundRequest(models.Model):
    """A target compound the sponsor asks one partner organization to make, and why.

    Its structure is what is asked for now: accepting a partner's alternative
    replaces it (the original stays in the thread). `state` moves only through
    `services.TRANSITIONS`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="compound_requests")
    number = models.PositiveIntegerField(help_text="Per project: request #1, #2, ...")
    title = models.CharField(max_length=200, blank=True, help_text="Optional short name")
    smiles = models.TextField(help_text="Canonical SMILES (RDKit) of the requested structure")
    molblock = models.TextField(help_text="The requested structure as a molfile")
    svg = models.TextField(help_text="Its picture (RDKit SVG), drawn once when it is set")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    rationale = models.TextField(max_length=20_000, help_text="Why: the hypothesis behind it")
    due_date = models.DateField(null=True, blank=True)
    partner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The partner organization asked to make it",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=24, choices=State.choices, default=State.PROPOSED)
    compound = models.ForeignKey(
        "compounds.Compound",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The registered compound it was made as (set when marked made)",
    )
    registry_ref = models.CharField(
        max_length=200,
        blank=True,
        help_text="Free-text registry id or lot given when made, before requests linked "
        "their compound (kept readable; no longer written)",
    )
    evidence = models.ManyToManyField(
        "compounds.Compound",
        blank=True,
        related_name="+",
        help_text="Compounds of the project whose data back the rationale",
    )
    abandon_reason = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = CompoundRequestQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="uniq_request_number")
        ]

    def __str__(self) -> str:
        return f"Request #{self.number}" + (f": {self.title}" if self.title else "")

    @property
    def is_final(self) -> bool:
        return self.state in (State.TESTED, State.ABANDONED)


class RequestMessage(models.Model):
    """One step of a request's exchange: the request itself, an answer, a push-back, an
    alternative structure, or a move along the life cycle with its note."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", "Requested"
        ACCEPTED = "accepted", "Accepted"
        PUSHED_BACK = "pushed_back", "Pushed back"
        ALTERNATIVE = "alternative", "Proposed an alternative"
        ALTERNATIVE_ACCEPTED = "alternative_accepted", "Accepted the alternative"
        ANSWERED = "answered", "Answered"
        PROGRESS = "progress", "Progress"
        ABANDONED = "abandoned", "Abandoned"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(CompoundRequest, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField(help_text="Its place in the request's thread: 1, 2, ...")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    state = models.CharField(
        max_length=24, choices=State.choices, help_text="The request's state after this step"
    )
    reason = models.CharField(
        max_length=24, choices=PushBackReason.choices, blank=True, help_text="For a push-back"
    )
    text = models.TextField(blank=True, max_length=20_000)
    smiles = models.TextField(blank=True, help_text="A structure it carries (canonical SMILES)")
    molblock = models.TextField(blank=True)
    svg = models.TextField(blank=True)
    created_at = models.DateTimeField()

    objects = RequestMessageQuerySet.as_manager()

    class Meta:
        ordering = ["request", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["request", "seq"], name="uniq_request_message_seq")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.request}"

    @property
    def project_id(self):
        return self.request.project_id
