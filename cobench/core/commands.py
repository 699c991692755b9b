"""What every management command shares: how the command line shows a service's refusal."""

from collections.abc import Callable
from typing import Any

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
