"""Background jobs that run by themselves every so often (escalations, digests, staleness).

Each job is a django-tasks task that is safe to run twice and catches up on its
own after downtime (it computes what is due from the database, not from when it
last ran). They live in each app's `tasks.py`, imported at start-up; `cobench
worker` (started by `cobench serve`) enqueues each one at its interval and runs
the queue.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django_tasks import task as make_task


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    task: Any


PERIODIC: dict[str, Periodic] = {}


def periodic(*, every: timedelta):
    """Decorator: make `func` a task and run it every `every` in the worker."""

    def register(func):
        task = make_task(func)
        PERIODIC[f"{func.__module__}.{func.__name__}"] = Periodic(func.__name__, every, task)
        return task

    return register
