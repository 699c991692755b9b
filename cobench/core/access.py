"""Fetching one object through the tenancy restriction."""

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from .errors import NotFound

M = TypeVar("M", bound=models.Model)


def get_visible(queryset: "models.QuerySet[M] | models.Manager[M]", user: Any, **lookup: Any) -> M:
    """The one object matching `lookup` that `user` may see, else NotFound (never Forbidden)."""
    try:
        return queryset.visible_to(user).get(**lookup)  # type: ignore[union-attr]  # scoped rows
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound() from exc
