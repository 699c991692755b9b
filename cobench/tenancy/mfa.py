"""Two-factor sign-in: django-allauth's mfa (TOTP and recovery codes) behind cobench's pages.

Django's sign-in form checks the password (django-axes counts its failures); allauth's login
steps then ask a person with an authenticator for its code before signing them in. Setting
it up, replacing the recovery codes and turning it off are allauth's views, each asking for a
recent sign-in. An organization may require it of its people (`RequireMfaMiddleware`).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import perform_login
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import views as auth_views
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse

from cobench.core.web import page

from .access import ensure_recent_sign_in

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account app only runs the sign-in's steps: accounts are made by cobench."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        # a sign-in finished after its second factor reloads the user: name the backend
        # that checked the password, not the first one listed (django-axes' gate)
        if not hasattr(user, "backend"):
            user.backend = MODEL_BACKEND  # type: ignore[attr-defined]
        super().login(request, user)


class SignIn(auth_views.LoginView):
    """Django's sign-in form; a person with two-factor sign-in is then asked for a code."""

    template_name = "tenancy/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response: HttpResponse = perform_login(
            self.request, form.get_user(), redirect_url=self.get_success_url()
        )
        return response


def has_mfa(user: Any) -> bool:
    """Whether `user` signs in with a second factor (an authenticator app)."""
    return bool(is_mfa_enabled(user, [Authenticator.Type.TOTP]))


def recent_sign_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """allauth's set-up `view`, for a person signed in within COBENCH_RECENT_SIGN_IN_MINUTES."""

    @page
    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        ensure_recent_sign_in(request, doing="Changing your two-factor sign-in")
        return view(request, *args, **kwargs)

    return wrapper
