"""Limit/offset pages whose offset stays within what every database accepts.

django-ninja's own class takes any non-negative offset; SQLite refuses one past
2**63 with an error, so a huge offset gave a 500 instead of a per-field 422.
An endpoint that knows how many items its queryset holds more cheaply than by
counting it sets `known_count` on it (a project's compounds: its links); one whose
page must be prepared for the caller's eyes (coded samples) sets `shown`, a function
of the page's rows.
"""

from typing import Any

from ninja import Field, Schema
from ninja.conf import settings
from ninja.pagination import LimitOffsetPagination

MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.PAGINATION_PER_PAGE, ge=1, le=settings.PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: Any, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        if (shown := getattr(queryset, "shown", None)) is not None:
            page[self.items_attribute] = shown(page[self.items_attribute])
        return page

    def _items_count(self, queryset: Any) -> int:
        known = getattr(queryset, "known_count", None)
        return known if known is not None else super()._items_count(queryset)
