"""Writing status documents, telling whether they are fresh, and comparing their versions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.charters.services import governing_version
from cobench.core.concurrency import check_version
from cobench.core.errors import Conflict, Forbidden, InvalidInput
from cobench.core.permissions import Action, Role
from cobench.core.text import NUL_MESSAGE, contains_nul
from cobench.notifications.kinds import Kind
from cobench.notifications.services import notify
from cobench.tenancy.access import ensure_can
from cobench.tenancy.models import Organization, Project, ProjectMember, ProjectPartner, User

from .models import MAX_SECTION, SECTIONS, StatusDocument, StatusReadMark, StatusVersion

# Writing ---------------------------------------------------------------------------------


def clean_sections(sections: Mapping[str, Any]) -> dict[str, str]:
    """The four sections as stored: line ends unified, trailing blanks dropped; each checked.

    InvalidInput names every section that is too long, not text, or holds NUL characters.
    """
    errors: dict[str, list[str]] = {}
    if unknown := set(sections) - set(SECTIONS):
        for name in sorted(unknown):
            errors[name] = [f"Not a section; the sections are {', '.join(SECTIONS)}."]
    out: dict[str, str] = {}
    for name, label in SECTIONS.items():
        value = sections.get(name) or ""
        if not isinstance(value, str):
            errors[name] = [f"{label} must be text."]
            continue
        if contains_nul(value):
            errors[name] = [NUL_MESSAGE]
            continue
        text = "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n"))
        text = text.strip("\n")
        if len(text) > MAX_SECTION:
            errors[name] = [f"At most {MAX_SECTION:,} characters; this has {len(text):,}."]
        out[name] = text
    if errors:
        raise InvalidInput("Some sections cannot be saved.", errors=errors)
    if not any(out.values()):
        raise InvalidInput(
            "Write at least one section.",
            errors={"progress": ["Say where the work stands (or fill another section)."]},
        )
    return out


def _writer(actor: User, project: Project) -> ProjectMember:
    """`actor`'s membership when they may write their organization's status document."""
    member = ensure_can(actor, project, Action.EDIT_STATUS)
    if not project.partners.filter(organization=member.organization).exists():
        raise Forbidden(f"{member.organization} is not a partner on {project.code}.")
    return member


@transaction.atomic
def start_status(
    *, actor: User, project: Project, sections: Mapping[str, Any], now: datetime | None = None
) -> StatusVersion:
    """Write version 1 of the status document of `actor`'s organization on `project`."""
    member = _writer(actor, project)
    cleaned = clean_sections(sections)
    Project.objects.select_for_update().filter(pk=project.pk).first()  # one writer at a time
    existing = StatusDocument.objects.filter(project=project, organization=member.organization)
    if existing.exists():
        raise Conflict(
            f"{member.organization} already has a status document on {project.code}; "
            "save a new version of it instead."
        )
    now = now or timezone.now()
    document = StatusDocument.objects.create(
        project=project, organization=member.organization, created_at=now
    )
    version = _write_version(actor, document, cleaned, None, now)
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.STATUS_CREATED,
        target=document,
        changes={"version": [None, 1], **{n: [None, v] for n, v in cleaned.items() if v}},
    )
    _tell_sponsor(version)
    return version


@transaction.atomic
def save_status(
    *,
    actor: User,
    document: StatusDocument,
    sections: Mapping[str, Any],
    base_number: int,
    now: datetime | None = None,
) -> StatusVersion:
    """Save the next version of `document` on top of version `base_number`.

    Only people of the document's organization write it; a save based on an older
    version than the current one is refused with StaleVersion.
    """
    member = _writer(actor, document.project)
    if member.organization_id != document.organization_id:
        raise Forbidden(
            f"Only the people of {document.organization} write its status document; "
            "you can read it."
        )
    cleaned = clean_sections(sections)
    document = StatusDocument.objects.select_for_update().get(pk=document.pk)
    check_version(current=document.version, expected=base_number)
    previous = document.current
    before = previous.sections() if previous else dict.fromkeys(SECTIONS, "")
    if before == cleaned:
        raise InvalidInput(
            f"Nothing changed: this is the same as version {document.version}.",
            errors={"progress": ["No section changed."]},
        )
    now = now or timezone.now()
    if previous and now < previous.created_at:
        raise InvalidInput(
            "A version cannot be older than the one before it.",
            errors={"now": ["Before the current version."]},
        )
    version = _write_version(actor, document, cleaned, previous, now)
    changes: dict[str, list[Any]] = {
        "version": [previous.number if previous else 0, version.number]
    }
    changes |= {name: [before[name], cleaned[name]] for name in version.changed}
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.STATUS_UPDATED,
        target=document,
        changes=changes,
    )
    _tell_sponsor(version)
    return version


def _write_version(
    actor: User,
    document: StatusDocument,
    sections: dict[str, str],
    previous: StatusVersion | None,
    now: datetime,
) -> StatusVersion:
    before = previous.sections() if previous else dict.fromkeys(SECTIONS, "")
    version = StatusVersion.objects.create(
        document=document,
        number=document.version + 1,
        changed=[name for name in SECTIONS if before[name] != sections[name]],
        created_by=actor,
        created_by_label=actor.display_name,
        created_by_time_zone=actor.time_zone,
        created_at=now,
        **sections,
    )
    document.version = version.number
    document.save(update_fields=["version"])
    return version


def _tell_sponsor(version: StatusVersion) -> None:
    """Each save tells the sponsor's people on the project (auditors excepted)."""
    document = version.document
    project = document.project
    people = User.objects.filter(
        project_memberships__project=project,
        project_memberships__organization_id=project.sponsor_id,
    ).exclude(project_memberships__role=Role.QA_AUDITOR)
    changed = ", ".join(SECTIONS[n].lower() for n in version.changed) or "no section"
    notify(
        kind=Kind.STATUS_UPDATED,
        recipients=people.distinct(),
        about=document,
        title=f"{project.code}: {document.organization} updated its status (v{version.number})",
        body=f"{version.created_by_label} changed {changed}.",
        url=document_url(document),
        project=project,
        dedupe_key=f"status-updated:{version.pk}",
    )


def document_url(document: StatusDocument) -> str:
    return reverse("status-document", args=[document.project_id, document.pk])


# Freshness -------------------------------------------------------------------------------


def cadence_days(project: Project) -> int | None:
    """Days between status updates the charter asks for (the signed version's, else latest)."""
    charter = governing_version(project)
    return charter.parsed.status_update_cadence_days if charter else None


@dataclass
class Freshness:
    """Where one partner's status document stands against the charter's cadence."""

    project: Project
    organization: Organization
    document: StatusDocument | None
    current: StatusVersion | None
    cadence_days: int | None
    now: datetime
    is_partner: bool = True  # a former partner's document is kept, never stale
    partner_since: date | None = None  # a new partner has one cadence to write its first

    @property
    def age(self) -> timedelta | None:
        return self.now - self.current.created_at if self.current else None

    @property
    def due_at(self) -> datetime | None:
        if not self.cadence_days:
            return None
        if self.current is None:
            if self.partner_since is None:
                return None
            start = datetime.combine(self.partner_since, time.min, tzinfo=self.now.tzinfo)
            return start + timedelta(days=self.cadence_days)
        return self.current.created_at + timedelta(days=self.cadence_days)

    @property
    def is_stale(self) -> bool:
        if not self.is_partner or not self.cadence_days:
            return False
        return self.due_at is not None and self.now > self.due_at

    @property
    def label(self) -> str:
        """fresh, stale, not written, no cadence or former partner."""
        if not self.is_partner:
            return "former partner"
        if self.current is None:
            return "not written"
        if not self.cadence_days:
            return "no cadence"
        return "stale" if self.is_stale else "fresh"

    @property
    def stale_for(self) -> timedelta | None:
        """How long past its due time the document is."""
        return self.now - self.due_at if self.is_stale and self.due_at else None


def _current_partners(
    project: Project, now: datetime, seen_by: User | None
) -> list[ProjectPartner]:
    today = timezone.localdate(now)
    partners = ProjectPartner.objects.filter(project=project)
    if seen_by is not None:
        partners = partners.visible_to(seen_by)
    return list(
        partners.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("organization")
        .order_by("organization__name")
    )


def project_freshness(
    project: Project, *, seen_by: User | None, now: datetime | None = None
) -> list[Freshness]:
    """One row per current partner (written or not), then former partners' kept documents:
    those `seen_by` sees (None: all, for the periodic jobs)."""
    now = now or timezone.now()
    cadence = cadence_days(project)
    kept = StatusDocument.objects.filter(project=project)
    if seen_by is not None:
        kept = kept.visible_to(seen_by)
    documents = {d.organization_id: d for d in kept.select_related("organization", "project")}
    by_pk = {d.pk: d for d in documents.values()}
    currents = {
        v.document_id: v
        for v in StatusVersion.objects.filter(document__in=list(by_pk))
        if v.number == by_pk[v.document_id].version
    }
    rows = []
    for partner in _current_partners(project, now, seen_by):
        document = documents.pop(partner.organization_id, None)
        rows.append(
            Freshness(
                project,
                partner.organization,
                document,
                currents.get(document.pk) if document else None,
                cadence,
                now,
                partner_since=partner.start_date,
            )
        )
    for document in documents.values():
        rows.append(
            Freshness(
                project,
                document.organization,
                document,
                currents.get(document.pk),
                cadence,
                now,
                is_partner=False,
            )
        )
    return rows


def document_freshness(document: StatusDocument, *, now: datetime | None = None) -> Freshness:
    now = now or timezone.now()
    partners = {p.organization_id for p in _current_partners(document.project, now, None)}
    return Freshness(
        document.project,
        document.organization,
        document,
        document.current,
        cadence_days(document.project),
        now,
        is_partner=document.organization_id in partners,
    )


def stale_for_leads(user: Any, *, now: datetime | None = None) -> list[Freshness]:
    """The stale (or never written) documents `user` answers for as a lead.

    A sponsor lead sees every partner's; a partner lead their own organization's.
    """
    now = now or timezone.now()
    rows: list[Freshness] = []
    leads = ProjectMember.objects.filter(
        user=user,
        role__in=[Role.SPONSOR_LEAD, Role.PARTNER_LEAD],
        project__status=Project.Status.ACTIVE,
    ).select_related("project")
    for member in leads:
        for row in project_freshness(member.project, seen_by=user, now=now):
            mine = member.role == Role.SPONSOR_LEAD or row.organization.pk == member.organization_id
            if mine and row.is_stale:
                rows.append(row)
    return rows


def _leads_for(row: Freshness) -> list[User]:
    return list(
        User.objects.filter(
            Q(project_memberships__role=Role.SPONSOR_LEAD)
            | Q(
                project_memberships__role=Role.PARTNER_LEAD,
                project_memberships__organization=row.organization,
            ),
            project_memberships__project=row.project,
        ).distinct()
    )


def notify_stale(*, now: datetime | None = None) -> int:
    """Tell the sponsor lead and the partner's leads once about each stale document.

    One notification per document and version (or per partner that never wrote one):
    running this again, or after downtime, tells nobody twice. Returns how many went out.
    """
    now = now or timezone.now()
    sent = 0
    for project in Project.objects.filter(status=Project.Status.ACTIVE):
        for row in project_freshness(project, seen_by=None, now=now):
            if not row.is_stale:
                continue
            with transaction.atomic():
                sent += len(_notify_stale_row(row))
    return sent


def _notify_stale_row(row: Freshness) -> list[Any]:
    project, org = row.project, row.organization
    if row.document is None or row.current is None:
        return notify(
            kind=Kind.STATUS_STALE,
            recipients=_leads_for(row),
            about=None,
            title=f"{project.code}: {org} has not written a status document yet",
            body=f"The charter asks for a status update every {row.cadence_days} days.",
            url=reverse("status", args=[project.pk]),
            project=project,
            dedupe_key=f"status-missing:{project.pk}:{org.pk}",
        )
    days = row.age.days if row.age else 0
    return notify(
        kind=Kind.STATUS_STALE,
        recipients=_leads_for(row),
        about=row.document,
        title=f"{project.code}: {org}'s status document is stale ({days} days old)",
        body=f"Version {row.current.number} was written by {row.current.created_by_label}; "
        f"the charter asks for an update every {row.cadence_days} days.",
        url=document_url(row.document),
        project=project,
        dedupe_key=f"status-stale:{row.document.pk}:{row.current.number}",
    )


# Reading ---------------------------------------------------------------------------------


def mark_read(*, user: Any, document: StatusDocument, now: datetime | None = None) -> int | None:
    """Remember that `user` read `document`'s current version; the version they read before."""
    mark = StatusReadMark.objects.filter(user=user, document=document).first()
    before = mark.number if mark else None
    if before != document.version:
        StatusReadMark.objects.update_or_create(
            user=user,
            document=document,
            defaults={"number": document.version, "seen_at": now or timezone.now()},
        )
    return before


@dataclass
class Piece:
    """A run of text that is the same in both versions, only in the old, or only in the new."""

    op: str  # equal, delete, insert
    text: str


_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def inline_diff(old: str, new: str) -> list[Piece]:
    """Word-level differences from `old` to `new`, as runs of kept, removed and added text."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return pieces


@dataclass
class SectionComparison:
    name: str
    label: str
    old: str
    new: str
    pieces: list[Piece]

    @property
    def changed(self) -> bool:
        return self.old != self.new


def compare_versions(old: StatusVersion | None, new: StatusVersion) -> list[SectionComparison]:
    """Section-by-section comparison from `old` (None: an empty document) to `new`."""
    before = old.sections() if old else dict.fromkeys(SECTIONS, "")
    after = new.sections()
    return [
        SectionComparison(
            name, label, before[name], after[name], inline_diff(before[name], after[name])
        )
        for name, label in SECTIONS.items()
    ]
