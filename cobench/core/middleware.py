import ipaddress
import re
import zoneinfo

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.utils import timezone

from .context import client_address, request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def address_of(request) -> str | None:
    """The client's network address: REMOTE_ADDR, or with COBENCH_PROXY_COUNT reverse proxies
    in front, the one the outermost proxy saw, that many entries from the end of
    X-Forwarded-For (a client can only put addresses before those the proxies add)."""
    address = request.META.get("REMOTE_ADDR", "")
    if count := settings.COBENCH_PROXY_COUNT:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        address = hops[-count] if len(hops) >= count else ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class RequestIdMiddleware:
    """Give every request an id (or keep a well-formed X-Request-ID) and echo it back; note
    the client's address for the security log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        with (
            request_id(incoming if _SAFE_ID.match(incoming) else None) as rid,
            client_address(address_of(request)),
        ):
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


class SecurityHeadersMiddleware:
    """Switch off browser features cobench never uses, on every response, and keep what a
    signed-in person sees and every API answer out of caches (unless the view chose otherwise).

    It sits before whitenoise, so static files get the Permissions-Policy but keep their long
    caching: they never reach the authentication that would mark them as someone's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.COBENCH_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        personal = user is not None and user.is_authenticated
        if personal or request.path_info.startswith("/api/"):
            response.setdefault("Cache-Control", "no-store")
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), with inline styles allowed on the
    pages that show the structure editor: JSME's toolkit (GWT) injects <style> elements and styles
    its toolbar inline. Scripts stay 'self' only on every page. The editor's opening tag cannot
    come from what people type, which is escaped ("<" and quotes) wherever it is shown."""

    EDITOR = b'<div class="structure-editor"'

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        html = response.get("Content-Type", "").startswith("text/html")
        if html and not response.streaming and self.EDITOR in response.content:
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}
        return parts
