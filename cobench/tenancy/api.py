"""JSON API for the caller, organizations, projects, partners, members, API tokens and
sign-in sessions."""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cobench.api.concurrency import expected_version, set_etag
from cobench.api.schemas import Input, OrgRef
from cobench.core.access import get_visible
from cobench.core.errors import NotFound
from cobench.core.permissions import Role

from . import services
from .access import (
    AuthenticatedRequest,
    ensure_recent_sign_in,
    organization_or_422,
    project_for,
)
from .models import ApiToken, Organization, Project, ProjectMember, ProjectPartner, UserSession

router = Router(tags=["projects"])

Phase = Literal["hit_to_lead", "lead_optimization", "candidate", "scale_up", "gmp"]
ProjectStatus = Literal["active", "on_hold", "closed"]
RoleName = Literal[
    "sponsor_lead",
    "sponsor_scientist",
    "partner_lead",
    "partner_scientist",
    "executive",
    "qa_auditor",
]
Reason = Field("", max_length=2000)


class OrganizationOut(Schema):
    id: UUID
    name: str
    short_name: str
    country: str
    time_zone: str


class MeOut(Schema):
    id: UUID
    username: str
    name: str
    email: str
    time_zone: str
    organizations: list[OrgRef]


class ProjectOut(Schema):
    id: UUID
    code: str
    name: str
    description: str
    sponsor: OrgRef
    phase: Phase
    status: ProjectStatus
    open_consortium: bool = Field(
        description="Partners see each other's work; off (the default), each partner sees its "
        "own and what the sponsor shares"
    )
    created_at: datetime
    version: int


class ProjectIn(Input):
    code: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$")
    name: str = Field(min_length=1, max_length=200)
    sponsor_id: UUID
    description: str = Field("", max_length=20_000)
    phase: Phase = "hit_to_lead"


class ProjectPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    phase: Phase | None = None
    status: ProjectStatus | None = None
    version: int | None = Field(None, ge=1)
    reason: str = Reason


CompoundShareName = Literal["all", "series", "own"]


class SeriesRef(Schema):
    id: UUID
    name: str


class PartnerOut(Schema):
    id: UUID
    organization: OrgRef
    start_date: date
    end_date: date | None
    scope_of_work: str
    compounds: CompoundShareName = Field(
        description="Which of the project's compounds the partner sees beyond those it made or "
        "was asked to make: all, those of `shared_series`, or only its own"
    )
    shared_series: list[SeriesRef]
    blinded: bool = Field(
        description="The shared compounds are shown to the partner as coded samples: registry "
        "id, series and results, but no structure, identifiers or computed properties; those "
        "it made or was asked to make are never blinded for it"
    )
    version: int

    @staticmethod
    def resolve_shared_series(partner: ProjectPartner) -> list[dict]:
        return [{"id": s.pk, "name": s.name} for s in partner.shared_series.order_by("name")]


class CompoundShareIn(Input):
    compounds: CompoundShareName
    series_ids: list[UUID] = Field(
        default_factory=list, max_length=200, description="With `series`: the series shared"
    )
    blinded: bool = Field(
        False, description="Show the shared compounds as coded samples, without structures"
    )
    version: int | None = Field(None, ge=1)
    reason: str = Field(..., min_length=1, max_length=2000)


class ConsortiumIn(Input):
    open_consortium: bool
    reason: str = Field(..., min_length=1, max_length=2000)


class PartnerIn(Input):
    organization_id: UUID
    start_date: date
    end_date: date | None = None
    scope_of_work: str = Field("", max_length=20_000)


class PartnerPatch(Input):
    start_date: date | None = None
    end_date: date | None = None
    scope_of_work: str | None = Field(None, max_length=20_000)
    version: int | None = Field(None, ge=1)


class UserRef(Schema):
    id: UUID
    username: str
    name: str = Field(alias="display_name")


class MemberOut(Schema):
    id: UUID
    user: UserRef
    organization: OrgRef
    role: RoleName
    is_key: bool
    joined_at: datetime
    version: int


class MemberIn(Input):
    username: str = Field(min_length=1, max_length=150)
    role: RoleName
    is_key: bool = False


class MemberPatch(Input):
    role: RoleName | None = None
    is_key: bool | None = None
    version: int | None = Field(None, ge=1)


class TokenOut(Schema):
    id: UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret: shown this once, keep it safe")


class TokenIn(Input):
    name: str = Field(min_length=1, max_length=100)
    days: int | None = Field(None, ge=1, le=366)


class SessionOut(Schema):
    id: UUID
    device: str = Field(description="The browser and system its user agent names")
    user_agent: str
    ip_address: str | None
    signed_in_at: datetime
    last_activity_at: datetime
    current: bool = Field(False, description="Whether this call came through this session")

    @staticmethod
    def resolve_current(obj: UserSession, context: dict) -> bool:
        return obj.session_key == context["request"].session.session_key


def _changes(payload: Schema, nullable: tuple[str, ...] = ()) -> dict:
    """The fields the caller sent; null clears only fields that may be empty."""
    sent = payload.dict(exclude_unset=True, exclude={"version", "reason"})
    return {k: v for k, v in sent.items() if v is not None or k in nullable}


# The caller and organizations -----------------------------------------------------


@router.get("/me", response=MeOut, tags=["me"])
def me(request: AuthenticatedRequest):
    """Who the caller is, and the organizations they work for."""
    user = request.user
    return {
        "id": user.id,
        "username": user.username,
        "name": user.display_name,
        "email": user.email,
        "time_zone": user.time_zone,
        "organizations": Organization.objects.filter(people__user=user),
    }


class ProfilePatch(Input):
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    time_zone: str | None = Field(None, max_length=64, examples=["Asia/Kolkata"])


@router.patch("/me", response=MeOut, tags=["me"])
def update_me(request: AuthenticatedRequest, payload: ProfilePatch):
    """Change your name, e-mail or time zone."""
    services.update_profile(actor=request.user, **_changes(payload))
    request.user.refresh_from_db()
    return me(request)


@router.get("/organizations", response=list[OrganizationOut], tags=["me"])
@paginate
def list_organizations(request: AuthenticatedRequest):
    """Organizations the caller works for or meets on their projects."""
    return services.organizations_visible_to(request.user).order_by("name")


# Projects -------------------------------------------------------------------------


@router.get("/projects", response=list[ProjectOut])
@paginate
def list_projects(request: AuthenticatedRequest):
    """Projects the caller is a member of."""
    return Project.objects.visible_to(request.user).select_related("sponsor").order_by("code")


@router.post("/projects", response={201: ProjectOut})
def create_project(request: AuthenticatedRequest, payload: ProjectIn):
    """Start a project for an organization the caller works for; they become its sponsor lead."""
    sponsor = organization_or_422(
        payload.sponsor_id,
        field="sponsor_id",
        among=Organization.objects.filter(people__user=request.user),
        message="You can start projects only for an organization you work for.",
        error="Not one of your organizations.",
    )
    project = services.create_project(
        actor=request.user,
        code=payload.code,
        name=payload.name,
        sponsor=sponsor,
        description=payload.description,
        phase=payload.phase,
    )
    return Status(201, project)


@router.get("/projects/{project_id}", response=ProjectOut)
def get_project(request: AuthenticatedRequest, project_id: UUID, response: HttpResponse):
    project = project_for(request, project_id)
    set_etag(response, project.version)
    return project


@router.patch("/projects/{project_id}", response=ProjectOut)
def update_project(
    request: AuthenticatedRequest, project_id: UUID, payload: ProjectPatch, response: HttpResponse
):
    """Change name, description, phase or status; send If-Match (or `version`)."""
    project = project_for(request, project_id)
    project = services.update_project(
        actor=request.user,
        project=project,
        reason=payload.reason,
        expected_version=expected_version(request, payload.version),
        **_changes(payload),
    )
    set_etag(response, project.version)
    return project


# Partners -------------------------------------------------------------------------


@router.get("/projects/{project_id}/partners", response=list[PartnerOut])
@paginate
def list_partners(request: AuthenticatedRequest, project_id: UUID):
    project = project_for(request, project_id)
    return (
        ProjectPartner.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("organization")
    )


@router.post("/projects/{project_id}/partners", response={201: PartnerOut})
def add_partner(request: AuthenticatedRequest, project_id: UUID, payload: PartnerIn):
    """Bring a partner organization onto the project (sponsor lead)."""
    project = project_for(request, project_id)
    organization = organization_or_422(payload.organization_id, field="organization_id")
    partner = services.add_partner(
        actor=request.user,
        project=project,
        organization=organization,
        start_date=payload.start_date,
        end_date=payload.end_date,
        scope_of_work=payload.scope_of_work,
    )
    return Status(201, partner)


@router.get("/partners/{partner_id}", response=PartnerOut)
def get_partner(request: AuthenticatedRequest, partner_id: UUID, response: HttpResponse):
    partner = get_visible(
        ProjectPartner.objects.select_related("organization"), request.user, pk=partner_id
    )
    set_etag(response, partner.version)
    return partner


@router.patch("/partners/{partner_id}", response=PartnerOut)
def update_partner(
    request: AuthenticatedRequest, partner_id: UUID, payload: PartnerPatch, response: HttpResponse
):
    partner = get_visible(ProjectPartner.objects, request.user, pk=partner_id)
    partner = services.update_partner(
        actor=request.user,
        partner=partner,
        expected_version=expected_version(request, payload.version),
        **_changes(payload, nullable=("end_date",)),
    )
    set_etag(response, partner.version)
    return partner


@router.put("/partners/{partner_id}/compounds", response=PartnerOut)
def share_compounds(
    request: AuthenticatedRequest,
    partner_id: UUID,
    payload: CompoundShareIn,
    response: HttpResponse,
):
    """Choose which of the project's compounds the partner sees (sponsor lead); effective at
    once, audited with the reason."""
    partner = get_visible(ProjectPartner.objects, request.user, pk=partner_id)
    partner = services.share_compounds(
        actor=request.user,
        partner=partner,
        compounds=payload.compounds,
        series=payload.series_ids,
        blinded=payload.blinded,
        reason=payload.reason,
        expected_version=expected_version(request, payload.version),
    )
    set_etag(response, partner.version)
    return partner


@router.put("/projects/{project_id}/consortium", response=ProjectOut)
def set_consortium(
    request: AuthenticatedRequest, project_id: UUID, payload: ConsortiumIn, response: HttpResponse
):
    """Open the partners' work to each other, or wall it again (sponsor lead), with a reason."""
    project = services.set_open_consortium(
        actor=request.user,
        project=project_for(request, project_id),
        open_=payload.open_consortium,
        reason=payload.reason,
    )
    set_etag(response, project.version)
    return project


@router.delete("/partners/{partner_id}", response={204: None})
def remove_partner(
    request: AuthenticatedRequest,
    partner_id: UUID,
    reason: str = Query(..., max_length=2000, pattern=r"^[^\x00]*$"),
):
    """Take a partner off the project; `reason` is required."""
    partner = get_visible(ProjectPartner.objects, request.user, pk=partner_id)
    services.remove_partner(actor=request.user, partner=partner, reason=reason)
    return Status(204, None)


# Members --------------------------------------------------------------------------


@router.get("/projects/{project_id}/members", response=list[MemberOut])
@paginate
def list_members(request: AuthenticatedRequest, project_id: UUID):
    project = project_for(request, project_id)
    return (
        ProjectMember.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("user", "organization")
    )


@router.post("/projects/{project_id}/members", response={201: MemberOut})
def add_member(request: AuthenticatedRequest, project_id: UUID, payload: MemberIn):
    """Put a person of the sponsor or a partner on the project."""
    project = project_for(request, project_id)
    member = services.add_member(
        actor=request.user,
        project=project,
        username=payload.username,
        role=Role(payload.role),
        is_key=payload.is_key,
    )
    return Status(201, member)


@router.get("/members/{member_id}", response=MemberOut)
def get_member(request: AuthenticatedRequest, member_id: UUID, response: HttpResponse):
    member = get_visible(
        ProjectMember.objects.select_related("user", "organization"), request.user, pk=member_id
    )
    set_etag(response, member.version)
    return member


@router.patch("/members/{member_id}", response=MemberOut)
def update_member(
    request: AuthenticatedRequest, member_id: UUID, payload: MemberPatch, response: HttpResponse
):
    member = get_visible(ProjectMember.objects, request.user, pk=member_id)
    member = services.update_member(
        actor=request.user,
        member=member,
        expected_version=expected_version(request, payload.version),
        **_changes(payload),
    )
    set_etag(response, member.version)
    return member


@router.delete("/members/{member_id}", response={204: None})
def remove_member(
    request: AuthenticatedRequest,
    member_id: UUID,
    reason: str = Query(..., max_length=2000, pattern=r"^[^\x00]*$"),
):
    """Take a person off the project; `reason` is required."""
    member = get_visible(ProjectMember.objects, request.user, pk=member_id)
    services.remove_member(actor=request.user, member=member, reason=reason)
    return Status(204, None)


# Personal API tokens --------------------------------------------------------------


@router.get("/tokens", response=list[TokenOut], tags=["me"])
@paginate
def list_tokens(request: AuthenticatedRequest):
    """The caller's own tokens, with their last use."""
    return ApiToken.objects.filter(user=request.user)


@router.post("/tokens", response={201: TokenCreated}, tags=["me"])
def create_token(request: AuthenticatedRequest, payload: TokenIn):
    """A new personal token; the secret in `token` is shown only in this response.

    Only through a web session signed in within the last 15 minutes
    (COBENCH_RECENT_SIGN_IN_MINUTES): a token cannot create tokens (403)."""
    ensure_recent_sign_in(request)
    token, raw = services.create_api_token(actor=request.user, name=payload.name, days=payload.days)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.delete("/tokens/{token_id}", response=TokenOut, tags=["me"])
def revoke_token(request: AuthenticatedRequest, token_id: UUID):
    """Revoke one of the caller's tokens, at once."""
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise NotFound()
    return services.revoke_api_token(actor=request.user, token=token)


# Sign-in sessions -----------------------------------------------------------------


@router.get("/sessions", response=list[SessionOut], tags=["me"])
@paginate
def list_sessions(request: AuthenticatedRequest):
    """Where the caller is signed in on the web, most recently active first."""
    return UserSession.objects.filter(user=request.user).live()


@router.delete("/sessions/{session_id}", response={204: None}, tags=["me"])
def end_session(request: AuthenticatedRequest, session_id: UUID):
    """Sign out one of the caller's sessions, at once; an ended one is gone (404)."""
    session = UserSession.objects.filter(pk=session_id, user=request.user).live().first()
    if session is None:
        raise NotFound("No such session, or it has ended already.")
    services.end_session(actor=request.user, session=session)
    return Status(204, None)
