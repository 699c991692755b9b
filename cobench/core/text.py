"""Text checks shared by every door (PostgreSQL cannot store NUL characters in text), and
exported cells made safe for spreadsheets."""

from typing import Any

NUL_MESSAGE = "Text may not contain NUL (0x00) characters."


def contains_nul(value: Any) -> bool:
    """Whether any string inside `value` (nested lists and dicts included) holds a NUL."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(contains_nul(v) for v in value)
    return False


def reject_nul(value: Any) -> Any:
    """A pydantic 'before' validator: refuse NUL characters anywhere in the value."""
    if contains_nul(value):
        raise ValueError(NUL_MESSAGE)
    return value


REQUIRED = "Required."
NOT_TEXT = "Must be text."
TOO_LONG = "At most {limit:,} characters (this has {length:,})."
# The wordings older forms already show their users; kept so no message changes.
WRITE_SOMETHING = "Required: write something."
TOO_LONG_UNGROUPED = "At most {limit} characters (this has {length})."
TOO_LONG_BRIEF = "At most {limit:,} characters."


def clean_text(
    errors: dict[str, list[str]],
    name: str,
    value: Any,
    *,
    limit: int,
    required: bool = False,
    strip: bool = True,
    required_message: str = REQUIRED,
    too_long: str = TOO_LONG,
    nul_message: str = NUL_MESSAGE,
) -> str:
    """`value` as stored (stripped unless `strip` is False), or its problem added to
    `errors[name]`: not text, a NUL, missing when `required`, or longer than `limit`.

    `too_long` is formatted with `limit` and `length`; the message keywords keep each
    form's wording as its users know it.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.setdefault(name, []).append(NOT_TEXT)
        return ""
    if strip:
        value = value.strip()
    if contains_nul(value):
        errors.setdefault(name, []).append(nul_message)
    elif required and not value:
        errors.setdefault(name, []).append(required_message)
    elif len(value) > limit:
        errors.setdefault(name, []).append(too_long.format(limit=limit, length=len(value)))
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made plain text with a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
