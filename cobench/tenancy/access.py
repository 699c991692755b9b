"""Access helpers every door uses: membership, the role check and the project lookups.

Pages and API endpoints fetch the project they are about with `project_for`
(someone else's project is a 404, like a missing one), name an organization a
caller sent with `organization_or_422`, and pages frame themselves with
`project_context`. Services check roles with `ensure_can`. Creating an API token asks
for a recent sign-in (`ensure_recent_sign_in`).
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from cobench.core.access import get_visible
from cobench.core.errors import Forbidden, InvalidInput, NotFound
from cobench.core.permissions import Action, Role, role_may

from .models import Organization, Project, ProjectMember, User, UserSession


class AuthenticatedRequest(HttpRequest):
    """A request from a signed-in person: every page behind `page`, every API call past its auth."""

    user: User


def membership(user: Any, project: Project) -> ProjectMember | None:
    """`user`'s membership of `project`, if any."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return (
        ProjectMember.objects.select_related("organization")
        .filter(project=project, user=user)
        .first()
    )


def home_organization(user: Any) -> Organization | None:
    """The organization `user` acts for outside any project (their first one); None for none
    and for the system (`user` None)."""
    if user is None:
        return None
    first = user.organization_memberships.select_related("organization").first()
    return first.organization if first else None


def acting_organization(user: Any, project: Project) -> Organization | None:
    """The organization `user` acts for on `project`: their membership's, else their own
    (for a caller that holds no membership already, e.g. a background job)."""
    member = ProjectMember.objects.select_related("organization").filter(project=project, user=user)
    found = member.first()
    return found.organization if found else home_organization(user)


def ensure_can(user: Any, project: Project, action: Action) -> ProjectMember:
    """`user`'s membership when their role may do `action`; NotFound for non-members."""
    member = membership(user, project)
    if member is None:
        raise NotFound()
    if not role_may(member.role, action):
        raise Forbidden(
            f"As {Role(member.role).label} on {project.code} you may not do this "
            f"({Action(action).label.lower()})."
        )
    return member


def project_for(request: HttpRequest, project_id: UUID) -> Project:
    """The project `project_id` names, with its sponsor, if the caller is on it; else NotFound."""
    return get_visible(Project.objects.select_related("sponsor"), request.user, pk=project_id)


def organization_or_422(
    organization_id: UUID | None,
    *,
    field: str,
    among: "QuerySet[Organization] | None" = None,
    message: str = "No such organization.",
    error: str | None = None,
) -> Organization:
    """The organization a caller named in `field` (one of `among`, if given); else a 422 on it.

    `message` heads the problem; `error`, when given, is what it says against `field`.
    """
    organizations = Organization.objects.all() if among is None else among
    organization = organizations.filter(pk=organization_id).first() if organization_id else None
    if organization is None:
        raise InvalidInput(message, errors={field: [error or message]})
    return organization


def sees_everything(user: Any, project: Project) -> bool:
    """Whether `user` is one of the project sponsor's people (who see all of its data)."""
    member = membership(user, project)
    return member is not None and member.organization_id == project.sponsor_id


def ensure_may_preview(user: Any, project: Project) -> None:
    """Refuse `user` a preview of what a partner sees unless they are the sponsor's."""
    if not sees_everything(user, project):
        raise Forbidden("Only the sponsor's people preview what a partner sees.")


def partner_of(project: Project, org_id: Any, *, field: str) -> Organization | None:
    """The partner organization `org_id` of `project` (None when empty); else `field`'s error."""
    if not org_id:
        return None
    try:
        link = project.partners.select_related("organization").filter(organization_id=org_id)
        found = link.first()
    except (ValidationError, ValueError):  # a malformed id is no partner
        found = None
    if found is None:
        message = "Not a partner of this project."
        raise InvalidInput(message, errors={field: [message]})
    return found.organization


@dataclass(frozen=True)
class Preview:
    """Whom a project page reads its data as (`viewer`): the signed-in person, or, when one of
    the sponsor's people asks `?as_partner=<organization id>`, one of that partner's people
    on the project (`partner`), since the walls are its organization's and each of them sees
    the same. Only which rows the page shows is theirs: its controls, and what may be read
    of each row (a confidential concern's raiser), stay the signed-in person's.
    `partners`: the organizations the sponsor's people may preview."""

    viewer: Any
    partner: Organization | None = None
    partners: tuple[Organization, ...] = ()


def preview(request: HttpRequest, project: Project) -> Preview:
    """The page's `Preview` (see it); a 422 for an organization that is no partner of the
    project or has nobody on it yet, a 403 for a preview asked by a partner's people."""
    partner = partner_of(project, request.GET.get("as_partner"), field="as_partner")
    if not sees_everything(request.user, project):
        if partner is not None:
            ensure_may_preview(request.user, project)
        return Preview(request.user)
    partners = tuple(
        link.organization
        for link in project.partners.select_related("organization").order_by("organization__name")
    )
    if partner is None:
        return Preview(request.user, partners=partners)
    return Preview(partner_viewer(project, partner), partner, partners)


def partner_viewer(project: Project, organization: Organization) -> User:
    """One of `organization`'s people on `project`, whom a preview of its view reads as."""
    member = (
        ProjectMember.objects.filter(
            project=project, organization=organization, user__is_active=True
        )
        .select_related("user")
        .order_by("joined_at")
        .first()
    )
    if member is None:
        message = f"{organization.name} has nobody on {project.code} yet: add one to preview."
        raise InvalidInput(message, errors={"as_partner": [message]})
    return member.user


def project_context(
    request: HttpRequest, project: Project | None, tab: str, **extra: Any
) -> dict[str, Any]:
    """What every project page's frame shows: the project, the viewer's membership, their
    rights; and `extra`, the page's own context.

    `can` maps each action's value to whether the viewer's role may do it; the page
    uses it only to hide controls, the services decide. `viewer` is whom the page's data is
    read as: the signed-in person, unless the page previews a partner's view (`preview`).
    """
    me = membership(request.user, project) if project is not None else None
    return {
        "project": project,
        "viewer": request.user,
        "me": me,
        "tab": tab,
        "can": {str(action.value): bool(me and role_may(me.role, action)) for action in Action},
        **extra,
    }


def ensure_recent_sign_in(
    request: AuthenticatedRequest, *, doing: str = "Creating a token"
) -> None:
    """Refuse (403) unless `request` comes through a web session signed in within
    COBENCH_RECENT_SIGN_IN_MINUTES: what creating an API token or changing one's two-factor
    sign-in asks, so that neither a token nor a browser left signed in can do it."""
    if getattr(request, "by_api_token", False):
        raise Forbidden(
            "A token cannot create tokens: create one on the web under API tokens, or "
            "call this with a signed-in session."
        )
    minutes = settings.COBENCH_RECENT_SIGN_IN_MINUTES
    since = timezone.now() - timedelta(minutes=minutes)
    key = request.session.session_key if hasattr(request, "session") else None
    if (
        not key
        or not UserSession.objects.filter(
            user=request.user, session_key=key, signed_in_at__gte=since
        ).exists()
    ):
        raise Forbidden(
            f"{doing} needs a sign-in within the last {minutes} minutes: "
            "sign in again, then try again."
        )
