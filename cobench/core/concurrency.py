"""Optimistic concurrency in services: a change names the version it was based on.

The doors read that version from the caller (the API from If-Match or the body, see
`cobench.api.concurrency`; the pages from a hidden field); the service compares it
with the stored one here, after locking the row.
"""

from cobench.core.errors import StaleVersion


def check_version(*, current: int, expected: int | None) -> None:
    """Refuse with StaleVersion when the change was based on another version than
    `current`; `expected` None means the caller named none, so nothing is checked."""
    if expected is not None and current != expected:
        raise StaleVersion(expected=expected, current=current)
