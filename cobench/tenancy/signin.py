"""Signing in and out: each sign-in is recorded as a `UserSession`, each request checks it.

A session unused for COBENCH_IDLE_TIMEOUT_MINUTES, signed in longer than
SESSION_COOKIE_AGE ago, or ended from another device is signed out on its next request:
a page then redirects to the sign-in page with a message, an API call answers 401.
A person whose organization requires two-factor sign-in is sent to set it up first, and
setting it up ends their other sessions.
"""

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import services
from .mfa import has_mfa


@receiver(user_logged_in, dispatch_uid="cobench-record-sign-in")
def _signed_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    services.record_sign_in(
        user=user,
        session_key=request.session.session_key or "",
        user_agent=request.headers.get("User-Agent", ""),
        ip_address=request.META.get("REMOTE_ADDR"),
    )


@receiver(user_logged_out, dispatch_uid="cobench-forget-session")
def _signed_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if request.session.session_key:
        services.forget_session(session_key=request.session.session_key)


@receiver(authenticator_added, dispatch_uid="cobench-mfa-ends-other-sessions")
def _mfa_turned_on(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any):
    # whoever signed in elsewhere with the password alone is signed out (ASVS 7.4.3)
    if authenticator.type == Authenticator.Type.TOTP:
        services.end_other_sessions(actor=user, keep=request.session.session_key)


_WHY = {
    "idle": "You were signed out after {minutes} minutes without activity. Sign in again.",
    "expired": "Your sign-in lasted its {hours} hours. Sign in again.",
    "ended": "This session was ended. Sign in again.",
}


class SessionActivityMiddleware:
    """Sign out a session that went idle, outlived its sign-in or was ended; note activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.session.session_key
        if key and SESSION_KEY in request.session and request.user.is_authenticated:
            state = services.session_state(user=request.user, session_key=key)
            if state != "active":
                logout(request)
                messages.info(
                    request,
                    _WHY[state].format(
                        minutes=settings.COBENCH_IDLE_TIMEOUT_MINUTES,
                        hours=settings.SESSION_COOKIE_AGE // 3600,
                    ),
                )
        return self.get_response(request)


def idle_timeout(request: HttpRequest) -> dict[str, int]:
    """The idle timeout, for the page's warning before it signs out (session-timeout.js)."""
    minutes = settings.COBENCH_IDLE_TIMEOUT_MINUTES
    return {"session_idle_minutes": minutes, "session_idle_seconds": minutes * 60}


class RequireMfaMiddleware:
    """Send a person whose organization requires two-factor sign-in, and who has none yet, to
    set it up: every other page waits (signing out and the set-up itself do not)."""

    OPEN = ("/profile/two-factor/", "/logout/", "/session/ping/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith((settings.STATIC_URL, *self.OPEN))
            and services.mfa_required_of(user)
            and not has_mfa(user)
        ):
            why = "Your organization requires two-factor sign-in: set it up first."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": why}, status=403)
            messages.warning(request, why)
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
