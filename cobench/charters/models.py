"""The kickoff charter: versions of what both sides agreed, and their signatures."""

import uuid

from django.conf import settings
from django.db import models

from cobench.tenancy.models import Organization, Project

from .content import CharterContent
from .querysets import CharterVersionQuerySet, SignatureQuerySet


class CharterVersion(models.Model):
    """One version of a project's charter. Never edited: a change is a new version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="charter_versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last required signature landed"
    )

    objects = CharterVersionQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="uniq_charter_version")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} charter v{self.number}"

    @property
    def parsed(self) -> CharterContent:
        return CharterContent.model_validate(self.content)


class Signature(models.Model):
    """A lead's signature on a charter version for their organization (21 CFR Part 11 style)."""

    class Side(models.TextChoices):
        SPONSOR = "sponsor", "Sponsor"
        PARTNER = "partner", "Partner"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="signatures")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=200)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=16, choices=Side.choices)
    role = models.CharField(max_length=32)
    meaning = models.CharField(max_length=500)
    signed_at = models.DateTimeField(auto_now_add=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "organization"], name="uniq_signature_org")
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} for {self.organization} on {self.version}"

    @property
    def project_id(self):
        return self.version.project_id
