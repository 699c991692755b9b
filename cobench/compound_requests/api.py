"""JSON API for compound requests: the board's list with its filters, create, read, every step
of the life cycle, and the thread.

Every step names the version it was based on (`If-Match` with the ETag, or `version` in the
body): of two people answering at once, the second is told the request changed (412).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cobench.api.concurrency import expected_version, set_etag
from cobench.api.schemas import Input, OrgRef
from cobench.compounds.models import Compound
from cobench.core.access import get_visible
from cobench.tenancy.access import AuthenticatedRequest, membership, project_for
from cobench.tenancy.models import Organization, Project

from . import evidence, services
from .models import CompoundRequest, RequestMessage

router = Router(tags=["compound requests"])

PriorityName = Literal["low", "normal", "high", "urgent"]
StateName = Literal[
    "proposed",
    "accepted",
    "pushed_back",
    "alternative_proposed",
    "in_synthesis",
    "made",
    "shipped",
    "received",
    "tested",
    "abandoned",
]
ReasonName = Literal["synthetic_feasibility", "stability", "cost", "safety", "other"]
StepName = Literal[
    "accept",
    "push_back",
    "propose_alternative",
    "accept_alternative",
    "answer",
    "start_synthesis",
    "mark_made",
    "mark_shipped",
    "mark_received",
    "mark_tested",
    "abandon",
]
Structure = Field(
    min_length=1, max_length=services.MAX_STRUCTURE, description="A SMILES or a molfile"
)
Version = Field(None, ge=1, description="The version you read, if not sent as If-Match")


class RequestPersonRef(Schema):
    username: str
    name: str = Field(alias="display_name")


class EvidenceRef(Schema):
    compound_id: UUID = Field(alias="id")
    registry_id: str


class RequestOut(Schema):
    id: UUID
    project_id: UUID
    number: int
    title: str
    smiles: str = Field(description="Canonical SMILES of the structure asked for now")
    molblock: str
    picture_url: str = Field(description="Its picture (SVG)")
    priority: PriorityName
    rationale: str
    due_date: date | None
    overdue: bool = Field(description="Past its due date and not yet shipped")
    partner: OrgRef
    requested_by: RequestPersonRef
    state: StateName
    compound_id: UUID | None = Field(description="The registered compound it was made as")
    registry_id: str | None = Field(description="That compound's registry id")
    registry_ref: str = Field(
        description="Free text given when made, by requests made before they linked a compound"
    )
    abandon_reason: str
    evidence: list[EvidenceRef] = Field(
        description="Compounds of the project whose data back the rationale "
        "(their values: GET /requests/{id}/evidence)"
    )
    created_at: datetime
    updated_at: datetime
    version: int
    your_steps: list[StepName] = Field(description="The steps you may take now")

    @staticmethod
    def resolve_picture_url(request: CompoundRequest) -> str:
        return reverse(
            "request-picture",
            kwargs={"project_id": request.project_id, "compound_request_id": request.pk},
        )

    @staticmethod
    def resolve_evidence(request: CompoundRequest) -> list[Compound]:
        return sorted(request.evidence.all(), key=lambda c: c.number)

    @staticmethod
    def resolve_registry_id(request: CompoundRequest) -> str | None:
        compound = request.compound  # no query when there is none
        return compound.registry_id if compound else None

    @staticmethod
    def resolve_overdue(request: CompoundRequest) -> bool:
        return services.is_overdue(request)

    @staticmethod
    def resolve_your_steps(request: CompoundRequest, context: dict[str, Any]) -> list[str]:
        http = context["request"]
        cache = http.__dict__.setdefault("_request_members", {})
        if request.project_id not in cache:
            cache[request.project_id] = membership(http.user, Project(pk=request.project_id))
        return services.allowed_steps(cache[request.project_id], request)


class RequestIn(Input):
    structure: str = Structure
    partner_id: UUID = Field(description="A partner organization of the project")
    rationale: str = Field(
        min_length=1, max_length=services.MAX_TEXT, description="Why: the hypothesis behind it"
    )
    priority: PriorityName = "normal"
    due_date: date | None = None
    title: str = Field("", max_length=services.MAX_TITLE)
    evidence: list[str] = Field(
        [],
        max_length=services.MAX_EVIDENCE,
        description="Registry ids of compounds of the project whose data back the rationale",
    )


class EvidenceIn(Input):
    evidence: list[str] = Field(
        max_length=services.MAX_EVIDENCE,
        description="Registry ids of compounds of the project (replacing those named before)",
    )
    version: int | None = Version


class MessageOut(Schema):
    id: UUID
    seq: int
    author: RequestPersonRef
    author_organization: OrgRef = Field(alias="author_org")
    kind: Literal[
        "requested",
        "accepted",
        "pushed_back",
        "alternative",
        "alternative_accepted",
        "answered",
        "progress",
        "abandoned",
    ]
    state: StateName = Field(description="The request's state after this step")
    reason: ReasonName | None = Field(description="A push-back's reason")
    text: str
    smiles: str | None = Field(description="A structure it carries")
    created_at: datetime

    @staticmethod
    def resolve_reason(message: RequestMessage) -> str | None:
        return message.reason or None

    @staticmethod
    def resolve_smiles(message: RequestMessage) -> str | None:
        return message.smiles or None


class RequestNoteIn(Input):
    note: str = Field("", max_length=services.MAX_NOTE)
    version: int | None = Version


class PushBackIn(Input):
    reason: ReasonName
    text: str = Field(min_length=1, max_length=services.MAX_TEXT)
    version: int | None = Version


class AlternativeIn(Input):
    structure: str = Structure
    text: str = Field(min_length=1, max_length=services.MAX_TEXT, description="Its reasoning")
    version: int | None = Version


class AnswerIn(Input):
    text: str = Field(min_length=1, max_length=services.MAX_TEXT)
    structure: str = Field(
        "", max_length=services.MAX_STRUCTURE, description="Optional: a revised structure"
    )
    version: int | None = Version


class MadeIn(Input):
    """Which registered compound it is: `compound_id` or `registry_id` of a compound of the
    request's project, or `register_now` the requested structure (a new lot)."""

    compound_id: UUID | None = None
    registry_id: str = Field("", max_length=services.MAX_REGISTRY_ID)
    register_now: bool = False
    produced_on: date | None = Field(None, description="For `register_now`: default today")
    purity: Decimal | None = Field(None, ge=0, le=100, description="For `register_now`: percent")
    amount: Decimal | None = Field(None, gt=0, description="For `register_now`")
    amount_unit: Literal["mg", "g", "kg"] = "mg"
    note: str = Field("", max_length=services.MAX_NOTE)
    version: int | None = Version


class MadeCompoundIn(Input):
    """The compound a made request really is: `compound_id` or `registry_id` of a compound of
    the request's project, and why the link changes."""

    compound_id: UUID | None = None
    registry_id: str = Field("", max_length=services.MAX_REGISTRY_ID)
    reason: str = Field(min_length=1, max_length=services.MAX_NOTE)
    version: int | None = Version


class AbandonIn(Input):
    reason: str = Field(min_length=1, max_length=services.MAX_NOTE)
    version: int | None = Version


class RequestFilters(Schema):
    state: StateName | None = None
    partner: UUID | None = Field(None, description="The assigned partner organization's id")
    priority: PriorityName | None = None
    due_before: date | None = Field(None, description="Due before this date")
    overdue: bool = Field(False, description="Only those past due and not yet shipped")


def _requests():
    return CompoundRequest.objects.select_related(
        "project", "partner", "requested_by", "compound"
    ).prefetch_related("evidence")


def _get(request: AuthenticatedRequest, compound_request_id: UUID) -> CompoundRequest:
    return get_visible(_requests(), request.user, pk=compound_request_id)


def _answer(
    request: AuthenticatedRequest, compound: CompoundRequest, response: HttpResponse
) -> Any:
    compound = _get(request, compound.pk)
    set_etag(response, compound.version)
    return compound


@router.get("/projects/{project_id}/requests", response=list[RequestOut])
@paginate
def list_requests(request: AuthenticatedRequest, project_id: UUID, filters: Query[RequestFilters]):
    """The project's compound requests, newest first; filter by state, partner, priority, due."""
    project = project_for(request, project_id)
    return services.filtered(
        _requests().visible_to(request.user).filter(project=project), **filters.dict()
    )


@router.post("/projects/{project_id}/requests", response={201: RequestOut})
def create_request(
    request: AuthenticatedRequest, project_id: UUID, payload: RequestIn, response: HttpResponse
):
    """Request a compound from a partner (sponsor's people): structure, why, priority, due."""
    project = project_for(request, project_id)
    compound = services.create_request(
        actor=request.user,
        project=project,
        structure=payload.structure,
        partner=Organization.objects.filter(pk=payload.partner_id).first(),
        rationale=payload.rationale,
        priority=payload.priority,
        due_date=payload.due_date,
        title=payload.title,
        evidence=payload.evidence,
    )
    return Status(201, _answer(request, compound, response))


@router.get("/requests/{compound_request_id}", response=RequestOut)
def get_request(request: AuthenticatedRequest, compound_request_id: UUID, response: HttpResponse):
    compound = _get(request, compound_request_id)
    set_etag(response, compound.version)
    return compound


@router.get("/requests/{compound_request_id}/messages", response=list[MessageOut])
@paginate
def list_messages(request: AuthenticatedRequest, compound_request_id: UUID):
    """The request's thread, oldest first: the request, answers, alternatives, progress."""
    compound = _get(request, compound_request_id)
    return compound.messages.select_related("author", "author_org").order_by("seq")


class EvidenceValueOut(Schema):
    assay_id: UUID
    assay: str
    shown_as: Literal["full", "binned"] = Field(
        description="full: the aggregated value; binned: only its category's label"
    )
    text: str = Field(description="What to show: the value with n, or the category's label")
    value: float | None = Field(description="The aggregated value (None when binned)")
    n: int | None = Field(description="How many results (None when binned)")


class EvidenceOut(Schema):
    compound_id: UUID
    registry_id: str
    smiles: str = Field(description="Empty for a coded sample (shared with you blinded)")
    values: list[EvidenceValueOut]


@router.get("/requests/{compound_request_id}/evidence", response=list[EvidenceOut])
def get_evidence(request: AuthenticatedRequest, compound_request_id: UUID):
    """The compounds behind the request with the assay values you may see (sharing rules)."""
    found = evidence.evidence_table(request.user, _get(request, compound_request_id))
    return [
        {
            "compound_id": row.compound.pk,
            "registry_id": row.compound.registry_id,
            "smiles": row.compound.smiles,
            "values": [
                {
                    "assay_id": column.assay.pk,
                    "assay": column.assay.name,
                    "shown_as": column.mode,
                    "text": cell.text,
                    "value": None if cell.binned else cell.value,
                    "n": None if cell.binned else cell.n,
                }
                for column, cell in zip(found.columns, row.cells, strict=True)
                if cell.text
            ],
        }
        for row in found.rows
    ]


@router.put("/requests/{compound_request_id}/evidence", response=RequestOut)
def set_evidence(
    request: AuthenticatedRequest,
    compound_request_id: UUID,
    payload: EvidenceIn,
    response: HttpResponse,
):
    """The sponsor names the compounds (registry ids) whose data back the request's rationale."""
    compound = _get(request, compound_request_id)
    compound = services.set_evidence(
        actor=request.user,
        request=compound,
        evidence=payload.evidence,
        expected_version=expected_version(request, payload.version),
    )
    return _answer(request, compound, response)


@router.put("/requests/{compound_request_id}/made-compound", response=RequestOut)
def correct_made_compound(
    request: AuthenticatedRequest,
    compound_request_id: UUID,
    payload: MadeCompoundIn,
    response: HttpResponse,
):
    """Either side corrects which registered compound a made request was made as, saying why
    (the thread and the audit trail keep the old link)."""
    compound = _get(request, compound_request_id)
    chosen = None
    if payload.compound_id is not None:
        chosen = get_visible(
            Compound.objects.in_project(compound.project, seen_by=None),
            request.user,
            pk=payload.compound_id,
        )
    compound = services.correct_made_compound(
        actor=request.user,
        request=compound,
        registry_id=payload.registry_id,
        compound=chosen,
        reason=payload.reason,
        expected_version=expected_version(request, payload.version),
    )
    return _answer(request, compound, response)


def _step(
    request: AuthenticatedRequest,
    compound_request_id: UUID,
    response: HttpResponse,
    name: str,
    payload: Any,
    **kwargs: Any,
) -> Any:
    compound = _get(request, compound_request_id)
    version = expected_version(request, payload.version)
    compound = services.SERVICES[name](
        actor=request.user, request=compound, expected_version=version, **kwargs
    )
    return _answer(request, compound, response)


@router.post("/requests/{compound_request_id}/accept", response=RequestOut)
def accept(
    request: AuthenticatedRequest,
    compound_request_id: UUID,
    payload: RequestNoteIn,
    response: HttpResponse,
):
    """The assigned partner accepts a proposed request."""
    return _step(request, compound_request_id, response, "accept", payload, note=payload.note)


@router.post("/requests/{compound_request_id}/push-back", response=RequestOut)
def push_back(
    request: AuthenticatedRequest,
    compound_request_id: UUID,
    payload: PushBackIn,
    response: HttpResponse,
):
    """The assigned partner pushes back on a proposed request, with a reason and text."""
    return _step(
        request,
        compound_request_id,
        response,
        "push_back",
        payload,
        reason=payload.reason,
        text=payload.text,
    )


@router.post("/requests/{compound_request_id}/propose-alternative", response=RequestOut)
def propose_alternative(
    request: AuthenticatedRequest,
    compound_request_id: UUID,
    payload: AlternativeIn,
    response: HttpResponse,
):
    """The assigned partner proposes another structure, with its reasoning."""
    return _step(
        request,
        compound_request_id,
        response,
        "propose_alternative",
        payload,
        structure=payload.structure,
        text=payload.text,
    )


@router.post("/requests/{compound_request_id}/accept-alternative", response=RequestOut)
def accept_alternative(
    request: AuthenticatedRequest,
    compound_request_id: UUID,
    payload: RequestNoteIn,
    response: HttpResponse,
):
    """The sponsor accepts the proposed alternative: it becomes the requested structure."""
    return _step(
        request, compound_request_id, response, "accept_alternative", payload, note=payload.note
    )


@router.post("/requests/{compound_request_id}/answer", response=RequestOut)
def answer(
    request: AuthenticatedRequest,
    compound_request_id: UUID,
    payload: AnswerIn,
    response: HttpResponse,
):
    """The sponsor answers a push-back or an alternative; the request is proposed again."""
    return _step(
        request,
        compound_request_id,
        response,
        "answer",
        payload,
        text=payload.text,
        structure=payload.structure,
    )


def _progress_route(path: str, name: str, doc: str) -> None:
    def take(
        request: AuthenticatedRequest,
        compound_request_id: UUID,
        payload: RequestNoteIn,
        response: HttpResponse,
    ) -> Any:
        return _step(request, compound_request_id, response, name, payload, note=payload.note)

    take.__doc__, take.__name__ = doc, name
    router.post(f"/requests/{{compound_request_id}}/{path}", response=RequestOut)(take)


_progress_route("start-synthesis", "start_synthesis", "The assigned partner starts making it.")


@router.post("/requests/{compound_request_id}/mark-made", response=RequestOut)
def mark_made(
    request: AuthenticatedRequest,
    compound_request_id: UUID,
    payload: MadeIn,
    response: HttpResponse,
):
    """The assigned partner made it and names the registered compound it is (`compound_id` or
    `registry_id` in the request's project), or registers the requested structure now."""
    compound = None
    if payload.compound_id is not None:
        req = _get(request, compound_request_id)
        compound = get_visible(
            Compound.objects.in_project(req.project, seen_by=None),
            request.user,
            pk=payload.compound_id,
        )
    data = payload.dict(exclude={"compound_id", "version"})
    return _step(
        request, compound_request_id, response, "mark_made", payload, compound=compound, **data
    )


_progress_route("mark-shipped", "mark_shipped", "The assigned partner shipped it to the sponsor.")
_progress_route("mark-received", "mark_received", "The sponsor received it.")
_progress_route("mark-tested", "mark_tested", "The sponsor tested it.")


@router.post("/requests/{compound_request_id}/abandon", response=RequestOut)
def abandon(
    request: AuthenticatedRequest,
    compound_request_id: UUID,
    payload: AbandonIn,
    response: HttpResponse,
):
    """The sponsor abandons a request that is not yet tested, with a reason."""
    return _step(request, compound_request_id, response, "abandon", payload, reason=payload.reason)
