"""Raising, answering and escalating concerns; who may read a confidential raiser's name.

Every change is checked, saved and audited in one transaction; the life cycle is one
table (`TRANSITIONS`: the states each step starts from and goes to). Events a
confidential raiser causes on their own concern are recorded with `hide_actor`,
and every place that shows a raiser or a comment's author asks `raiser_label` /
`author_label`, so the other organization and executives never learn who it was.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.charters.content import NOTIFY_GROUPS, EscalationLevel
from cobench.charters.services import governing_version
from cobench.core.concurrency import check_version
from cobench.core.errors import Conflict, Forbidden, InvalidInput
from cobench.core.permissions import Action, Role, role_may
from cobench.core.text import (
    TOO_LONG_UNGROUPED,
    WRITE_SOMETHING,
    clean_text,
)
from cobench.meetings.models import Meeting
from cobench.notifications.kinds import Kind
from cobench.notifications.services import notify
from cobench.tenancy.access import ensure_can, membership
from cobench.tenancy.models import Organization, Project, ProjectMember, ProjectPartner, User

from .models import Comment, Concern, Escalation

State = Concern.State
ACTIVE = (State.OPEN, State.ACKNOWLEDGED, State.IN_PROGRESS)
HIDDEN = audit.HIDDEN_ACTOR
MAX_TITLE, MAX_TEXT, MAX_LINK = 200, 20_000, 500


# Who may read the raiser ------------------------------------------------------------


def sees_raiser(viewer: Any, concern: Concern, member: ProjectMember | None) -> bool:
    """Whether `viewer` (with `member`, their membership of the project) may know the raiser.

    An open concern's raiser is public; a confidential one is known to the raiser,
    QA auditors and people of the raiser's organization except its executives.
    """
    if not concern.confidential or concern.raised_by_id == getattr(viewer, "pk", None):
        return True
    return audit.sees_hidden_actor(member, concern.raised_by_org_id)


def raiser_label(viewer: Any, concern: Concern, member: ProjectMember | None) -> str:
    """The raiser's name as `viewer` may read it."""
    if sees_raiser(viewer, concern, member):
        return concern.raised_by.display_name
    return HIDDEN


def author_label(viewer: Any, comment: Comment, member: ProjectMember | None) -> str:
    """A comment's author as `viewer` may read it: a confidential raiser stays hidden."""
    concern = comment.concern
    if comment.author_id == concern.raised_by_id and not sees_raiser(viewer, concern, member):
        return HIDDEN
    return comment.author.display_name


def _hidden(concern: Concern, actor: Any) -> bool:
    """Whether an event `actor` causes on `concern` must hide who did it."""
    return concern.confidential and getattr(actor, "pk", None) == concern.raised_by_id


# Checks -------------------------------------------------------------------------------


# Text fields, required unless said otherwise, in the wording concerns have always shown.
_text = partial(
    clean_text, required=True, required_message=WRITE_SOMETHING, too_long=TOO_LONG_UNGROUPED
)


def _choice(errors: dict[str, list[str]], name: str, value: str, choices: Any) -> str:
    if value not in choices.values:
        errors.setdefault(name, []).append(f"One of: {', '.join(choices.values)}.")
    return value


def _link(errors: dict[str, list[str]], value: str) -> str:
    value = _text(errors, "link", value, limit=MAX_LINK, required=False)
    if value and not (
        value.startswith(("https://", "http://")) or (value.startswith("/") and value[1:2] != "/")
    ):
        errors.setdefault("link", []).append(
            "A web address (https://...) or a cobench page (/projects/...)."
        )
    return value


def _locked(concern: Concern) -> Concern:
    locked: Concern = Concern.objects.select_for_update().get(pk=concern.pk)
    return locked


def _may_respond(member: ProjectMember, concern: Concern) -> bool:
    return role_may(member.role, Action.RESPOND_CONCERN) or (
        concern.owner_id == member.user_id and member.role != Role.QA_AUDITOR
    )


def _ensure_may_respond(actor: Any, concern: Concern, *, raiser_too: bool = False) -> ProjectMember:
    """`actor`'s membership when they may respond to `concern` (or, `raiser_too`, raised it)."""
    member = ensure_can(actor, concern.project, Action.VIEW)
    if _may_respond(member, concern):
        return member
    if raiser_too and concern.raised_by_id == member.user_id:
        return member
    who = (
        "the leads, the concern's owner and its raiser"
        if raiser_too
        else ("the leads and the concern's owner")
    )
    raise Forbidden(f"Only {who} may do this to concern #{concern.number}.")


@dataclass(frozen=True)
class Step:
    """One move of a concern: the states it starts from, the states it may go to (the
    first unless the caller chooses), its audit event, and the verb its messages use."""

    sources: tuple[State, ...]
    targets: tuple[State, ...]
    event: Event
    verb: str
    raiser_too: bool = False  # the raiser may take it as well as those who respond


# The life cycle, written once: every service below takes one of these steps.
TRANSITIONS: dict[str, Step] = {
    "acknowledge": Step(
        (State.OPEN,), (State.ACKNOWLEDGED,), Event.CONCERN_ACKNOWLEDGED, "acknowledged"
    ),
    "start": Step((State.ACKNOWLEDGED,), (State.IN_PROGRESS,), Event.CONCERN_STARTED, "started"),
    "resolve": Step(
        (State.ACKNOWLEDGED, State.IN_PROGRESS),
        (State.RESOLVED,),
        Event.CONCERN_RESOLVED,
        "resolved",
    ),
    "close": Step((State.RESOLVED,), (State.CLOSED,), Event.CONCERN_CLOSED, "closed"),
    "reopen": Step(
        (State.RESOLVED, State.CLOSED),
        (State.OPEN, State.IN_PROGRESS),
        Event.CONCERN_REOPENED,
        "reopened",
        raiser_too=True,
    ),
}
# What to do first when a step is asked for in a state it does not start from.
_HINTS = {
    ("start", State.OPEN): "acknowledge it first",
    ("resolve", State.OPEN): "acknowledge it first",
    ("close", State.OPEN): "acknowledge it, then resolve it with a written resolution",
    ("close", State.ACKNOWLEDGED): "resolve it first, with a written resolution",
    ("close", State.IN_PROGRESS): "resolve it first, with a written resolution",
    ("resolve", State.CLOSED): "reopen it first",
}


def _ensure_state(concern: Concern, action: str) -> None:
    """Refuse (Conflict, nothing changed) a step of TRANSITIONS the concern's state does not
    allow."""
    step = TRANSITIONS[action]
    if concern.state in step.sources:
        return
    allowed = " or ".join(State(s).label.lower() for s in step.sources)
    hint = _HINTS.get((action, State(concern.state)))
    raise Conflict(
        f"Concern #{concern.number} is {State(concern.state).label.lower()}: only an {allowed} "
        f"concern can be {step.verb}" + (f"; {hint}" if hint else "") + ". Nothing changed."
    )


# The ladder ---------------------------------------------------------------------------


def ladder(project: Project) -> list[EscalationLevel]:
    """The escalation ladder in force: the latest signed charter's, else the latest one's."""
    version = governing_version(project)
    if version is None:
        return []
    return sorted(version.parsed.escalation_ladder, key=lambda rung: rung.level)


def rung_of(steps: list[EscalationLevel], level: int) -> EscalationLevel | None:
    """The rung a concern at `level` is on (the highest not above it)."""
    below = [rung for rung in steps if rung.level <= level]
    return below[-1] if below else (steps[0] if steps else None)


def _next_rung(steps: list[EscalationLevel], level: int) -> EscalationLevel | None:
    return next((rung for rung in steps if rung.level > level), None)


def deadline(concern: Concern, steps: list[EscalationLevel] | None = None) -> datetime | None:
    """When the response the concern waits for (acknowledgement, else resolution) is due."""
    if concern.state not in ACTIVE:
        return None
    steps = ladder(concern.project) if steps is None else steps
    rung = rung_of(steps, concern.level)
    hours = rung.response_hours.get(concern.severity) if rung else None  # type: ignore[call-overload]
    return concern.clock_started_at + timedelta(hours=hours) if hours else None


# Raising ------------------------------------------------------------------------------


def _leads_of(project: Project, organization_id: Any) -> list[User]:
    return list(
        User.objects.filter(
            project_memberships__project=project,
            project_memberships__organization_id=organization_id,
            project_memberships__role__in=[Role.SPONSOR_LEAD, Role.PARTNER_LEAD],
        )
    )


def project_organizations(project: Project, member: ProjectMember | None) -> list[Organization]:
    """The sponsor and the current partners `member` sees (None: all of them): the
    organizations a concern can be addressed to. Behind the partner walls a partner's people
    address the sponsor or their own organization."""
    today = timezone.localdate()
    partners = Organization.objects.filter(
        Q(partnerships__end_date__isnull=True) | Q(partnerships__end_date__gte=today),
        partnerships__project=project,
    ).order_by("name")
    if member is not None:
        partners = partners.filter(
            partnerships__in=ProjectPartner.objects.visible_to(member.user).filter(project=project)
        )
    return [project.sponsor, *partners]


def default_addressee(project: Project, member: ProjectMember) -> Organization | None:
    """The other side: the sponsor for a partner's people, the only partner for the sponsor's."""
    orgs = project_organizations(project, member)
    if member.organization_id != project.sponsor_id:
        return project.sponsor
    partners = orgs[1:]
    return partners[0] if len(partners) == 1 else None


def _url(concern: Concern) -> str:
    return reverse("concern-detail", args=[concern.project_id, concern.pk])


@transaction.atomic
def raise_concern(
    *,
    actor: User,
    project: Project,
    title: str,
    description: str,
    category: str,
    severity: str,
    confidential: bool = False,
    addressed_to: Organization | None = None,
    link: str = "",
    meeting_id: Any = None,
    now: datetime | None = None,
) -> Concern:
    """Raise a concern with `addressed_to` (default: the other side); its clock starts now.

    `meeting_id` links it to a meeting of the same project (any other id is refused
    with the same message, so nothing is told about other projects' meetings).

    With `confidential`, the other organization and executives never learn who raised it.
    """
    member = ensure_can(actor, project, Action.RAISE_CONCERN)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    title = _text(errors, "title", title, limit=MAX_TITLE)
    description = _text(errors, "description", description, limit=MAX_TEXT)
    _choice(errors, "category", category, Concern.Category)
    _choice(errors, "severity", severity, Concern.Severity)
    link = _link(errors, link)
    meeting = None
    if meeting_id:
        meeting = Meeting.objects.filter(pk=meeting_id, project=project).first()
        if meeting is None:
            errors["meeting_id"] = ["No such meeting in this project."]
    if addressed_to is None:
        addressed_to = default_addressee(project, member)
        if addressed_to is None:
            errors["addressed_to"] = ["Say which partner organization should respond."]
    elif addressed_to.pk not in {o.pk for o in project_organizations(project, member)}:
        errors["addressed_to"] = ["Not the sponsor or a current partner of this project."]
    if errors or addressed_to is None:  # no addressee is among the errors
        raise InvalidInput("The concern has invalid fields; nothing was raised.", errors=errors)
    Project.objects.select_for_update().filter(pk=project.pk).first()  # numbers stay unique
    number = (project.concerns.aggregate(n=Max("number"))["n"] or 0) + 1
    steps = ladder(project)
    concern = Concern.objects.create(
        project=project,
        number=number,
        title=title,
        description=description,
        category=category,
        severity=severity,
        link=link,
        meeting=meeting,
        addressed_to=addressed_to,
        raised_by=actor,
        raised_by_org=member.organization,
        confidential=confidential,
        raised_at=now,
        clock_started_at=now,
        level=steps[0].level if steps else 1,
    )
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.CONCERN_RAISED,
        target=concern,
        changes={
            "title": [None, title],
            "description": [None, description],
            "category": [None, category],
            "severity": [None, severity],
            "addressed_to": [None, addressed_to.name],
            "confidential": [None, confidential],
            "link": [None, link],
            "meeting": [None, str(meeting) if meeting else None],
        },
        hide_actor=confidential,
    )
    by = "confidentially" if confidential else f"by {actor.display_name} ({member.organization})"
    notify(
        kind=Kind.CONCERN_RAISED,
        about=concern,
        recipients=[u for u in _leads_of(project, addressed_to.pk) if u.pk != actor.pk],
        title=f"{project.code}: concern #{number} raised — {title}",
        body=f"{Concern.Severity(severity).label} {Concern.Category(category).label.lower()} "
        f"concern for {addressed_to}, raised {by}.",
        url=_url(concern),
        project=project,
        dedupe_key=f"concern-raised:{concern.pk}",
    )
    return concern


# The life cycle -----------------------------------------------------------------------


def _save(concern: Concern, fields: list[str]) -> None:
    concern.version += 1
    concern.save(update_fields=[*fields, "version"])


def _transition(
    *,
    actor: User,
    concern: Concern,
    action: str,
    reason: str,
    expected_version: int | None,
    now: datetime | None,
    to: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Concern:
    """Take step `action` of TRANSITIONS (to `to`, else its first target): who, from which
    state, the input; then save and audit."""
    step = TRANSITIONS[action]
    to = to or step.targets[0]
    concern = _locked(concern)  # the owner who may respond is the stored one
    member = _ensure_may_respond(actor, concern, raiser_too=step.raiser_too)
    check_version(current=concern.version, expected=expected_version)
    _ensure_state(concern, action)
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, limit=2000, required=action == "reopen")
    extra = dict(extra or {})
    if "resolution" in extra:
        extra["resolution"] = _text(errors, "resolution", extra["resolution"], limit=MAX_TEXT)
    if errors:
        raise InvalidInput(f"Concern #{concern.number} was not {step.verb}.", errors=errors)
    now = now or timezone.now()
    before = {"state": concern.state, **{k: getattr(concern, k) for k in extra}}
    concern.state = to
    for name, value in extra.items():
        setattr(concern, name, value)
    fields = ["state", *extra]
    if action == "acknowledge":
        concern.acknowledged_at = concern.acknowledged_at or now
        concern.clock_started_at = now  # the resolution clock
        fields += ["acknowledged_at", "clock_started_at"]
    elif action == "resolve":
        concern.resolved_at = concern.resolved_at or now
        fields.append("resolved_at")
    elif action == "close":
        concern.closed_at = now
        fields.append("closed_at")
    elif action == "reopen":
        concern.clock_started_at, concern.closed_at = now, None
        fields += ["clock_started_at", "closed_at"]
    _save(concern, fields)
    after = {"state": to, **extra}
    audit.record(
        actor=actor,
        organization=member.organization,
        event=step.event,
        target=concern,
        changes=audit.diff(before, after),
        reason=reason,
        hide_actor=_hidden(concern, actor),
    )
    return concern


@transaction.atomic
def acknowledge_concern(
    *,
    actor: User,
    concern: Concern,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """Say the concern is heard; stops the acknowledgement clock, starts the resolution clock."""
    return _transition(
        actor=actor,
        concern=concern,
        action="acknowledge",
        reason=note,
        expected_version=expected_version,
        now=now,
    )


@transaction.atomic
def start_concern(
    *,
    actor: User,
    concern: Concern,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """Say work on an acknowledged concern has started."""
    return _transition(
        actor=actor,
        concern=concern,
        action="start",
        reason=note,
        expected_version=expected_version,
        now=now,
    )


@transaction.atomic
def resolve_concern(
    *,
    actor: User,
    concern: Concern,
    resolution: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """Resolve a concern with a written resolution; its raiser is told."""
    concern = _transition(
        actor=actor,
        concern=concern,
        action="resolve",
        reason="",
        expected_version=expected_version,
        now=now,
        extra={"resolution": resolution},
    )
    notify(
        kind=Kind.CONCERN_RESOLVED,
        about=concern,
        recipients=[concern.raised_by] if concern.raised_by_id != actor.pk else [],
        title=f"{concern.project.code}: your concern #{concern.number} was resolved",
        body=f"{concern.title}\n\nResolution: {concern.resolution}",
        url=_url(concern),
        project=concern.project,
        dedupe_key=f"concern-resolved:{concern.pk}:{concern.version}",
    )
    return concern


@transaction.atomic
def close_concern(
    *,
    actor: User,
    concern: Concern,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """Close a resolved concern: nothing more is expected."""
    return _transition(
        actor=actor,
        concern=concern,
        action="close",
        reason=note,
        expected_version=expected_version,
        now=now,
    )


@transaction.atomic
def reopen_concern(
    *,
    actor: User,
    concern: Concern,
    reason: str,
    to: str = State.OPEN,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Concern:
    """Reopen a resolved or closed concern, back to open or in progress; its clock restarts.

    The raiser may reopen too (the resolution did not answer them). The level it
    escalated to stays: a concern never escalates twice to the same level.
    """
    if to not in TRANSITIONS["reopen"].targets:
        raise InvalidInput(
            "A concern reopens as open or in progress.", errors={"to": ["open or in_progress."]}
        )
    return _transition(
        actor=actor,
        concern=concern,
        action="reopen",
        to=to,
        reason=reason,
        expected_version=expected_version,
        now=now,
    )


@transaction.atomic
def assign_concern(
    *,
    actor: User,
    concern: Concern,
    owner: User | None,
    due_date: date | None,
    reason: str = "",
    expected_version: int | None = None,
) -> Concern:
    """Give the concern an owner (a member who may respond to it) and a due date; tell the owner."""
    member = ensure_can(actor, concern.project, Action.ASSIGN_CONCERN)
    concern = _locked(concern)
    check_version(current=concern.version, expected=expected_version)
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, limit=2000, required=False)
    if owner is not None:
        owner_member = membership(owner, concern.project)
        if owner_member is None:
            errors["owner"] = ["Not a member of this project."]
        elif owner_member.role == Role.QA_AUDITOR:
            errors["owner"] = ["QA auditors read; they cannot own a concern."]
    if concern.state == State.CLOSED:
        raise Conflict(f"Concern #{concern.number} is closed: reopen it to reassign it.")
    if errors:
        raise InvalidInput(f"Concern #{concern.number} was not assigned.", errors=errors)
    before = {
        "owner": concern.owner.username if concern.owner else None,
        "due_date": concern.due_date,
    }
    after = {"owner": owner.username if owner else None, "due_date": due_date}
    changes = audit.diff(before, after)
    if not changes:
        return concern
    new_owner = owner is not None and owner.pk != concern.owner_id
    concern.owner, concern.due_date = owner, due_date
    _save(concern, ["owner", "due_date"])
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.CONCERN_ASSIGNED,
        target=concern,
        changes=changes,
        reason=reason,
        hide_actor=_hidden(concern, actor),
    )
    if new_owner and owner is not None and owner.pk != actor.pk:
        due = f" Due {due_date:%-d %b %Y}." if due_date else ""
        notify(
            kind=Kind.CONCERN_ASSIGNED,
            about=concern,
            recipients=[owner],
            title=f"{concern.project.code}: concern #{concern.number} is yours — {concern.title}",
            body=f"{concern.get_severity_display()} {concern.get_category_display().lower()} "
            f"concern, now {concern.get_state_display().lower()}.{due}",
            url=_url(concern),
            project=concern.project,
            dedupe_key=f"concern-assigned:{concern.pk}:{concern.version}",
        )
    return concern


@transaction.atomic
def comment_on_concern(
    *, actor: User, concern: Concern, body: str, now: datetime | None = None
) -> Comment:
    """Add a message to the concern's thread (a confidential raiser's stays unsigned to others)."""
    member = ensure_can(actor, concern.project, Action.COMMENT_CONCERN)
    errors: dict[str, list[str]] = {}
    body = _text(errors, "body", body, limit=MAX_TEXT)
    if errors:
        raise InvalidInput("The comment was not added.", errors=errors)
    comment = Comment.objects.create(
        concern=concern,
        author=actor,
        author_org=member.organization,
        body=body,
        created_at=now or timezone.now(),
    )
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.CONCERN_COMMENTED,
        target=concern,
        changes={"comment": [None, body]},
        hide_actor=_hidden(concern, actor),
    )
    return comment


# Escalation ---------------------------------------------------------------------------


def escalate_overdue(*, now: datetime | None = None) -> int:
    """Escalate every concern whose response is overdue; returns how many escalations were made.

    Safe to run any number of times: each concern is locked, its stored level
    compared, and a database constraint allows one escalation per concern and
    level. After downtime it catches up in one run, stepping through every level
    missed since (each with its own deadline and event), as if it had never stopped.
    """
    now = now or timezone.now()
    ladders: dict[Any, list[EscalationLevel]] = {}
    made = 0
    for pk, project_id in Concern.objects.filter(state__in=ACTIVE).values_list("pk", "project_id"):
        if project_id not in ladders:
            ladders[project_id] = ladder(Project.objects.get(pk=project_id))
        if ladders[project_id]:
            made += _escalate(pk, ladders[project_id], now)
    return made


@transaction.atomic
def _escalate(pk: Any, steps: list[EscalationLevel], now: datetime) -> int:
    concern = Concern.objects.select_for_update().filter(pk=pk, state__in=ACTIVE).first()
    if concern is None:
        return 0
    made = 0
    while (due := deadline(concern, steps)) is not None and now > due:
        rung = _next_rung(steps, concern.level)
        if rung is None:
            break  # the top of the ladder: it stays overdue there
        missed = (
            Escalation.Missed.ACKNOWLEDGEMENT
            if concern.state == State.OPEN
            else Escalation.Missed.RESOLUTION
        )
        Escalation.objects.create(
            concern=concern,
            from_level=concern.level,
            to_level=rung.level,
            missed=missed,
            deadline=due,
            escalated_at=now,
        )
        before = concern.level
        concern.level, concern.clock_started_at = rung.level, due
        _save(concern, ["level", "clock_started_at"])
        audit.record(
            actor=None,
            organization=None,
            event=Event.CONCERN_ESCALATED,
            target=concern,
            changes={"level": [before, rung.level]},
            reason=f"{missed.label}: the response was due {due:%Y-%m-%d %H:%M} UTC "
            f"(level {before}, {concern.get_severity_display().lower()} severity).",
        )
        label, roles = NOTIFY_GROUPS[rung.notify]
        notify(
            kind=Kind.CONCERN_ESCALATED,
            about=concern,
            recipients=User.objects.filter(
                project_memberships__project_id=concern.project_id,
                project_memberships__role__in=roles,
            ),
            title=f"{concern.project.code}: concern #{concern.number} escalated to level "
            f"{rung.level} — {concern.title}",
            body=f"{missed.label}. It now rests with {rung.who} ({label.lower()}). "
            f"{concern.get_severity_display()} {concern.get_category_display().lower()} concern "
            f"for {concern.addressed_to}.",
            url=_url(concern),
            project=concern.project,
            dedupe_key=f"concern-escalated:{concern.pk}:{rung.level}",
        )
        made += 1
    return made


# Reading ------------------------------------------------------------------------------


def allowed_actions(viewer: Any, concern: Concern, member: ProjectMember | None) -> dict[str, bool]:
    """What `viewer` may do to `concern` now (the services decide; this only hides buttons)."""
    if member is None:
        return dict.fromkeys([*TRANSITIONS, "assign", "comment"], False)
    respond, raiser = _may_respond(member, concern), concern.raised_by_id == member.user_id
    may = {
        action: concern.state in step.sources and (respond or (step.raiser_too and raiser))
        for action, step in TRANSITIONS.items()
    }
    may["assign"] = role_may(member.role, Action.ASSIGN_CONCERN) and concern.state != State.CLOSED
    may["comment"] = role_may(member.role, Action.COMMENT_CONCERN)
    return may


def assignable(project: Project) -> Iterable[ProjectMember]:
    """The members who can own a concern (all but QA auditors)."""
    return (
        project.members.exclude(role=Role.QA_AUDITOR)
        .select_related("user", "organization")
        .order_by("user__first_name", "user__username")
    )


def owner_by_username(project: Project, username: str) -> User:
    """A project member by username, or InvalidInput naming `owner`."""
    member = project.members.select_related("user").filter(user__username=username).first()
    if member is None:
        raise InvalidInput("No such member.", errors={"owner": ["Not a member of this project."]})
    owner: User = member.user
    return owner


def filtered(queryset: Any, *, state: str = "", severity: str = "", category: str = "") -> Any:
    """The concerns matching the list filters (empty: any)."""
    if state == "active":
        queryset = queryset.filter(state__in=ACTIVE)
    elif state:
        queryset = queryset.filter(state=state)
    if severity:
        queryset = queryset.filter(severity=severity)
    if category:
        queryset = queryset.filter(category=category)
    return queryset


@dataclass(frozen=True)
class Figures:
    """How one organization answers the concerns addressed to it."""

    organization: Organization
    concerns: int
    active: int
    median_hours_to_acknowledge: float | None
    median_hours_to_resolve: float | None
    breaches: int


def _median_hours(spans: list[timedelta]) -> float | None:
    return round(statistics.median(s.total_seconds() / 3600 for s in spans), 1) if spans else None


def response_figures(project: Project, viewer: User) -> list[Figures]:
    """Per organization (sponsor and partners): median hours from raising to acknowledgement
    and to resolution of the concerns addressed to it, and its breaches (escalations), of the
    concerns `viewer` sees."""
    concerns = list(Concern.objects.visible_to(viewer).filter(project=project))
    breaches: dict[Any, int] = {}
    for org_id in (
        Escalation.objects.visible_to(viewer)
        .filter(concern__project=project)
        .values_list("concern__addressed_to_id", flat=True)
    ):
        breaches[org_id] = breaches.get(org_id, 0) + 1
    orgs = {o.pk: o for o in project_organizations(project, membership(viewer, project))}
    for c in concerns:
        if c.addressed_to_id not in orgs:
            orgs[c.addressed_to_id] = c.addressed_to
    rows = []
    for org in orgs.values():
        mine = [c for c in concerns if c.addressed_to_id == org.pk]
        rows.append(
            Figures(
                organization=org,
                concerns=len(mine),
                active=sum(c.state in ACTIVE for c in mine),
                median_hours_to_acknowledge=_median_hours(
                    [c.acknowledged_at - c.raised_at for c in mine if c.acknowledged_at]
                ),
                median_hours_to_resolve=_median_hours(
                    [c.resolved_at - c.raised_at for c in mine if c.resolved_at]
                ),
                breaches=breaches.get(org.pk, 0),
            )
        )
    return rows


def summary(project: Project, viewer: User) -> dict[str, Any]:
    """What the project page shows `viewer` of the concerns they see."""
    concerns = Concern.objects.visible_to(viewer).filter(project=project)
    active = concerns.filter(state__in=ACTIVE)
    return {
        "total": concerns.count(),
        "active": active.count(),
        "escalated": active.filter(escalations__isnull=False).distinct().count(),
        "by_severity": {
            s.label: active.filter(severity=s).count()
            for s in Concern.Severity
            if active.filter(severity=s).exists()
        },
        "latest": list(active.order_by("-raised_at")[:3]),
    }
