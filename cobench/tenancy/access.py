"""Access helpers every service uses: membership and the role check."""

from typing import Any

from cobench.core.errors import Forbidden, NotFound
from cobench.core.permissions import Action, Role, role_may

from .models import Project, ProjectMember


def membership(user: Any, project: Project) -> ProjectMember | None:
    """`user`'s membership of `project`, if any."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return (
        ProjectMember.objects.select_related("organization")
        .filter(project=project, user=user)
        .first()
    )


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
