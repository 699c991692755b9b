"""API authentication: personal tokens (`Authorization: Bearer …`) or the web session."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from cobench.tenancy.services import authenticate_token


class TokenAuth(HttpBearer):
    """A personal API token; expired, revoked and unknown tokens are refused alike."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token)
        if user is not None:
            request.user = user
            # creating tokens asks for a signed-in session (tenancy.access.ensure_recent_sign_in)
            request.by_api_token = True  # type: ignore[attr-defined]
        return user


class ActiveSessionAuth(SessionAuth):
    """The browser's session (with its CSRF check on writes)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [TokenAuth(), ActiveSessionAuth()]
