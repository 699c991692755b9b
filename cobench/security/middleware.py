"""Refused accesses go to the security log, whichever door refused them."""

import uuid
from typing import Any

from . import services
from .models import Kind


def _names_object(request: Any) -> bool:
    """Whether the route asked for names an object by its id. A 404 there may hide an object
    the caller may not see; it is never told apart from a missing one, so both are logged."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    for value in match.kwargs.values():
        if isinstance(value, uuid.UUID):
            return True
        try:
            uuid.UUID(str(value))
        except ValueError:
            continue
        return True
    return False


class RefusedAccessMiddleware:
    """Log every 403, and every 404 on a route that names an object, with the person (if
    signed in), the request id and the address: the web pages' and the API's alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        status = response.status_code
        if status == 403 or (status == 404 and _names_object(request)):
            user = getattr(request, "user", None)
            services.record(
                kind=Kind.ACCESS_REFUSED,
                user=user if user is not None and user.is_authenticated else None,
                request=request,
                status=status,
            )
        return response
