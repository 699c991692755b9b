"""What every management command shares: who acts on which project, and how the command line
shows a service's refusal."""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.management.base import CommandError

from cobench.core.errors import CobenchError


def run_service(call: Callable[[], Any]) -> Any:
    """Call a service; a refusal becomes a CommandError naming each bad field."""
    try:
        return call()
    except CobenchError as exc:
        lines = [exc.detail] + [
            f"  {field}: {' '.join(msgs)}" for field, msgs in exc.errors.items()
        ]
        raise CommandError("\n".join(lines)) from exc


def actor_and_project(username: str, code: str) -> tuple[Any, Any]:
    """The active user `username` and their project `code`; else a CommandError."""
    user = apps.get_model("tenancy", "User").objects.filter(username=username, is_active=True)
    actor = user.first()
    if actor is None:
        raise CommandError(f"No active user {username!r}.")
    project = apps.get_model("tenancy", "Project").objects.visible_to(actor).filter(code=code)
    found = project.first()
    if found is None:
        raise CommandError(f"No project {code!r} of {actor.username}.")
    return actor, found
