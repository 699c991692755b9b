import re
import zoneinfo

from django.utils import timezone

from .context import request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed X-Request-ID) and echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        with request_id(incoming if _SAFE_ID.match(incoming) else None) as rid:
            request.request_id = rid
            response = self.get_response(request)
        response["X-Request-ID"] = rid
        return response


class UserTimezoneMiddleware:
    """Show times in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz = getattr(request.user, "time_zone", "") if hasattr(request, "user") else ""
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz)) if tz else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)
