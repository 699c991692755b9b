"""API authentication: personal tokens (`Authorization: Bearer …`) or the web session."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from cobench.security import services as security
from cobench.security.models import Kind
from cobench.tenancy.services import authenticate_token


class TokenAuth(HttpBearer):
    """A personal API token; expired, revoked and unknown tokens are refused alike, each is
    logged, and an address that sent too many of them is refused for a while (429)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        security.ensure_address_not_locked(request)
        user = authenticate_token(token)
        if user is None:
            security.record(kind=Kind.TOKEN_REFUSED, request=request, status=401)
            return None
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
