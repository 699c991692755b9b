"""Writing, comparing and signing charter versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from pydantic import ValidationError

from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.core.concurrency import check_version
from cobench.core.errors import Conflict, InvalidInput, ReauthenticationFailed
from cobench.core.permissions import Action, roles_for
from cobench.notifications.kinds import Kind
from cobench.notifications.services import notify
from cobench.tenancy.access import ensure_can
from cobench.tenancy.models import Organization, Project, User

from .content import CharterContent, compare, gaps
from .models import CharterVersion, Signature

MAX_REASON = 2000


def parse_content(data: Any) -> CharterContent:
    """Validate raw charter content; InvalidInput names each bad field."""
    if isinstance(data, CharterContent):
        return data
    try:
        return CharterContent.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            path = ".".join(str(p) for p in err["loc"]) or _field_from_message(err["msg"])
            errors.setdefault(path or "content", []).append(_clean(err["msg"]))
        raise InvalidInput("The charter has invalid fields.", errors=errors) from exc


def _field_from_message(msg: str) -> str:
    text = msg.removeprefix("Value error, ")
    return text.split(":", 1)[0] if ":" in text else ""


def _clean(msg: str) -> str:
    text = msg.removeprefix("Value error, ")
    return text.split(": ", 1)[1] if ": " in text and text.split(":")[0].isidentifier() else text


def latest_version(project: Project) -> CharterVersion | None:
    return project.charter_versions.order_by("-number").first()


def governing_version(project: Project) -> CharterVersion | None:
    """The version whose rules apply (cadence, ladder): the latest signed one, else the latest."""
    versions = project.charter_versions.order_by("-number")
    return versions.filter(signed_at__isnull=False).first() or versions.first()


def required_signers(project: Project) -> list[Organization]:
    """The organizations whose lead must sign: the sponsor and every current partner."""
    today = timezone.localdate()
    partners = Organization.objects.filter(
        Q(partnerships__end_date__isnull=True) | Q(partnerships__end_date__gte=today),
        partnerships__project=project,
    )
    return [project.sponsor, *partners.order_by("name")]


@dataclass
class CharterState:
    """Where a version stands: its gaps, who signed, who still must, whether it is current."""

    version: CharterVersion
    is_latest: bool
    gaps: list[str]
    signatures: list[Signature]
    awaiting: list[Organization] = field(default_factory=list)

    @property
    def is_signed(self) -> bool:
        return self.version.signed_at is not None

    @property
    def label(self) -> str:
        if self.is_signed:
            return "signed"
        if not self.is_latest:
            return "superseded"
        return "partly signed" if self.signatures else "draft"


def charter_state(version: CharterVersion) -> CharterState:
    signatures = list(version.signatures.select_related("organization"))
    signed_orgs = {s.organization_id for s in signatures}
    latest = latest_version(version.project)
    return CharterState(
        version=version,
        is_latest=latest is not None and latest.pk == version.pk,
        gaps=gaps(version.parsed),
        signatures=signatures,
        awaiting=[]
        if version.signed_at
        else [o for o in required_signers(version.project) if o.pk not in signed_orgs],
    )


@transaction.atomic
def revise_charter(
    *, actor: User, project: Project, content: Any, reason: str, base_number: int
) -> CharterVersion:
    """Write the next charter version from `base_number` (0 for the first one).

    Refuses with StaleVersion when someone wrote a newer version meanwhile.
    """
    member = ensure_can(actor, project, Action.EDIT_CHARTER)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "Say why the charter changes.", errors={"reason": ["A reason is required."]}
        )
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            "The reason is too long.", errors={"reason": [f"At most {MAX_REASON} characters."]}
        )
    parsed = parse_content(content)
    Project.objects.select_for_update().filter(pk=project.pk).first()  # one writer at a time
    latest = latest_version(project)
    current = latest.number if latest else 0
    check_version(current=current, expected=base_number)
    data = parsed.as_data()
    if latest is not None and latest.content == data:
        raise InvalidInput(
            f"Nothing changed: this is the same as version {latest.number}.",
            errors={"content": ["No change."]},
        )
    version = CharterVersion.objects.create(
        project=project,
        number=current + 1,
        content=data,
        reason=reason,
        created_by=actor,
        created_by_label=actor.display_name,
    )
    changes = {
        row["field"]: [row["old"], row["new"]]
        for row in compare(latest.content if latest else {}, data)
    }
    _ask_for_signatures(version, author=actor)
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.CHARTER_VERSION_CREATED,
        target=version,
        changes=changes,
        reason=reason,
    )
    return version


def _ask_for_signatures(version: CharterVersion, *, author: User) -> None:
    """Tell each lead who must sign (but its author) that a new version awaits their signature."""
    orgs = [org.pk for org in required_signers(version.project)]
    leads = User.objects.filter(
        project_memberships__project=version.project,
        project_memberships__organization__in=orgs,
        project_memberships__role__in=roles_for(Action.SIGN_CHARTER),
    ).exclude(pk=author.pk)
    notify(
        kind=Kind.CHARTER_AWAITING_SIGNATURE,
        recipients=leads,
        about=version,
        title=f"{version.project.code}: charter version {version.number} awaits your signature",
        body=f"Reason for this version: {version.reason}",
        url=reverse("charter-version", args=[version.project_id, version.pk]),
        project=version.project,
        dedupe_key=f"charter-sign:{version.pk}",
    )


def compare_versions(old: CharterVersion, new: CharterVersion) -> list[dict[str, Any]]:
    """Field-by-field differences from `old` to `new`."""
    return compare(old.content, new.content)


@transaction.atomic
def sign_charter(*, actor: User, version: CharterVersion, password: str, meaning: str) -> Signature:
    """Sign `version` for the actor's organization after re-entering their password.

    The version is signed once the sponsor and every current partner have signed;
    only the latest version can be signed, and each organization signs once.
    """
    member = ensure_can(actor, version.project, Action.SIGN_CHARTER)
    meaning = (meaning or "").strip()
    if not meaning or len(meaning) > 500:
        raise InvalidInput(
            "State what your signature means.", errors={"meaning": ["1 to 500 characters."]}
        )
    if not password or not actor.check_password(password):
        raise ReauthenticationFailed()
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if version.signed_at is not None:
        raise Conflict(
            f"Version {version.number} is already signed; it cannot change. "
            "Write a new version to amend it."
        )
    latest = latest_version(version.project)
    if latest is not None and latest.pk != version.pk:
        raise Conflict(
            f"Version {version.number} is superseded by version {latest.number}; "
            "only the latest version can be signed."
        )
    if version.signatures.filter(organization=member.organization).exists():
        raise Conflict(f"{member.organization} has already signed version {version.number}.")
    side = (
        Signature.Side.SPONSOR
        if member.organization_id == version.project.sponsor_id
        else Signature.Side.PARTNER
    )
    signature = Signature.objects.create(
        version=version,
        signer=actor,
        signer_name=actor.display_name,
        organization=member.organization,
        side=side,
        role=member.role,
        meaning=meaning,
    )
    changes: dict[str, list[Any]] = {
        "signature": [None, f"{actor.display_name} for {member.organization}: {meaning}"]
    }
    signed = {s.organization_id for s in version.signatures.all()}
    if all(org.pk in signed for org in required_signers(version.project)):
        version.signed_at = signature.signed_at
        version.save(update_fields=["signed_at"])
        changes["signed_at"] = [None, version.signed_at]
    audit.record(
        actor=actor,
        event=Event.CHARTER_SIGNED,
        target=version,
        changes=changes,
        reason=meaning,
        organization=member.organization,
    )
    return signature
