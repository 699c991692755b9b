"""Projects, partners, members and API tokens: every change checked, saved and audited."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, timedelta
from importlib import import_module
from typing import Any, Literal

from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.audit.services import diff
from cobench.core.concurrency import check_version
from cobench.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from cobench.core.permissions import PARTNER_ROLES, SPONSOR_ROLES, Action, Role
from cobench.security import services as security
from cobench.security.models import Kind

from .access import ensure_can, home_organization
from .models import (
    ApiToken,
    CompoundShare,
    Organization,
    OrganizationMembership,
    Project,
    ProjectMember,
    ProjectPartner,
    User,
    UserSession,
)


def _apply(obj: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `fields` on `obj`; returns the audit changes and bumps its version if any."""
    before = {name: getattr(obj, name) for name in fields}
    for name, value in fields.items():
        setattr(obj, name, value)
    changes = audit.diff(before, fields)
    if changes:
        obj.version += 1
        obj.full_clean()
        obj.save()
    return changes


# Organizations and people (set up by an administrator) ------------------------------


def _validated(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise InvalidInput("Some fields are invalid.", errors=exc.message_dict) from exc


@transaction.atomic
def create_organization(
    *,
    actor: User | None,
    name: str,
    short_name: str = "",
    country: str = "",
    time_zone: str = "UTC",
) -> Organization:
    """Register a company that can sponsor projects or be a partner on them."""
    org = Organization(
        name=name.strip(), short_name=short_name, country=country, time_zone=time_zone
    )
    _validated(org)
    org.save()
    audit.record(
        actor=actor,
        organization=home_organization(actor),
        event=Event.ORGANIZATION_CREATED,
        target=org,
        changes={
            "name": [None, org.name],
            "country": [None, country],
            "time_zone": [None, time_zone],
        },
    )
    return org


LEAD_ROLES = (Role.SPONSOR_LEAD, Role.PARTNER_LEAD)


def organizations_led_by(user: Any) -> QuerySet[Organization]:
    """The organizations `user` is a lead for on some project (every one for a superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    led = ProjectMember.objects.filter(user=user, role__in=LEAD_ROLES).values("organization_id")
    return Organization.objects.filter(pk__in=led)


@transaction.atomic
def set_require_mfa(
    *, actor: User | None, organization: Organization, required: bool
) -> Organization:
    """Require two-factor sign-in of every person of `organization`, or no longer; only its
    leads decide (`actor` None: an administrator at the command line)."""
    if actor is not None and not organizations_led_by(actor).filter(pk=organization.pk).exists():
        raise Forbidden(f"Only the leads of {organization} decide how its people sign in.")
    before = organization.require_mfa
    if before == required:
        return organization
    organization.require_mfa = required
    organization.save(update_fields=["require_mfa"])
    audit.record(
        actor=actor,
        organization=organization,
        event=Event.ORGANIZATION_MFA_CHANGED,
        target=organization,
        changes={"require_mfa": [before, required]},
    )
    return organization


def mfa_required_of(user: Any) -> bool:
    """Whether an organization `user` works for requires two-factor sign-in of its people."""
    return Organization.objects.filter(people__user=user, require_mfa=True).exists()


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    organization: Organization,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    time_zone: str = "",
    title: str = "",
) -> User:
    """An account for a person of `organization`; the password must pass the validators."""
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        time_zone=time_zone or organization.time_zone,
    )
    _validated(user, exclude=["password"])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("The password is too weak.", errors={"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    audit.record(
        actor=actor,
        organization=home_organization(actor),
        event=Event.USER_CREATED,
        target=user,
        changes={"username": [None, username], "email": [None, email]},
    )
    join_organization(actor=actor, user=user, organization=organization, title=title)
    return user


@transaction.atomic
def join_organization(
    *, actor: User | None, user: User, organization: Organization, title: str = ""
) -> OrganizationMembership:
    """Record that `user` works for `organization` (a person may work for several)."""
    if OrganizationMembership.objects.filter(organization=organization, user=user).exists():
        raise Conflict(f"{user.username} already works for {organization}.")
    membership = OrganizationMembership.objects.create(
        organization=organization, user=user, title=title
    )
    audit.record(
        actor=actor,
        event=Event.ORGANIZATION_JOINED,
        target=membership,
        organization=organization,
        changes={
            "user": [None, user.username],
            "organization": [None, organization.name],
            "title": [None, title],
        },
    )
    return membership


def organizations_visible_to(user: Any) -> QuerySet[Organization]:
    """Organizations `user` works for, and those they meet on their projects."""
    projects = Project.objects.visible_to(user)
    return Organization.objects.filter(
        Q(people__user=user)
        | Q(sponsored_projects__in=projects)
        | Q(partnerships__in=ProjectPartner.objects.visible_to(user))
    ).distinct()


@transaction.atomic
def create_project(
    *,
    actor: User,
    code: str,
    name: str,
    sponsor: Organization,
    description: str = "",
    phase: str = Project.Phase.HIT_TO_LEAD,
) -> Project:
    """Start a project for `sponsor`; its creator becomes the sponsor lead."""
    if not OrganizationMembership.objects.filter(organization=sponsor, user=actor).exists():
        raise NotFound("No such organization, or you do not work for it.")
    code = code.strip().upper()
    if Project.objects.filter(code=code).exists():
        raise InvalidInput("That project code is taken.", errors={"code": ["Already in use."]})
    project = Project(code=code, name=name, sponsor=sponsor, description=description, phase=phase)
    project.full_clean()
    project.save()
    audit.record(
        actor=actor,
        organization=sponsor,
        event=Event.PROJECT_CREATED,
        target=project,
        changes={
            "code": [None, project.code],
            "name": [None, name],
            "sponsor": [None, sponsor.name],
            "phase": [None, phase],
        },
    )
    _add_member(
        actor=actor,
        actor_organization=sponsor,
        project=project,
        user=actor,
        organization=sponsor,
        role=Role.SPONSOR_LEAD,
        is_key=True,
    )
    return project


@transaction.atomic
def update_project(
    *,
    actor: User,
    project: Project,
    expected_version: int | None,
    reason: str = "",
    **fields: Any,
) -> Project:
    """Change a project's name, description, phase or status."""
    member = ensure_can(actor, project, Action.EDIT_PROJECT)
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_version(current=project.version, expected=expected_version)
    allowed = {"name", "description", "phase", "status"}
    if unknown := set(fields) - allowed:
        raise InvalidInput(
            "Unknown fields.", errors={f: ["Cannot be changed here."] for f in unknown}
        )
    if changes := _apply(project, fields):
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.PROJECT_UPDATED,
            target=project,
            changes=changes,
            reason=reason,
        )
    return project


@transaction.atomic
def add_partner(
    *,
    actor: User,
    project: Project,
    organization: Organization,
    start_date: date,
    end_date: date | None = None,
    scope_of_work: str = "",
) -> ProjectPartner:
    """Bring a partner organization onto the project."""
    member = ensure_can(actor, project, Action.MANAGE_PARTNERS)
    if organization.pk == project.sponsor_id:
        raise InvalidInput(
            "The sponsor cannot be its own partner.",
            errors={"organization": ["This is the project's sponsor."]},
        )
    if project.partners.filter(organization=organization).exists():
        raise Conflict(f"{organization} is already a partner on {project.code}.")
    _check_dates(start_date, end_date)
    partner = ProjectPartner.objects.create(
        project=project,
        organization=organization,
        start_date=start_date,
        end_date=end_date,
        scope_of_work=scope_of_work,
    )
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.PARTNER_ADDED,
        target=partner,
        changes={
            "organization": [None, organization.name],
            "start_date": [None, start_date],
            "end_date": [None, end_date],
            "scope_of_work": [None, scope_of_work],
        },
    )
    return partner


def _check_dates(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise InvalidInput(
            "The end date is before the start date.",
            errors={"end_date": ["Must be on or after the start date."]},
        )


@transaction.atomic
def update_partner(
    *, actor: User, partner: ProjectPartner, expected_version: int | None, **fields: Any
) -> ProjectPartner:
    """Change a partner's dates or scope of work."""
    member = ensure_can(actor, partner.project, Action.MANAGE_PARTNERS)
    partner = ProjectPartner.objects.select_for_update().get(pk=partner.pk)
    check_version(current=partner.version, expected=expected_version)
    if unknown := set(fields) - {"start_date", "end_date", "scope_of_work"}:
        raise InvalidInput(
            "Unknown fields.", errors={f: ["Cannot be changed here."] for f in unknown}
        )
    _check_dates(
        fields.get("start_date", partner.start_date), fields.get("end_date", partner.end_date)
    )
    if changes := _apply(partner, fields):
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.PARTNER_UPDATED,
            target=partner,
            changes=changes,
        )
    return partner


@transaction.atomic
def remove_partner(*, actor: User, partner: ProjectPartner, reason: str) -> None:
    """Take a partner off the project; its people must be removed first."""
    member = ensure_can(actor, partner.project, Action.MANAGE_PARTNERS)
    _require_reason(reason)
    if partner.project.members.filter(organization=partner.organization).exists():
        raise Conflict(
            f"{partner.organization} still has members on {partner.project.code}; "
            "remove them first."
        )
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.PARTNER_REMOVED,
        target=partner,
        reason=reason,
        changes={"organization": [partner.organization.name, None]},
    )
    partner.delete()


@transaction.atomic
def share_compounds(
    *,
    actor: User,
    partner: ProjectPartner,
    compounds: str,
    series: Sequence[Any] = (),
    blinded: bool = False,
    reason: str,
    expected_version: int | None = None,
) -> ProjectPartner:
    """Choose which of the project's compounds `partner` sees beyond its own (all, those of
    `series`, or none), and whether it sees them `blinded` (coded samples: no structure or
    computed properties); at once, audited."""
    member = ensure_can(actor, partner.project, Action.MANAGE_PARTNERS)
    _require_reason(reason)
    partner = ProjectPartner.objects.select_for_update().get(pk=partner.pk)
    check_version(current=partner.version, expected=expected_version)
    if compounds not in CompoundShare.values:
        raise InvalidInput(
            "Choose which compounds the partner sees.",
            errors={"compounds": [f"One of: {', '.join(CompoundShare.values)}."]},
        )
    chosen = list(
        apps.get_model("assays", "Series").objects.filter(
            project=partner.project, pk__in=[getattr(s, "pk", s) for s in series]
        )
    )
    if len(chosen) != len(set(series)):
        raise InvalidInput(
            "No such series in this project.",
            errors={"series": [f"Series of {partner.project.code} only."]},
        )
    if compounds == CompoundShare.SERIES and not chosen:
        raise InvalidInput(
            "Name the series whose compounds the partner sees.",
            errors={"series": ["At least one series."]},
        )
    if compounds != CompoundShare.SERIES:
        chosen = []
    before = _sharing(partner)
    partner.compounds = compounds
    partner.blinded = bool(blinded)
    partner.version += 1
    partner.save(update_fields=["compounds", "blinded", "version"])
    partner.shared_series.set(chosen)
    if changes := diff(before, _sharing(partner)):
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.PARTNER_COMPOUNDS_SHARED,
            target=partner,
            changes=changes,
            reason=reason,
        )
    return partner


def _sharing(partner: ProjectPartner) -> dict[str, Any]:
    return {
        "compounds": partner.compounds,
        "blinded": partner.blinded,
        "series": sorted(s.name for s in partner.shared_series.all()),
    }


@transaction.atomic
def set_open_consortium(*, actor: User, project: Project, open_: bool, reason: str) -> Project:
    """Run `project` as an open consortium (its partners see each other's work) or walled
    (each partner sees its own and what the sponsor shares); a sponsor lead's choice."""
    member = ensure_can(actor, project, Action.EDIT_PROJECT)  # the sponsor lead's
    _require_reason(reason)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.open_consortium != open_:
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.PROJECT_CONSORTIUM_CHANGED,
            target=project,
            changes={"open_consortium": [project.open_consortium, open_]},
            reason=reason,
        )
        project.open_consortium = open_
        project.version += 1
        project.save(update_fields=["open_consortium", "version"])
    return project


def _require_reason(reason: str) -> None:
    if not reason or not reason.strip():
        raise InvalidInput("Say why.", errors={"reason": ["A reason is required."]})


def _project_organizations(project: Project) -> set[Any]:
    return {project.sponsor_id, *project.partners.values_list("organization_id", flat=True)}


def _check_member_rules(
    *, actor_member: ProjectMember, project: Project, organization: Organization, role: str
) -> None:
    """The side of a role must match the member's organization; partner leads keep to their own."""
    if role not in Role.values:
        raise InvalidInput("Unknown role.", errors={"role": [f"One of: {', '.join(Role.values)}."]})
    is_sponsor = organization.pk == project.sponsor_id
    if role in SPONSOR_ROLES and not is_sponsor:
        raise InvalidInput(
            "Sponsor roles are for people of the sponsor organization.",
            errors={"role": ["Not a sponsor-side role for this person."]},
        )
    if role in PARTNER_ROLES and is_sponsor:
        raise InvalidInput(
            "Partner roles are for people of a partner organization.",
            errors={"role": ["Not a partner-side role for this person."]},
        )
    if actor_member.role != Role.SPONSOR_LEAD and (
        organization.pk != actor_member.organization_id or role in SPONSOR_ROLES
    ):
        raise Forbidden("A partner lead manages the members of their own organization only.")


def _add_member(
    *,
    actor: User,
    actor_organization: Organization,
    project: Project,
    user: User,
    organization: Organization,
    role: str,
    is_key: bool,
) -> ProjectMember:
    member = ProjectMember.objects.create(
        project=project, user=user, organization=organization, role=role, is_key=is_key
    )
    audit.record(
        actor=actor,
        organization=actor_organization,
        event=Event.MEMBER_ADDED,
        target=member,
        changes={
            "user": [None, user.username],
            "organization": [None, organization.name],
            "role": [None, role],
            "is_key": [None, is_key],
        },
    )
    return member


@transaction.atomic
def add_member(
    *,
    actor: User,
    project: Project,
    username: str,
    role: str,
    is_key: bool = False,
) -> ProjectMember:
    """Put a person on the project, for their organization that takes part in it.

    People outside the sponsor and partner organizations are not found: the
    answer does not tell whether such a username exists.
    """
    actor_member = ensure_can(actor, project, Action.MANAGE_MEMBERS)
    user = User.objects.filter(username=username, is_active=True).first()
    org = (
        Organization.objects.filter(
            people__user=user, pk__in=_project_organizations(project)
        ).first()
        if user
        else None
    )
    if user is None or org is None:
        raise InvalidInput(
            "This person works for no organization taking part in the project.",
            errors={"username": ["No such person on the sponsor or partner side."]},
        )
    if project.members.filter(user=user).exists():
        raise Conflict(f"{user.display_name} is already on {project.code}.")
    _check_member_rules(actor_member=actor_member, project=project, organization=org, role=role)
    return _add_member(
        actor=actor,
        actor_organization=actor_member.organization,
        project=project,
        user=user,
        organization=org,
        role=role,
        is_key=is_key,
    )


def _ensure_not_last_sponsor_lead(member: ProjectMember, new_role: str | None) -> None:
    if member.role == Role.SPONSOR_LEAD and new_role != Role.SPONSOR_LEAD:
        others = member.project.members.filter(role=Role.SPONSOR_LEAD).exclude(pk=member.pk)
        if not others.exists():
            raise Conflict("A project keeps at least one sponsor lead; name another one first.")


@transaction.atomic
def update_member(
    *, actor: User, member: ProjectMember, expected_version: int | None, **fields: Any
) -> ProjectMember:
    """Change a member's role or key-member flag."""
    actor_member = ensure_can(actor, member.project, Action.MANAGE_MEMBERS)
    member = (
        ProjectMember.objects.select_for_update()
        .select_related("project", "organization")
        .get(pk=member.pk)
    )
    check_version(current=member.version, expected=expected_version)
    if unknown := set(fields) - {"role", "is_key"}:
        raise InvalidInput(
            "Unknown fields.", errors={f: ["Cannot be changed here."] for f in unknown}
        )
    role = fields.get("role", member.role)
    _check_member_rules(
        actor_member=actor_member,
        project=member.project,
        organization=member.organization,
        role=role,
    )
    _ensure_not_last_sponsor_lead(member, role)
    if changes := _apply(member, fields):
        audit.record(
            actor=actor,
            organization=actor_member.organization,
            event=Event.MEMBER_UPDATED,
            target=member,
            changes=changes,
        )
    return member


@transaction.atomic
def remove_member(*, actor: User, member: ProjectMember, reason: str) -> None:
    """Take a person off the project (their past records stay theirs)."""
    actor_member = ensure_can(actor, member.project, Action.MANAGE_MEMBERS)
    _require_reason(reason)
    _check_member_rules(
        actor_member=actor_member,
        project=member.project,
        organization=member.organization,
        role=member.role,
    )
    _ensure_not_last_sponsor_lead(member, None)
    audit.record(
        actor=actor,
        organization=actor_member.organization,
        event=Event.MEMBER_REMOVED,
        target=member,
        reason=reason,
        changes={"user": [member.user.username, None], "role": [member.role, None]},
    )
    member.delete()


@transaction.atomic
def update_profile(*, actor: User, **fields: Any) -> User:
    """Change one's own name, e-mail or time zone (times are shown in it everywhere)."""
    if unknown := set(fields) - {"first_name", "last_name", "email", "time_zone"}:
        raise InvalidInput(
            "Unknown fields.", errors={f: ["Cannot be changed here."] for f in unknown}
        )
    user = User.objects.select_for_update().get(pk=actor.pk)
    before = {name: getattr(user, name) for name in fields}
    for name, value in fields.items():
        setattr(user, name, value)
    _validated(user, exclude=["password", "username"])
    if changes := audit.diff(before, fields):
        user.save(update_fields=list(fields))
        audit.record(
            actor=user,
            organization=home_organization(user),
            event=Event.PROFILE_UPDATED,
            target=user,
            changes=changes,
        )
    return user


# Personal API tokens ---------------------------------------------------------------

TOKEN_PREFIX = "cb_"  # noqa: S105  the marker every token starts with, not a secret


def _digest(secret: str) -> str:
    # tokens carry 256 bits of randomness: a plain SHA-256 is enough to keep them unusable at rest
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, actor: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for `actor`; the secret is returned once and only its hash is kept."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("Name the token.", errors={"name": ["1 to 100 characters."]})
    days = settings.COBENCH_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= 366:
        raise InvalidInput("Tokens live 1 to 366 days.", errors={"days": ["1 to 366."]})
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=prefix,
        digest=_digest(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(
        actor=actor,
        organization=home_organization(actor),
        event=Event.TOKEN_CREATED,
        target=token,
        changes={"name": [None, name], "expires_at": [None, token.expires_at]},
    )
    security.record(kind=Kind.TOKEN_CREATED, user=actor, detail=f"{name} ({prefix})")
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Stop a token from working, at once."""
    if token.user_id != actor.pk:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            organization=home_organization(actor),
            event=Event.TOKEN_REVOKED,
            target=token,
            changes={"revoked_at": [None, token.revoked_at]},
        )
        security.record(
            kind=Kind.TOKEN_REVOKED, user=actor, detail=f"{token.name} ({token.prefix})"
        )
    return token


def authenticate_token(raw: str) -> User | None:
    """The active user a live token belongs to, else None."""
    if not raw.startswith(TOKEN_PREFIX) or raw.count("_") < 2:
        return None
    prefix = raw[len(TOKEN_PREFIX) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    now = timezone.now()
    if (
        token is None
        or not secrets.compare_digest(token.digest, _digest(raw))
        or token.revoked_at is not None
        or token.expires_at <= now
        or not token.user.is_active
    ):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# Sign-in sessions ------------------------------------------------------------------

ACTIVITY_EVERY = timedelta(minutes=1)  # last activity is written at most this often


def record_sign_in(
    *, user: User, session_key: str, user_agent: str = "", ip_address: str | None = None
) -> UserSession:
    """Note that `user` signed in with the session `session_key`, from where."""
    UserSession.objects.filter(user=user).dead().delete()
    now = timezone.now()
    session, _ = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "user_agent": user_agent[:400],
            "ip_address": ip_address or None,
            "signed_in_at": now,
            "last_activity_at": now,
        },
    )
    return session


def rekey_session(*, old: str, new: str) -> None:
    """The session `old` goes on under the key `new` (Django gives it a new one at a password
    change, so that a key learnt before does not carry over)."""
    UserSession.objects.filter(session_key=old).update(session_key=new)


def forget_session(*, session_key: str) -> None:
    """The session `session_key` was signed out (or flushed): it is no longer listed."""
    UserSession.objects.filter(session_key=session_key).delete()


def session_state(*, user: User, session_key: str) -> Literal["active", "idle", "expired", "ended"]:
    """Whether `user`'s session `session_key` may go on, and records its use as activity.

    "idle": unused for COBENCH_IDLE_TIMEOUT_MINUTES; "expired": signed in longer ago than
    SESSION_COOKIE_AGE; "ended": not a session cobench knows (ended, or never recorded).
    """
    now = timezone.now()
    session = UserSession.objects.filter(session_key=session_key, user=user).first()
    if session is None:
        return "ended"
    if now - session.signed_in_at > timedelta(seconds=settings.SESSION_COOKIE_AGE):
        return "expired"
    if now - session.last_activity_at > timedelta(minutes=settings.COBENCH_IDLE_TIMEOUT_MINUTES):
        return "idle"
    if now - session.last_activity_at >= ACTIVITY_EVERY:
        UserSession.objects.filter(pk=session.pk).update(last_activity_at=now)
    return "active"


def _end(actor: User | None, sessions: Sequence[UserSession], reason: str = "") -> None:
    if not sessions:
        return
    audit.record_many(
        actor=actor,
        organization=home_organization(actor),
        events=[
            (
                Event.SESSION_ENDED,
                s,
                {"device": [s.device, None], "ip_address": [s.ip_address, None]},
                None,
            )
            for s in sessions
        ],
        reason=reason,
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for s in sessions:
        store().delete(s.session_key)
    UserSession.objects.filter(pk__in=[s.pk for s in sessions]).delete()


@transaction.atomic
def end_session(*, actor: User, session: UserSession) -> None:
    """Sign `actor` out of one of their sessions, at once: its cookie stops working."""
    if session.user_id != actor.pk:
        raise NotFound("No such session, or it has ended already.")
    _end(actor, [session])


@transaction.atomic
def end_other_sessions(*, actor: User, keep: str | None) -> int:
    """Sign `actor` out everywhere but the session `keep` (None: everywhere); how many ended."""
    sessions = list(UserSession.objects.filter(user=actor).live().exclude(session_key=keep or ""))
    _end(actor, sessions)
    return len(sessions)


@transaction.atomic
def change_password(
    *, actor: User | None, user: User, password: str, keep_session: str | None = None
) -> User:
    """Give `user` a new password (it must pass the validators) and end every session of
    theirs but `keep_session` (ASVS 7.4.3): whoever held the old one is signed out."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput("The password is too weak.", errors={"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor,
        organization=home_organization(actor),
        event=Event.PASSWORD_CHANGED,
        target=user,
    )
    others = UserSession.objects.filter(user=user).live().exclude(session_key=keep_session or "")
    _end(actor, list(others), reason="The password was changed.")
    return user
