"""Sign-ins, failed sign-ins, lockouts and sign-outs, as Django and django-axes report them."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import services
from .models import Kind


def _account(username: Any) -> Any:
    """The account named `username`, if there is one."""
    if not isinstance(username, str) or not username:
        return None
    return get_user_model().objects.filter(username=username).first()


@receiver(user_logged_in, dispatch_uid="security-sign-in")
def signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.record(kind=Kind.SIGN_IN, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="security-sign-in-failed")
def sign_in_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    username = credentials.get("username")
    services.record(
        kind=Kind.SIGN_IN_FAILED,
        user=_account(username),
        username=username if isinstance(username, str) else "",
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="security-locked-out")
def locked_out(sender: Any, request: Any, username: Any, **kwargs: Any) -> None:
    services.record(
        kind=Kind.LOCKOUT,
        user=_account(username),
        username=username if isinstance(username, str) else "",
        request=request,
        status=429,
        detail="sign-in",
    )


@receiver(user_logged_out, dispatch_uid="security-sign-out")
def signed_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.record(kind=Kind.SIGN_OUT, user=user, request=request)
