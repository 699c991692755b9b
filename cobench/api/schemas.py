"""Schemas every API module shares: the base of input bodies, references to organizations."""

from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import field_validator

from cobench.core.text import reject_nul


class Input(Schema):
    """A request body: unknown fields are ignored, NUL characters refused per field."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # nested objects are models of their own and name their own bad fields
        return value if isinstance(value, dict) else reject_nul(value)


class OrgRef(Schema):
    """An organization as other records name it."""

    id: UUID
    name: str
