"""Access helpers every door uses: membership, the role check and the project lookups.

Pages and API endpoints fetch the project they are about with `project_for`
(someone else's project is a 404, like a missing one), name an organization a
caller sent with `organization_or_422`, and pages frame themselves with
`project_context`. Services check roles with `ensure_can`. Creating an API token asks
for a recent sign-in (`ensure_recent_sign_in`).
"""

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
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


def project_context(
    request: HttpRequest, project: Project | None, tab: str, **extra: Any
) -> dict[str, Any]:
    """What every project page's frame shows: the project, the viewer's membership, their
    rights; and `extra`, the page's own context.

    `can` maps each action's value to whether the viewer's role may do it; the page
    uses it only to hide controls, the services decide.
    """
    me = membership(request.user, project) if project is not None else None
    return {
        "project": project,
        "me": me,
        "tab": tab,
        "can": {str(action.value): bool(me and role_may(me.role, action)) for action in Action},
        **extra,
    }


def ensure_recent_sign_in(request: AuthenticatedRequest) -> None:
    """Refuse (403) unless `request` comes through a web session signed in within
    COBENCH_RECENT_SIGN_IN_MINUTES: what creating an API token asks, so that neither a
    token nor a browser left signed in can make new tokens."""
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
            f"Creating a token needs a sign-in within the last {minutes} minutes: "
            "sign in again, then create it."
        )
