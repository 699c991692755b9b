"""Organizations, people and the projects they share."""

import uuid
import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from cobench.core.permissions import Role

from .querysets import ProjectMemberQuerySet, ProjectPartnerQuerySet, ProjectQuerySet


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"'{value}' is not a known time zone (e.g. Europe/Berlin).") from exc


class User(AbstractUser):
    """A person who signs in; their times are shown in their own time zone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Organization(models.Model):
    """A company: sponsor on one project, partner on another."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    country = models.CharField(max_length=80, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    require_mfa = models.BooleanField(
        default=False, help_text="Its people must sign in with a second factor"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationMembership(models.Model):
    """A person works for an organization."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="organization_memberships"
    )
    title = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="uniq_org_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.organization}"


class Project(models.Model):
    """A drug-discovery project a sponsor runs with one or more partners."""

    class Phase(models.TextChoices):
        HIT_TO_LEAD = "hit_to_lead", "Hit-to-lead"
        LEAD_OPTIMIZATION = "lead_optimization", "Lead optimization"
        CANDIDATE = "candidate", "Candidate"
        SCALE_UP = "scale_up", "Scale-up"
        GMP = "gmp", "GMP"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ON_HOLD = "on_hold", "On hold"
        CLOSED = "closed", "Closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    sponsor = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="sponsored_projects"
    )
    phase = models.CharField(max_length=32, choices=Phase.choices, default=Phase.HIT_TO_LEAD)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    open_consortium = models.BooleanField(
        default=False,
        help_text="Partners see each other's work (off: each sees its own and what the "
        "sponsor shares)",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def project_id(self):
        return self.id


class CompoundShare(models.TextChoices):
    """Which of a project's compounds a partner sees, beyond those it made or was asked for."""

    ALL = "all", "All of the project's compounds"
    SERIES = "series", "Those of chosen series"
    OWN = "own", "Only its own"


class ProjectPartner(models.Model):
    """A partner organization working on a project for a period and a scope."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="partnerships"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    scope_of_work = models.TextField(blank=True)
    compounds = models.CharField(
        max_length=8,
        choices=CompoundShare.choices,
        default=CompoundShare.OWN,
        help_text="Which of the project's compounds the partner sees, beyond its own",
    )
    shared_series = models.ManyToManyField(
        "assays.Series",
        blank=True,
        related_name="+",
        help_text="With compounds shared by series: the series whose compounds it sees",
    )
    blinded = models.BooleanField(
        default=False,
        help_text="The shared compounds are coded samples: registry id, series and results, "
        "no structure or computed properties (those it made or was asked for stay open)",
    )
    version = models.PositiveIntegerField(default=1)

    objects = ProjectPartnerQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organization"], name="uniq_project_partner")
        ]

    def __str__(self) -> str:
        return f"{self.organization} on {self.project.code}"


class ProjectMember(models.Model):
    """A person on a project, for one organization, in one role."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="project_memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=32, choices=Role.choices)
    is_key = models.BooleanField(default=False, help_text="Attendance counts for engagement")
    joined_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = ProjectMemberQuerySet.as_manager()

    class Meta:
        ordering = ["role", "user__last_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="uniq_project_user")
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.get_role_display()}, {self.project.code})"


class ApiToken(models.Model):
    """A personal API token: only its hash is kept; the token is shown once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class UserSessionQuerySet(models.QuerySet):
    def live(self) -> "UserSessionQuerySet":
        """Sessions still signed in: used within the idle timeout, signed in less than
        SESSION_COOKIE_AGE ago (the others are signed out on their next request)."""
        now = timezone.now()
        return self.filter(
            last_activity_at__gte=now - timedelta(minutes=settings.COBENCH_IDLE_TIMEOUT_MINUTES),
            signed_in_at__gte=now - timedelta(seconds=settings.SESSION_COOKIE_AGE),
        )

    def dead(self) -> "UserSessionQuerySet":
        """Sessions no longer signed in, kept only until their person next signs in."""
        return self.exclude(pk__in=self.live().values("pk"))


class UserSession(models.Model):
    """A person's signed-in browser session: where from, since when, last used when.

    Keyed to Django's session; ending it deletes that session, so its cookie stops working.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=400, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    signed_in_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()

    objects = UserSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at"]

    def __str__(self) -> str:
        return f"{self.device} from {self.ip_address or 'an unknown address'}"

    @property
    def device(self) -> str:
        """The browser and system the user agent names, e.g. "Firefox on Linux"."""
        return describe_user_agent(self.user_agent)


_BROWSERS = [  # the first match wins: Edge and Opera also say Chrome, Chrome also says Safari
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
    ("python-requests/", "Python requests"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def describe_user_agent(user_agent: str) -> str:
    """A person's reading of a User-Agent header: "Firefox on Linux", or "Unknown device"."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown device"
