"""Text checks shared by every door (PostgreSQL cannot store NUL characters in text)."""

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
