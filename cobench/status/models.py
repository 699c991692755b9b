"""The living status document: one per project and partner, every save a version."""

import uuid

from django.conf import settings
from django.db import models

from cobench.tenancy.models import Organization, Project

from .querysets import StatusDocumentQuerySet, StatusVersionQuerySet

# The sections of every status document, in reading order: name → heading.
SECTIONS: dict[str, str] = {
    "progress": "Progress",
    "next_steps": "Next steps",
    "risks": "Risks and issues",
    "asks": "Asks of the sponsor",
}
MAX_SECTION = 10_000  # characters per section


class StatusDocument(models.Model):
    """What a partner says about where the work stands; `version` is its current version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_documents")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    objects = StatusDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["project", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organization"], name="uniq_status_document")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} status of {self.organization}"

    @property
    def current(self) -> "StatusVersion | None":
        return self.versions.order_by("-number").first()


class StatusVersion(models.Model):
    """One saved version of a status document. Never edited: a change is a new version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(StatusDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    progress = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    asks = models.TextField(blank=True)
    changed = models.JSONField(default=list, help_text="The sections that differ from the previous")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200)
    created_by_time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField()

    objects = StatusVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="uniq_status_version")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    @property
    def project_id(self):
        return self.document.project_id

    def sections(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SECTIONS}


class StatusReadMark(models.Model):
    """The version of a document a person last read: what changed since is shown to them.

    A reader's own bookmark, not project data: it is never shown to anyone else.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(StatusDocument, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "document"], name="uniq_status_read_mark")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.document} v{self.number}"
