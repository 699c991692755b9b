"""Sign-ins, failed sign-ins, lockouts and sign-outs, as Django and django-axes report them;
second factors and two-factor set-up changes, as django-allauth's mfa reports them."""

from typing import Any

from allauth.mfa import signals as mfa
from allauth.mfa.models import Authenticator
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


@receiver(mfa.authentication_failed, dispatch_uid="security-mfa-failed")
def second_factor_failed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.record(kind=Kind.MFA_FAILED, user=user, request=request)


@receiver(mfa.authenticator_used, dispatch_uid="security-mfa-used")
def second_factor_used(sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        left = len(authenticator.wrap().get_unused_codes())
        services.record(
            kind=Kind.RECOVERY_CODE_USED, user=user, request=request, detail=f"{left} left"
        )


@receiver(mfa.authenticator_added, dispatch_uid="security-mfa-added")
def second_factor_added(
    sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        services.record(kind=Kind.MFA_ACTIVATED, user=user, request=request, detail="TOTP")


@receiver(mfa.authenticator_removed, dispatch_uid="security-mfa-removed")
def second_factor_removed(
    sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any
) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        services.record(kind=Kind.MFA_DEACTIVATED, user=user, request=request, detail="TOTP")


@receiver(mfa.authenticator_reset, dispatch_uid="security-mfa-reset")
def second_factor_reset(
    sender: Any, request: Any, user: Any, authenticator: Any, **kw: Any
) -> None:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        services.record(kind=Kind.RECOVERY_CODES_REGENERATED, user=user, request=request)
