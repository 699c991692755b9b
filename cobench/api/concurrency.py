"""Optimistic concurrency: objects carry a version sent as an ETag; updates name it back."""

import re

from django.http import HttpRequest, HttpResponse

from cobench.core.errors import InvalidInput, VersionRequired

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def set_etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


def expected_version(request: HttpRequest, body_version: int | None) -> int:
    """The version the caller based their change on: If-Match first, else the body's."""
    header = request.headers.get("If-Match")
    if header:
        match = _ETAG.match(header)
        if not match:
            raise InvalidInput(
                'If-Match must be the ETag you read, e.g. "3".',
                errors={"If-Match": ["Not an ETag cobench sent."]},
            )
        return int(match.group(1))
    if body_version is None:
        raise VersionRequired()
    return body_version
