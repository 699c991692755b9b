"""Domain errors raised by services; each door (web, API, CLI) renders them its own way."""

from collections.abc import Mapping


class CobenchError(Exception):
    """A refusal with a status, a short title and a sentence a user can act on."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, *, errors: Mapping[str, list[str]] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = dict(errors or {})


class NotFound(CobenchError):
    """Missing, or outside the caller's reach: the two are never told apart."""

    status = 404
    title = "Not found"

    def __init__(self, detail: str = "No such object, or it is not yours to see."):
        super().__init__(detail)


class Forbidden(CobenchError):
    """The caller can see the object but their role may not do this."""

    status = 403
    title = "Forbidden"


class InvalidInput(CobenchError):
    """The input breaks a rule; `errors` says which field and why."""

    status = 422
    title = "Invalid input"


class Conflict(CobenchError):
    """The object's state refuses the change (signed, already done, wrong state)."""

    status = 409
    title = "Conflict"


class StaleVersion(CobenchError):
    """The change was based on an older version than the one stored."""

    status = 412
    title = "Precondition failed"

    def __init__(self, *, expected: int, current: int):
        super().__init__(
            f"Someone else changed this since you loaded it (you edited version {expected}, "
            f"the current one is {current}). Reload, re-apply your change and save again."
        )
        self.expected, self.current = expected, current


class TooManyFailures(CobenchError):
    """Too many failed attempts from the caller's address: refused for `retry_after` seconds."""

    status = 429
    title = "Too many requests"

    def __init__(self, retry_after: int):
        super().__init__(
            f"Too many failed attempts from your address. Try again in {retry_after} seconds."
        )
        self.retry_after = retry_after


class ReauthenticationFailed(CobenchError):
    """A signature's password check failed."""

    status = 403
    title = "Re-authentication failed"

    def __init__(self) -> None:
        super().__init__(
            "The password is not correct; nothing was signed.",
            errors={"password": ["The password is not correct."]},
        )


class VersionRequired(CobenchError):
    """An update must say which version it was based on."""

    status = 428
    title = "Precondition required"

    def __init__(self):
        super().__init__(
            "Say which version you changed: send the ETag you read as If-Match, "
            "or the object's 'version' in the body.",
            errors={"version": ["Required (or an If-Match header)."]},
        )
