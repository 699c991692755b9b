"""The request id that groups the audit events of one action (a request, a command, a task)."""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str | None] = ContextVar("cobench_request_id", default=None)


def current_request_id() -> str:
    """The id of the action under way; a fresh one when none was started."""
    return _request_id.get() or uuid.uuid4().hex


@contextmanager
def request_id(value: str | None = None):
    """Run the block as one action: every audit event in it shares one request id."""
    token = _request_id.set(value or uuid.uuid4().hex)
    try:
        yield _request_id.get()
    finally:
        _request_id.reset(token)
