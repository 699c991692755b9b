"""Requesting compounds and answering requests: the one transition table and the steps it allows.

The sponsor's people ask a partner organization for a target compound and say
why; that partner's people accept it, push back with a reason, or propose an
alternative structure; the sponsor accepts the alternative or answers. Then the
partner makes and ships it, and the sponsor receives and tests it. Every step is
checked against `TRANSITIONS` (which state it starts from, which side takes it),
saved with a message in the request's thread and audited, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.chem import InvalidStructure
from cobench.compounds import services as registry
from cobench.compounds.models import Compound, Lot
from cobench.core.concurrency import check_version
from cobench.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from cobench.core.permissions import Action, Role, role_may
from cobench.core.text import (
    NUL_MESSAGE,
    TOO_LONG_UNGROUPED,
    WRITE_SOMETHING,
    clean_text,
    contains_nul,
)
from cobench.notifications.kinds import Kind
from cobench.notifications.services import notify
from cobench.tenancy.access import ensure_can
from cobench.tenancy.models import Organization, Project, ProjectMember, User

from . import structure as structures
from .models import CompoundRequest, Priority, PushBackReason, RequestMessage, State

MessageKind = RequestMessage.Kind
MAX_TITLE, MAX_TEXT, MAX_NOTE, MAX_REGISTRY_ID = 200, 20_000, 2000, 40
MAX_STRUCTURE = 200_000
MAX_EVIDENCE = 50
SPONSOR, PARTNER = "sponsor", "partner"
FINAL = (State.TESTED, State.ABANDONED)
# past its due date, a request not yet shipped (nor abandoned) is overdue
DELIVERED = (State.SHIPPED, State.RECEIVED, State.TESTED, State.ABANDONED)


@dataclass(frozen=True)
class Made:
    """Which registered compound a made request is: one of a compound of the request's
    project (`compound`, or its `registry_id`), or `register_now` the requested structure now as
    a new lot with the given lot fields."""

    registry_id: str = ""
    compound: Compound | None = None
    register_now: bool = False
    lot: dict[str, Any] | None = None


@dataclass(frozen=True)
class Step:
    """One move of a request: the states it starts from, where it goes, who takes it."""

    sources: tuple[State, ...]
    to: State
    side: str  # SPONSOR: the sponsor's people; PARTNER: the assigned partner's people
    event: Event
    kind: RequestMessage.Kind
    label: str  # the button's words


_OPEN = tuple(s for s in State if s not in FINAL)

# The life cycle, written once: every service below takes one of these steps.
TRANSITIONS: dict[str, Step] = {
    "accept": Step(
        (State.PROPOSED,),
        State.ACCEPTED,
        PARTNER,
        Event.REQUEST_ACCEPTED,
        MessageKind.ACCEPTED,
        "Accept",
    ),
    "push_back": Step(
        (State.PROPOSED,),
        State.PUSHED_BACK,
        PARTNER,
        Event.REQUEST_PUSHED_BACK,
        MessageKind.PUSHED_BACK,
        "Push back",
    ),
    "propose_alternative": Step(
        (State.PROPOSED,),
        State.ALTERNATIVE_PROPOSED,
        PARTNER,
        Event.REQUEST_ALTERNATIVE_PROPOSED,
        MessageKind.ALTERNATIVE,
        "Propose an alternative",
    ),
    "accept_alternative": Step(
        (State.ALTERNATIVE_PROPOSED,),
        State.ACCEPTED,
        SPONSOR,
        Event.REQUEST_ALTERNATIVE_ACCEPTED,
        MessageKind.ALTERNATIVE_ACCEPTED,
        "Accept the alternative",
    ),
    "answer": Step(
        (State.PUSHED_BACK, State.ALTERNATIVE_PROPOSED),
        State.PROPOSED,
        SPONSOR,
        Event.REQUEST_ANSWERED,
        MessageKind.ANSWERED,
        "Answer",
    ),
    "start_synthesis": Step(
        (State.ACCEPTED,),
        State.IN_SYNTHESIS,
        PARTNER,
        Event.REQUEST_SYNTHESIS_STARTED,
        MessageKind.PROGRESS,
        "Start synthesis",
    ),
    "mark_made": Step(
        (State.IN_SYNTHESIS,),
        State.MADE,
        PARTNER,
        Event.REQUEST_MADE,
        MessageKind.PROGRESS,
        "Mark made",
    ),
    "mark_shipped": Step(
        (State.MADE,),
        State.SHIPPED,
        PARTNER,
        Event.REQUEST_SHIPPED,
        MessageKind.PROGRESS,
        "Mark shipped",
    ),
    "mark_received": Step(
        (State.SHIPPED,),
        State.RECEIVED,
        SPONSOR,
        Event.REQUEST_RECEIVED,
        MessageKind.PROGRESS,
        "Mark received",
    ),
    "mark_tested": Step(
        (State.RECEIVED,),
        State.TESTED,
        SPONSOR,
        Event.REQUEST_TESTED,
        MessageKind.PROGRESS,
        "Mark tested",
    ),
    "abandon": Step(
        _OPEN, State.ABANDONED, SPONSOR, Event.REQUEST_ABANDONED, MessageKind.ABANDONED, "Abandon"
    ),
}


# Checks -------------------------------------------------------------------------------


# Text fields checked in the wording the request forms have always shown.
_text = partial(clean_text, required_message=WRITE_SOMETHING, too_long=TOO_LONG_UNGROUPED)


def _structure(
    errors: dict[str, list[str]], name: str, text: str, *, required: bool
) -> structures.Structure | None:
    """The structure in `text`, read in a disposable worker; RDKit's words when it fails."""
    text = text or ""
    if contains_nul(text):
        errors.setdefault(name, []).append(NUL_MESSAGE)
        return None
    if not text.strip():
        if required:
            errors.setdefault(name, []).append("Required: a SMILES or a molfile.")
        return None
    if len(text) > MAX_STRUCTURE:
        errors.setdefault(name, []).append(
            f"At most {MAX_STRUCTURE:,} characters (this has {len(text):,})."
        )
        return None
    try:
        return structures.read_isolated(text)
    except InvalidStructure as exc:
        errors.setdefault(name, []).append(f"Not a structure RDKit can read: {exc}")
        return None


def side_of(member: ProjectMember | None, request: CompoundRequest) -> str | None:
    """The side of `request` a member stands on: the sponsor's, the assigned partner's, or none."""
    if member is None:
        return None
    if role_may(member.role, Action.REQUEST_COMPOUND):
        return SPONSOR
    if (
        role_may(member.role, Action.ANSWER_REQUEST)
        and member.organization_id == request.partner_id
    ):
        return PARTNER
    return None


def _ensure_side(member: ProjectMember, request: CompoundRequest, name: str, step: Step) -> None:
    if side_of(member, request) == step.side:
        return
    who = (
        "the sponsor's people"
        if step.side == SPONSOR
        else f"the people of {request.partner.name}, the partner it is assigned to"
    )
    raise Forbidden(f"Only {who} may {step.label.lower()} on request #{request.number}.")


def _ensure_state(request: CompoundRequest, name: str, step: Step) -> None:
    """Refuse (Conflict, nothing changed) a step the request's state does not allow."""
    if request.state in step.sources:
        return
    allowed = " or ".join(State(s).label.lower() for s in step.sources)
    raise Conflict(
        f"Request #{request.number} is {State(request.state).label.lower()}: "
        f"'{step.label}' is only possible when it is {allowed}. Nothing changed."
    )


def _url(request: CompoundRequest) -> str:
    return reverse(
        "request-detail",
        kwargs={"project_id": request.project_id, "compound_request_id": request.pk},
    )


def _partner_leads(project: Project, partner_id: Any) -> QuerySet[User]:
    return User.objects.filter(
        project_memberships__project=project,
        project_memberships__organization_id=partner_id,
        project_memberships__role=Role.PARTNER_LEAD,
    )


def _sponsor_leads(project: Project) -> QuerySet[User]:
    return User.objects.filter(
        project_memberships__project=project, project_memberships__role=Role.SPONSOR_LEAD
    )


def _message(
    request: CompoundRequest,
    *,
    actor: User,
    member: ProjectMember,
    kind: str,
    text: str = "",
    reason: str = "",
    found: structures.Structure | None = None,
    now: datetime,
) -> RequestMessage:
    last = request.messages.aggregate(n=Max("seq"))["n"] or 0
    return RequestMessage.objects.create(
        request=request,
        seq=last + 1,
        author=actor,
        author_org=member.organization,
        kind=kind,
        state=request.state,
        reason=reason,
        text=text,
        smiles=found.smiles if found else "",
        molblock=found.molblock if found else "",
        svg=found.svg if found else "",
        created_at=now,
    )


def _made_compound(
    errors: dict[str, list[str]], actor: User, request: CompoundRequest, made: Made | None
) -> Compound | None:
    """The compound of the request's project a made request names; None when it is to be
    registered now (or `errors` says why neither). Another project's compound is not found."""
    made = made or Made()
    registry_id = _text(errors, "registry_id", made.registry_id, limit=MAX_REGISTRY_ID)
    if "registry_id" in errors:  # e.g. a NUL, which PostgreSQL cannot even be asked about
        return None
    named = [x for x in (registry_id, made.compound, made.register_now) if x]
    if len(named) != 1:
        errors.setdefault("registry_id", []).append(
            "Say which registered compound it is: its registry id, or register the "
            "requested structure now (one of the two)."
        )
        return None
    lot = made.lot or {}
    if not made.register_now and any(lot.get(k) is not None for k in ("purity", "amount")):
        errors.setdefault("register_now", []).append(
            "Purity and amount describe a new lot: register the structure now, or leave them empty."
        )
        return None
    in_project = Compound.objects.in_project(request.project, seen_by=actor)
    if made.compound is not None:
        compound: Compound | None = in_project.filter(pk=made.compound.pk).first()
        if compound is None:
            raise NotFound()
        return compound
    if registry_id:
        compound = in_project.by_registry_id(registry_id).first()
        if compound is None:
            errors.setdefault("registry_id", []).append(
                f"No compound {registry_id} is registered in {request.project.code}: "
                "register it first, or register the requested structure now."
            )
        return compound
    return None


def _evidence(
    errors: dict[str, list[str]], actor: User, project: Project, given: Iterable[Compound | str]
) -> list[Compound]:
    """The compounds of `project` named in `given` (compounds or registry ids), in registry
    order; an id not registered in `project` is an error naming it."""
    given = list(given)
    if len(given) > MAX_EVIDENCE:
        errors["evidence"] = [f"At most {MAX_EVIDENCE} compounds (this names {len(given)})."]
        return []
    ids = {c.pk for c in given if isinstance(c, Compound)}
    names: dict[str, str] = {}
    for c in given:
        if isinstance(c, Compound):
            continue
        name = c.strip() if isinstance(c, str) else ""
        if not name or contains_nul(name) or len(name) > MAX_REGISTRY_ID:
            errors.setdefault("evidence", []).append("A registry id, e.g. CB-000123.")
            return []
        names[name.upper()] = name
    in_project = Compound.objects.in_project(project, seen_by=actor)
    # sorted here: ordered in SQL, SQLite would walk the registry in order to find a few
    chosen = in_project.filter(Q(pk__in=ids) | Q(registry_id__in=list(names))).order_by()
    found = sorted(chosen, key=lambda c: c.number)
    missing = set(names) - {c.registry_id.upper() for c in found}
    missing |= {str(pk) for pk in ids - {c.pk for c in found}}
    if missing:
        named = ", ".join(sorted(names.get(m, m) for m in missing))
        errors.setdefault("evidence", []).append(f"Not registered in {project.code}: {named}.")
    return found


# Requesting ---------------------------------------------------------------------------


def current_partners(project: Project) -> list[Organization]:
    """The partner organizations a request on `project` can be assigned to."""
    return [p.organization for p in project.partners.select_related("organization")]


@transaction.atomic
def create_request(
    *,
    actor: User,
    project: Project,
    structure: str,
    partner: Organization | None,
    rationale: str,
    priority: str = Priority.NORMAL,
    due_date: date | None = None,
    title: str = "",
    evidence: Iterable[Compound | str] = (),
    now: datetime | None = None,
) -> CompoundRequest:
    """Ask `partner` to make the compound drawn in `structure` (SMILES or molfile), and say why.

    `evidence` names compounds of the project (or their registry ids) whose data back
    the rationale. The partner's leads are told. The structure is read in a disposable
    worker; one RDKit cannot read is refused with RDKit's own message.
    """
    member = ensure_can(actor, project, Action.REQUEST_COMPOUND)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    title = _text(errors, "title", title, limit=MAX_TITLE)
    rationale = _text(errors, "rationale", rationale, limit=MAX_TEXT, required=True)
    if priority not in Priority.values:
        errors["priority"] = [f"One of: {', '.join(Priority.values)}."]
    partners = {o.pk: o for o in current_partners(project)}
    if partner is None or partner.pk not in partners:
        errors["partner"] = [
            "A partner organization of this project: "
            + (", ".join(o.name for o in partners.values()) or "it has none yet")
            + "."
        ]
    if due_date is not None and due_date < timezone.localdate(now):
        errors["due_date"] = ["A date from today on."]
    backing = _evidence(errors, actor, project, evidence)
    found = _structure(errors, "structure", structure, required=True)
    if errors or partner is None or found is None:  # either missing is among the errors
        raise InvalidInput("The compound was not requested.", errors=errors)
    Project.objects.select_for_update().filter(pk=project.pk).first()  # serialize numbering
    number = (project.compound_requests.aggregate(n=Max("number"))["n"] or 0) + 1
    request = CompoundRequest.objects.create(
        project=project,
        number=number,
        title=title,
        smiles=found.smiles,
        molblock=found.molblock,
        svg=found.svg,
        priority=priority,
        rationale=rationale,
        due_date=due_date,
        partner=partner,
        requested_by=actor,
        created_at=now,
        updated_at=now,
    )
    request.evidence.set(backing)
    _message(
        request,
        actor=actor,
        member=member,
        kind=MessageKind.REQUESTED,
        text=rationale,
        found=found,
        now=now,
    )
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.REQUEST_CREATED,
        target=request,
        changes={
            "state": [None, request.state],
            "smiles": [None, request.smiles],
            "title": [None, title],
            "priority": [None, priority],
            "rationale": [None, rationale],
            "due_date": [None, due_date.isoformat() if due_date else None],
            "partner": [None, partner.name],
            **({"evidence": [None, [c.registry_id for c in backing]]} if backing else {}),
        },
    )
    due = f" Due {due_date:%-d %b %Y}." if due_date else ""
    notify(
        kind=Kind.REQUEST_NEW,
        recipients=_partner_leads(project, partner.pk).exclude(pk=actor.pk),
        about=request,
        title=f"{project.code}: {Priority(priority).label.lower()} priority request "
        f"#{number} for {partner.name}",
        body=f"{actor.display_name} requests {found.smiles}.{due}\n\nWhy: {rationale}",
        url=_url(request),
        project=project,
        dedupe_key=f"request-new:{request.pk}",
    )
    return request


@transaction.atomic
def set_evidence(
    *,
    actor: User,
    request: CompoundRequest,
    evidence: Iterable[Compound | str],
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompoundRequest:
    """The sponsor names the compounds of the project (or their registry ids) whose data back
    the request's rationale, replacing those named before."""
    member = ensure_can(actor, request.project, Action.REQUEST_COMPOUND)
    request = (
        CompoundRequest.objects.select_for_update().select_related("project").get(pk=request.pk)
    )
    check_version(current=request.version, expected=expected_version)
    errors: dict[str, list[str]] = {}
    backing = _evidence(errors, actor, request.project, evidence)
    if errors:
        raise InvalidInput(f"Request #{request.number} was not changed.", errors=errors)
    before = list(request.evidence.order_by("number").values_list("registry_id", flat=True))
    after = [c.registry_id for c in backing]
    if before == after:
        return request
    request.evidence.set(backing)
    request.updated_at, request.version = now or timezone.now(), request.version + 1
    request.save(update_fields=["updated_at", "version"])
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.REQUEST_EVIDENCE_CHANGED,
        target=request,
        changes={"evidence": [before, after]},
    )
    return request


MADE = (State.MADE, State.SHIPPED, State.RECEIVED, State.TESTED)


@transaction.atomic
def correct_made_compound(
    *,
    actor: User,
    request: CompoundRequest,
    reason: str,
    registry_id: str = "",
    compound: Compound | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompoundRequest:
    """Link a made request to another compound of its project (`registry_id`, or `compound`
    already resolved) than the one named when it was made, saying why: either side of the
    request may, once it is made. The thread and the audit trail keep both."""
    member = ensure_can(actor, request.project, Action.VIEW)
    if side_of(member, request) is None:
        raise Forbidden(
            f"Only the sponsor's people and {request.partner.name}'s may correct what request "
            f"#{request.number} was made as."
        )
    request = (
        CompoundRequest.objects.select_for_update(of=("self",))
        .select_related("project", "partner", "compound")
        .get(pk=request.pk)
    )
    check_version(current=request.version, expected=expected_version)
    if request.state not in MADE:
        raise Conflict(
            f"Request #{request.number} is {State(request.state).label.lower()}: it is not "
            "made yet, so there is nothing to correct. Nothing changed."
        )
    errors: dict[str, list[str]] = {}
    reason = _text(errors, "reason", reason, limit=MAX_NOTE, required=True)
    found = None
    if compound is None and not (registry_id or "").strip():
        errors.setdefault("registry_id", []).append("Which compound: its registry id.")
    else:
        found = _made_compound(
            errors, actor, request, Made(registry_id=registry_id, compound=compound)
        )
    if found is not None and found == request.compound:
        errors.setdefault("registry_id", []).append(
            f"Request #{request.number} is linked to {found.registry_id} already."
        )
    if errors or found is None:
        raise InvalidInput(f"Request #{request.number} was not changed.", errors=errors)
    before = request.compound.registry_id if request.compound else request.registry_ref or None
    request.compound, request.updated_at = found, now or timezone.now()
    request.version += 1
    request.save(update_fields=["compound", "updated_at", "version"])
    text = f"Made as {found.registry_id}" + (f", not {before}" if before else "") + f": {reason}"
    _message(
        request,
        actor=actor,
        member=member,
        kind=MessageKind.PROGRESS,
        text=text,
        now=request.updated_at,
    )
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.REQUEST_COMPOUND_LINKED,
        target=request,
        changes={"compound": [before, found.registry_id]},
        reason=reason,
    )
    return request


# The steps ----------------------------------------------------------------------------


def _take(
    *,
    actor: User,
    request: CompoundRequest,
    name: str,
    text: str = "",
    text_required: bool = False,
    text_limit: int = MAX_NOTE,
    reason: str = "",
    structure: str = "",
    structure_required: bool = False,
    made: Made | None = None,
    expected_version: int | None,
    now: datetime | None,
) -> CompoundRequest:
    """Take step `name` of TRANSITIONS: who, from which state, the input; then save and audit."""
    step = TRANSITIONS[name]
    member = ensure_can(actor, request.project, Action.VIEW)
    _ensure_side(member, request, name, step)
    request = (
        CompoundRequest.objects.select_for_update()
        .select_related("project", "partner")
        .get(pk=request.pk)
    )
    check_version(current=request.version, expected=expected_version)
    _ensure_state(request, name, step)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    field = "reason" if name == "abandon" else "text"
    text = _text(errors, field, text, limit=text_limit, required=text_required)
    if name == "push_back" and reason not in PushBackReason.values:
        errors["reason"] = [f"One of: {', '.join(PushBackReason.values)}."]
    found = None
    if not errors:  # read the structure only when the rest is right: it costs a worker
        found = _structure(errors, "structure", structure, required=structure_required)
    compound = _made_compound(errors, actor, request, made) if name == "mark_made" else None
    if errors:
        raise InvalidInput(f"Request #{request.number} was not changed.", errors=errors)
    lot = None
    # checked (no `made` is among the errors): register the structure now
    if name == "mark_made" and compound is None and made is not None:
        registered = registry.register_structure(
            actor=actor, project=request.project, structure=request.molblock, **(made.lot or {})
        )
        compound, lot = registered.compound, registered.lot

    before: dict[str, Any] = {"state": request.state}
    after: dict[str, Any] = {"state": step.to}
    fields = ["state", "updated_at", "version"]
    adopted = found
    if name == "accept_alternative":
        latest = request.messages.filter(kind=MessageKind.ALTERNATIVE).order_by("-seq").first()
        if latest is None:  # the state says one was proposed
            raise Conflict(f"Request #{request.number} has no alternative to accept.")
        adopted = structures.Structure(latest.smiles, latest.molblock, latest.svg)
    if adopted is not None and name in ("accept_alternative", "answer"):
        before["smiles"], after["smiles"] = request.smiles, adopted.smiles
        request.smiles, request.molblock, request.svg = (
            adopted.smiles,
            adopted.molblock,
            adopted.svg,
        )
        fields += ["smiles", "molblock", "svg"]
    if name == "propose_alternative" and found is not None:
        after["alternative"] = found.smiles
    if name == "push_back":
        after["reason"] = reason
    if compound is not None:
        request.compound = compound
        fields.append("compound")
        made_as = f"Made as {compound.registry_id}" + (f", lot {lot.lot_number}" if lot else "")
        text = f"{text}\n\n{made_as}.".strip()
    if name == "abandon":
        request.abandon_reason = text
        fields.append("abandon_reason")
    request.state, request.updated_at = step.to, now
    request.version += 1
    request.save(update_fields=fields)
    _message(
        request,
        actor=actor,
        member=member,
        kind=step.kind,
        text=text,
        reason=reason if name == "push_back" else "",
        found=found,
        now=now,
    )
    audit.record(
        actor=actor,
        organization=member.organization,
        event=step.event,
        target=request,
        changes=audit.diff(before, after),
        reason=text,
    )
    if compound is not None:
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.REQUEST_COMPOUND_LINKED,
            target=request,
            changes={
                "compound": [None, compound.registry_id],
                **({"lot": [None, lot.lot_number]} if lot else {}),
            },
        )
    if name in ("push_back", "propose_alternative"):
        what = (
            f"pushed back ({PushBackReason(reason).label.lower()})"
            if name == "push_back"
            else f"proposed an alternative, {found.smiles if found else ''}"
        )
        notify(
            kind=Kind.REQUEST_ANSWERED,
            about=request,
            recipients=[
                *_sponsor_leads(request.project).exclude(pk=actor.pk),
                request.requested_by,
            ],
            title=f"{request.project.code}: {request.partner.name} {what.split(',')[0]} "
            f"on request #{request.number}",
            body=f"{actor.display_name} {what}.\n\n{text}",
            url=_url(request),
            project=request.project,
            dedupe_key=f"request-answered:{request.pk}:{request.version}",
        )
    return request


@transaction.atomic
def accept_request(
    *,
    actor: User,
    request: CompoundRequest,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompoundRequest:
    """The assigned partner agrees to make the compound as asked."""
    return _take(
        actor=actor,
        request=request,
        name="accept",
        text=note,
        expected_version=expected_version,
        now=now,
    )


@transaction.atomic
def push_back_request(
    *,
    actor: User,
    request: CompoundRequest,
    reason: str,
    text: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompoundRequest:
    """The assigned partner declines as asked, with a reason and a written explanation."""
    return _take(
        actor=actor,
        request=request,
        name="push_back",
        reason=reason,
        text=text,
        text_required=True,
        text_limit=MAX_TEXT,
        expected_version=expected_version,
        now=now,
    )


@transaction.atomic
def propose_alternative(
    *,
    actor: User,
    request: CompoundRequest,
    structure: str,
    text: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompoundRequest:
    """The assigned partner offers another structure instead, with its reasoning."""
    return _take(
        actor=actor,
        request=request,
        name="propose_alternative",
        structure=structure,
        structure_required=True,
        text=text,
        text_required=True,
        text_limit=MAX_TEXT,
        expected_version=expected_version,
        now=now,
    )


@transaction.atomic
def accept_alternative(
    *,
    actor: User,
    request: CompoundRequest,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompoundRequest:
    """The sponsor takes the partner's alternative: it becomes the requested structure
    (the original stays in the thread) and the request is accepted."""
    return _take(
        actor=actor,
        request=request,
        name="accept_alternative",
        text=note,
        expected_version=expected_version,
        now=now,
    )


@transaction.atomic
def answer_request(
    *,
    actor: User,
    request: CompoundRequest,
    text: str,
    structure: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompoundRequest:
    """The sponsor replies to a push-back or an alternative (optionally with a revised
    structure); the request is proposed again for the partner to answer."""
    return _take(
        actor=actor,
        request=request,
        name="answer",
        text=text,
        text_required=True,
        text_limit=MAX_TEXT,
        structure=structure,
        expected_version=expected_version,
        now=now,
    )


def _progress(name: str, doc: str) -> Any:
    @transaction.atomic
    def take(
        *,
        actor: User,
        request: CompoundRequest,
        note: str = "",
        expected_version: int | None = None,
        now: datetime | None = None,
    ) -> CompoundRequest:
        return _take(
            actor=actor,
            request=request,
            name=name,
            text=note,
            expected_version=expected_version,
            now=now,
        )

    take.__doc__, take.__name__ = doc, name
    return take


start_synthesis = _progress("start_synthesis", "The assigned partner starts making it.")
mark_shipped = _progress("mark_shipped", "The assigned partner sent the compound to the sponsor.")
mark_received = _progress("mark_received", "The sponsor has the compound in hand.")
mark_tested = _progress("mark_tested", "The sponsor tested the compound.")


@transaction.atomic
def mark_made(
    *,
    actor: User,
    request: CompoundRequest,
    registry_id: str = "",
    compound: Compound | None = None,
    register_now: bool = False,
    produced_on: date | None = None,
    purity: Decimal | None = None,
    amount: Decimal | None = None,
    amount_unit: str = Lot.Unit.MG,
    note: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompoundRequest:
    """The assigned partner made the compound and links the request to it in the registry.

    Name a compound registered in the request's project (`registry_id`, or `compound`
    already resolved), or `register_now` the requested structure now: a new lot (of the
    existing compound if the sponsor's registry knows the structure) with the lot fields.
    Requests made before links existed keep their free-text `registry_ref`.
    """
    lot = {
        "produced_on": produced_on,
        "purity": purity,
        "amount": amount,
        "amount_unit": amount_unit,
    }
    return _take(
        actor=actor,
        request=request,
        name="mark_made",
        text=note,
        made=Made(registry_id=registry_id, compound=compound, register_now=register_now, lot=lot),
        expected_version=expected_version,
        now=now,
    )


@transaction.atomic
def abandon_request(
    *,
    actor: User,
    request: CompoundRequest,
    reason: str,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CompoundRequest:
    """The sponsor stops a request that is not yet tested, saying why."""
    return _take(
        actor=actor,
        request=request,
        name="abandon",
        text=reason,
        text_required=True,
        expected_version=expected_version,
        now=now,
    )


# Doors call a step by its name ------------------------------------------------------

SERVICES = {
    "accept": accept_request,
    "push_back": push_back_request,
    "propose_alternative": propose_alternative,
    "accept_alternative": accept_alternative,
    "answer": answer_request,
    "start_synthesis": start_synthesis,
    "mark_made": mark_made,
    "mark_shipped": mark_shipped,
    "mark_received": mark_received,
    "mark_tested": mark_tested,
    "abandon": abandon_request,
}


# Reading ------------------------------------------------------------------------------


def allowed_steps(member: ProjectMember | None, request: CompoundRequest) -> list[str]:
    """The steps `member` may take on `request` now (the services decide; this shows buttons)."""
    side = side_of(member, request)
    return [
        name
        for name, step in TRANSITIONS.items()
        if step.side == side and request.state in step.sources
    ]


def is_overdue(request: CompoundRequest, today: date | None = None) -> bool:
    """Past its due date and not yet shipped (nor abandoned)."""
    today = today or timezone.localdate()
    return bool(request.due_date and request.due_date < today and request.state not in DELIVERED)


def filtered(
    queryset: QuerySet[CompoundRequest],
    *,
    state: str = "",
    partner: Any = None,
    priority: str = "",
    due_before: date | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> QuerySet[CompoundRequest]:
    """The requests matching the board's filters (empty: any)."""
    if state:
        queryset = queryset.filter(state=state)
    if partner:
        queryset = queryset.filter(partner_id=partner)
    if priority:
        queryset = queryset.filter(priority=priority)
    if due_before:
        queryset = queryset.filter(due_date__lt=due_before)
    if overdue:
        queryset = queryset.filter(
            due_date__lt=today or timezone.localdate(), state__in=_not(DELIVERED)
        )
    return queryset


def _not(states: Iterable[str]) -> list[str]:
    return [s for s in State.values if s not in states]


def board(requests: Iterable[CompoundRequest], today: date | None = None) -> list[dict[str, Any]]:
    """The requests in one column per state, in the life cycle's order, most urgent first."""
    rank = {p: i for i, p in enumerate(reversed(Priority.values))}
    today = today or timezone.localdate()
    columns: dict[str, list[dict[str, Any]]] = {s: [] for s in State.values}
    for r in requests:
        columns[r.state].append({"request": r, "overdue": is_overdue(r, today)})
    for cards in columns.values():
        cards.sort(
            key=lambda c: (
                rank[c["request"].priority],
                c["request"].due_date or date.max,
                c["request"].number,
            )
        )
    return [{"state": s, "label": State(s).label, "cards": columns[s]} for s in State.values]


def summary(project: Project, viewer: User, today: date | None = None) -> dict[str, Any]:
    """What the project page shows `viewer` of the requests they see: counts by state,
    waiting, overdue."""
    requests = list(CompoundRequest.objects.visible_to(viewer).filter(project=project))
    today = today or timezone.localdate()
    by_state = {
        State(s).label: n for s in State.values if (n := sum(r.state == s for r in requests))
    }
    return {
        "total": len(requests),
        "by_state": by_state,
        "waiting": sum(
            r.state in (State.PROPOSED, State.PUSHED_BACK, State.ALTERNATIVE_PROPOSED)
            for r in requests
        ),
        "overdue": sum(is_overdue(r, today) for r in requests),
    }


def alternatives_pending(request: CompoundRequest) -> RequestMessage | None:
    """The alternative the sponsor is asked to accept, if the request waits on one."""
    if request.state != State.ALTERNATIVE_PROPOSED:
        return None
    return request.messages.filter(kind=MessageKind.ALTERNATIVE).order_by("-seq").first()
