"""The request id that groups the audit events of one action (a request, a command, a task),
and the network address of the client of the request under way."""

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


_address: ContextVar[str | None] = ContextVar("cobench_client_address", default=None)


def current_address() -> str | None:
    """The address of the client of the request under way; None outside a request."""
    return _address.get()


@contextmanager
def client_address(value: str | None):
    """Run the block on behalf of a client at `value` (the security log records it)."""
    token = _address.set(value)
    try:
        yield value
    finally:
        _address.reset(token)
