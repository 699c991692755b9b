"""The sign-in lockout: django-axes with one limit for an account and another for an address,
and the sign-in page it answers with while it lasts."""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .services import cooling_off


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, counting an account's failures and an address's apart:
    AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"], in that order."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        """The failures axes weighs against AXES_FAILURE_LIMIT (the account's limit): the
        account's own, or that limit itself once the address has reached its own."""
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.COBENCH_LOCKOUT_ADDRESS_FAILURES:
            return max(by_account, get_failure_limit(request, credentials))
        return by_account


def lockout_message() -> str:
    """What a locked-out sign-in reads: the same for every account, known or not."""
    minutes = max(1, round(cooling_off().total_seconds() / 60))
    return f"Too many failed sign-ins. Signing in is paused for {minutes} minutes; try again later."


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The sign-in page with the cooling-off message, as 429 (AXES_LOCKOUT_CALLABLE)."""
    response = render(
        request,
        "tenancy/login.html",
        {
            "form": AuthenticationForm(request),
            "locked_out": lockout_message(),
            "next": request.POST.get("next", ""),
        },
        status=429,
    )
    response["Retry-After"] = str(int(cooling_off().total_seconds()))
    return response
