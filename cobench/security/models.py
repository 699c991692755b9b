"""The security log: sign-ins, failed sign-ins and second factors, lockouts, sign-outs,
two-factor set-up changes, API tokens and refused
accesses, one append-only row each.

It is not the audit trail: most entries change no data, many come from people who are not
signed in at a rate they choose, and they are about people rather than projects. Kept apart,
they never contend for the audit trail's chain. On PostgreSQL a trigger refuses UPDATE and
DELETE on this table too.
"""

import uuid
from typing import Any

from django.apps import apps
from django.db import models

from cobench.core.permissions import Role

# the roles whose holders read the security log of their organization's people
READER_ROLES = (Role.SPONSOR_LEAD, Role.PARTNER_LEAD, Role.QA_AUDITOR)


class Kind(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKOUT = "lockout", "Refused: too many failures"
    SIGN_OUT = "sign_out", "Signed out"
    MFA_FAILED = "mfa_failed", "Second factor refused"
    RECOVERY_CODE_USED = "recovery_code_used", "Signed in with a recovery code"
    MFA_ACTIVATED = "mfa_activated", "Two-factor sign-in turned on"
    MFA_DEACTIVATED = "mfa_deactivated", "Two-factor sign-in turned off"
    RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", "Recovery codes replaced"
    TOKEN_CREATED = "token_created", "API token created"
    TOKEN_REVOKED = "token_revoked", "API token revoked"
    TOKEN_REFUSED = "token_refused", "API token refused"
    ACCESS_REFUSED = "access_refused", "Access refused"


class SecurityEventQuerySet(models.QuerySet["SecurityEvent"]):
    def readable_by(self, user: Any) -> "SecurityEventQuerySet":
        """The entries `user` may read: those about the people of each organization they are
        a lead or QA auditor for on some project; every entry for a superuser."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        organizations = (
            apps.get_model("tenancy", "ProjectMember")
            .objects.filter(user=user, role__in=READER_ROLES)
            .values("organization_id")
        )
        people = (
            apps.get_model("tenancy", "OrganizationMembership")
            .objects.filter(organization_id__in=organizations)
            .values("user_id")
        )
        return self.filter(user_id__in=people)


class SecurityEvent(models.Model):
    """One security-relevant happening: what, when, who (as typed, for a failed sign-in), from
    which address, and the request it was part of. Names are copied, not linked."""

    seq = models.BigAutoField(primary_key=True)
    id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    user_id = models.UUIDField(null=True, blank=True, help_text="The account, when there is one")
    username = models.CharField(max_length=150, blank=True, help_text="As given, for a failure")
    address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(max_length=300, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["user_id", "created_at"], name="security_user_idx"),
            models.Index(fields=["kind", "address", "created_at"], name="security_address_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.username}"
