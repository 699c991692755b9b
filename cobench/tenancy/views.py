"""Tenancy pages: projects, their settings, partners and members, one's profile and API tokens.

Each page parses the request, calls one service or restricted query and renders;
every object comes through `get_visible`, so another project's id is a 404 exactly
like one that does not exist.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from cobench.charters import services as charters
from cobench.core.access import get_visible
from cobench.core.errors import Forbidden, InvalidInput, StaleVersion
from cobench.core.permissions import Action, Role
from cobench.core.web import FORM_ERRORS, attach, is_htmx, page, posted, rebased, submit
from cobench.security import services as security
from cobench.web.templatetags.cobench_web import when

from . import services as tenancy
from .access import (
    AuthenticatedRequest,
    ensure_can,
    ensure_recent_sign_in,
    preview,
    project_context,
    project_for,
)
from .forms import (
    CompoundShareForm,
    ConsortiumForm,
    MemberAddForm,
    MemberRemoveForm,
    MemberUpdateForm,
    PartnerAddForm,
    PartnerRemoveForm,
    PartnerUpdateForm,
    ProfileForm,
    ProjectCreateForm,
    ProjectSettingsForm,
    TokenForm,
)
from .mfa import has_mfa
from .models import ApiToken, Project, ProjectMember, ProjectPartner, UserSession

# Projects -----------------------------------------------------------------------------


@page
def project_list(request: AuthenticatedRequest) -> HttpResponse:
    """The projects the viewer is on, with their role and the charter's state."""
    projects = Project.objects.visible_to(request.user).select_related("sponsor")
    roles = dict(ProjectMember.objects.filter(user=request.user).values_list("project_id", "role"))
    rows = []
    for project in projects:
        latest = charters.latest_version(project)
        rows.append(
            {
                "project": project,
                "role": Role(roles[project.pk]).label if project.pk in roles else "",
                "charter": charters.charter_state(latest) if latest else None,
            }
        )
    return render(
        request,
        "tenancy/project_list.html",
        {"rows": rows, "may_create": request.user.organization_memberships.exists()},
    )


@page
def project_create(request: AuthenticatedRequest) -> HttpResponse:
    """Start a project; its creator becomes its sponsor lead."""
    form = ProjectCreateForm(posted(request), user=request.user)
    outcome = submit(request, form, lambda data: tenancy.create_project(actor=request.user, **data))
    if outcome.done:
        project = outcome.result
        messages.success(
            request,
            f"{project.code} is started; you are its sponsor lead. "
            "Add its partners and members next.",
        )
        return redirect("project-home", project_id=project.pk)
    return render(request, "tenancy/project_create.html", {"form": form}, status=outcome.status)


@page
def project_home(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    """A project at a glance: its facts in force, partners, leads and what comes next (as a
    partner sees it, for the sponsor's preview)."""
    project = project_for(request, project_id)
    shown = preview(request, project)
    latest = charters.latest_version(project)
    state = charters.charter_state(latest) if latest else None
    # the facts in force come from the governing (signed) version, not from a draft
    governing = charters.governing_version(project)
    content = governing.parsed if governing else None
    members = ProjectMember.objects.visible_to(shown.viewer).filter(project=project)
    upcoming = []
    if content:
        upcoming = sorted(
            [("Milestone", m.name, m.due) for m in content.milestones]
            + [("Decision point", d.name, d.due) for d in content.decision_points],
            key=lambda item: item[2],
        )[:5]
    return render(
        request,
        "tenancy/project_home.html",
        {
            **project_context(request, project, "home", preview=shown, viewer=shown.viewer),
            "partners": ProjectPartner.objects.visible_to(shown.viewer)
            .filter(project=project)
            .select_related("organization"),
            "leads": members.filter(role__in=[Role.SPONSOR_LEAD, Role.PARTNER_LEAD]).select_related(
                "user", "organization"
            ),
            "member_count": members.count(),
            "state": state,
            "content": content,
            "governing": governing,
            "upcoming": upcoming,
        },
    )


@page
def project_settings(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    """Change the project's name, description, phase and status, with a reason."""
    project = project_for(request, project_id)
    ensure_can(request.user, project, Action.EDIT_PROJECT)
    form = ProjectSettingsForm(
        posted(request),
        initial={
            "name": project.name,
            "description": project.description,
            "phase": project.phase,
            "status": project.status,
            "version": project.version,
        },
    )
    status, conflict = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            fields = dict(form.cleaned_data)
            version, reason = fields.pop("version"), fields.pop("reason")
            try:
                project = tenancy.update_project(
                    actor=request.user,
                    project=project,
                    expected_version=version,
                    reason=reason,
                    **fields,
                )
            except StaleVersion as exc:
                form, status = rebased(form, exc), exc.status
                conflict = [
                    ("Name", project.name),
                    ("Description", project.description or "—"),
                    ("Phase", project.get_phase_display()),
                    ("Status", project.get_status_display()),
                ]
            except FORM_ERRORS as exc:
                attach(form, exc)
                status = exc.status
            else:
                messages.success(request, f"{project.code} is saved.")
                return redirect("project-home", project_id=project.pk)
    return render(
        request,
        "tenancy/project_settings.html",
        {**project_context(request, project, "settings"), "form": form, "conflict": conflict},
        status=status,
    )


# Partners -----------------------------------------------------------------------------


def _partners_context(
    request: AuthenticatedRequest, project: Project, **extra: Any
) -> dict[str, Any]:
    """The partners page's context: the partner list and, for those who manage, the add form."""
    context = project_context(request, project, "partners")
    manage = context["can"]["manage_partners"]
    walls = {"open_consortium": project.open_consortium}
    return {
        **context,
        "partners": ProjectPartner.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("organization")
        .prefetch_related("shared_series"),
        "add_form": extra.pop("add_form", None)
        or (PartnerAddForm(project=project) if manage else None),
        "consortium_form": extra.pop("consortium_form", None)
        or (ConsortiumForm(initial=walls) if context["can"]["edit_project"] else None),
        **extra,
    }


@page
def partners(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    """The project's partner organizations; the sponsor lead adds one here."""
    project = project_for(request, project_id)
    if request.method == "POST":
        ensure_can(request.user, project, Action.MANAGE_PARTNERS)
        form = PartnerAddForm(request.POST, project=project)
        outcome = submit(
            request,
            form,
            lambda data: tenancy.add_partner(actor=request.user, project=project, **data),
        )
        if outcome.done:
            messages.success(
                request,
                f"{outcome.result.organization} is now a partner on {project.code}. "
                "Its people can be added as members.",
            )
            return redirect("partners", project_id=project.pk)
        return render(
            request,
            "tenancy/partners.html",
            _partners_context(request, project, add_form=form),
            status=outcome.status,
        )
    return render(request, "tenancy/partners.html", _partners_context(request, project))


def _partner(request: AuthenticatedRequest, project: Project, partner_id: UUID) -> ProjectPartner:
    """The partnership `partner_id` of `project`, if the viewer may see it; else a 404."""
    return get_visible(
        ProjectPartner.objects.select_related("organization", "project"),
        request.user,
        pk=partner_id,
        project=project,
    )


@page
def partner_edit(request: AuthenticatedRequest, project_id: UUID, partner_id: UUID) -> HttpResponse:
    """Change a partnership's dates and scope of work."""
    project = project_for(request, project_id)
    partner = _partner(request, project, partner_id)
    ensure_can(request.user, project, Action.MANAGE_PARTNERS)
    form = PartnerUpdateForm(
        posted(request),
        initial={
            "start_date": partner.start_date,
            "end_date": partner.end_date,
            "scope_of_work": partner.scope_of_work,
            "version": partner.version,
        },
    )
    status, conflict = 200, None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            fields = dict(form.cleaned_data)
            version = fields.pop("version")
            try:
                partner = tenancy.update_partner(
                    actor=request.user, partner=partner, expected_version=version, **fields
                )
            except StaleVersion as exc:
                form, status = rebased(form, exc), exc.status
                conflict = [
                    ("Start date", when(partner.start_date)),
                    ("End date", when(partner.end_date) if partner.end_date else "open"),
                    ("Scope of work", partner.scope_of_work or "—"),
                ]
            except FORM_ERRORS as exc:
                attach(form, exc)
                status = exc.status
            else:
                messages.success(request, f"{partner.organization}'s partnership is saved.")
                return redirect("partners", project_id=project.pk)
    return render(
        request,
        "tenancy/partner_edit.html",
        {
            **project_context(request, project, "partners"),
            "partner": partner,
            "form": form,
            "conflict": conflict,
        },
        status=status,
    )


@page
def partner_sharing(
    request: AuthenticatedRequest, project_id: UUID, partner_id: UUID
) -> HttpResponse:
    """What a partner sees of the project's compounds: all, those of chosen series or only
    its own."""
    project = project_for(request, project_id)
    partner = _partner(request, project, partner_id)
    ensure_can(request.user, project, Action.MANAGE_PARTNERS)
    form = CompoundShareForm(
        posted(request),
        project=project,
        initial={
            "compounds": partner.compounds,
            "series": list(partner.shared_series.all()),
            "blinded": partner.blinded,
            "version": partner.version,
        },
    )
    outcome = submit(
        request,
        form,
        lambda data: tenancy.share_compounds(
            actor=request.user,
            partner=partner,
            compounds=data["compounds"],
            series=list(data["series"]),
            blinded=data["blinded"],
            reason=data["reason"],
            expected_version=data["version"],
        ),
    )
    if outcome.done:
        messages.success(request, f"{partner.organization} now sees this at once.")
        return redirect("partners", project_id=project.pk)
    return render(
        request,
        "tenancy/partner_sharing.html",
        {**project_context(request, project, "partners"), "partner": partner, "form": form},
        status=outcome.status,
    )


@page
def project_consortium(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    """Open the partners' work to each other, or wall it again: the form of the partners
    page, which this shows on a GET."""
    project = project_for(request, project_id)
    ensure_can(request.user, project, Action.EDIT_PROJECT)
    form = ConsortiumForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: tenancy.set_open_consortium(
            actor=request.user,
            project=project,
            open_=data["open_consortium"],
            reason=data["reason"],
        ),
    )
    if outcome.done:
        walls = "see each other's work" if outcome.result.open_consortium else "are walled"
        messages.success(request, f"The partners on {project.code} now {walls}.")
        return redirect("partners", project_id=project.pk)
    return render(
        request,
        "tenancy/partners.html",
        _partners_context(request, project, consortium_form=form),
        status=outcome.status,
    )


@page
def partner_remove(
    request: AuthenticatedRequest, project_id: UUID, partner_id: UUID
) -> HttpResponse:
    """End a partnership, with a reason."""
    project = project_for(request, project_id)
    partner = _partner(request, project, partner_id)
    ensure_can(request.user, project, Action.MANAGE_PARTNERS)
    form = PartnerRemoveForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: tenancy.remove_partner(
            actor=request.user, partner=partner, reason=data["reason"]
        ),
    )
    if outcome.done:
        messages.success(request, f"{partner.organization} left {project.code}.")
        return redirect("partners", project_id=project.pk)
    return render(
        request,
        "tenancy/partner_remove.html",
        {
            **project_context(request, project, "partners"),
            "partner": partner,
            "members_left": project.members.filter(organization=partner.organization).count(),
            "form": form,
        },
        status=outcome.status,
    )


# Members ------------------------------------------------------------------------------


def _members_context(
    request: AuthenticatedRequest, project: Project, **extra: Any
) -> dict[str, Any]:
    """The members page's context: one row per member, a form where the viewer may change it."""
    context = project_context(request, project, "members")
    me = context["me"]
    manage = context["can"]["manage_members"]
    rows = []
    members = ProjectMember.objects.visible_to(request.user).filter(project=project)
    for member in members.select_related("user", "organization"):
        # the service decides; this only hides controls a partner lead could not use anyway
        editable = manage and (
            me.role == Role.SPONSOR_LEAD or member.organization_id == me.organization_id
        )
        rows.append(
            {
                "member": member,
                "form": MemberUpdateForm(
                    initial={
                        "role": member.role,
                        "is_key": member.is_key,
                        "version": member.version,
                    },
                    auto_id=f"id_{member.pk}_%s",
                )
                if editable
                else None,
            }
        )
    return {
        **context,
        "rows": rows,
        "add_form": extra.pop("add_form", None)
        or (MemberAddForm(project=project, viewer=me) if manage else None),
        **extra,
    }


@page
def members(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    """The project's people, their roles and key flags; leads add people here."""
    project = project_for(request, project_id)
    if request.method == "POST":
        me = ensure_can(request.user, project, Action.MANAGE_MEMBERS)
        form = MemberAddForm(request.POST, project=project, viewer=me)
        outcome = submit(
            request,
            form,
            lambda data: tenancy.add_member(
                actor=request.user,
                project=project,
                username=data["user"].username,
                role=data["role"],
                is_key=data["is_key"],
            ),
        )
        if outcome.done:
            member = outcome.result
            messages.success(
                request,
                f"{member.user.display_name} joined {project.code} as {member.get_role_display()}.",
            )
            return redirect("members", project_id=project.pk)
        # always 422 here, even for a refusal with a status of its own (a 409 duplicate)
        return render(
            request,
            "tenancy/members.html",
            _members_context(request, project, add_form=form),
            status=422,
        )
    return render(request, "tenancy/members.html", _members_context(request, project))


def _member(request: AuthenticatedRequest, project: Project, member_id: UUID) -> ProjectMember:
    """The membership `member_id` of `project`, if the viewer may see it; else a 404."""
    return get_visible(
        ProjectMember.objects.select_related("user", "organization", "project"),
        request.user,
        pk=member_id,
        project=project,
    )


@page
def member_edit(request: AuthenticatedRequest, project_id: UUID, member_id: UUID) -> HttpResponse:
    """Change a member's role and key flag; htmx swaps only their row."""
    project = project_for(request, project_id)
    member = _member(request, project, member_id)
    ensure_can(request.user, project, Action.MANAGE_MEMBERS)
    form = MemberUpdateForm(
        request.POST or None,
        auto_id=f"id_{member.pk}_%s",
        initial={"role": member.role, "is_key": member.is_key, "version": member.version},
    )
    outcome = submit(
        request,
        form,
        lambda data: tenancy.update_member(
            actor=request.user,
            member=member,
            expected_version=data["version"],
            role=data["role"],
            is_key=data["is_key"],
        ),
    )
    if outcome.done:
        member = outcome.result
        if not is_htmx(request):
            messages.success(
                request,
                f"{member.user.display_name} is now "
                f"{member.get_role_display()}"
                f"{', a key member' if member.is_key else ''}.",
            )
            return redirect("members", project_id=project.pk)
        form = MemberUpdateForm(
            auto_id=f"id_{member.pk}_%s",
            initial={"role": member.role, "is_key": member.is_key, "version": member.version},
        )
        return render(
            request,
            "tenancy/_member_row.html",
            {
                **project_context(request, project, "members"),
                "row": {"member": member, "form": form},
                "saved": True,
            },
        )
    context = {
        **project_context(request, project, "members"),
        "row": {"member": member, "form": form},
    }
    template = "tenancy/_member_row.html" if is_htmx(request) else "tenancy/member_edit.html"
    return render(request, template, context, status=outcome.status)


@page
def member_remove(request: AuthenticatedRequest, project_id: UUID, member_id: UUID) -> HttpResponse:
    """Take a person off the project, with a reason."""
    project = project_for(request, project_id)
    member = _member(request, project, member_id)
    ensure_can(request.user, project, Action.MANAGE_MEMBERS)
    form = MemberRemoveForm(request.POST or None)
    outcome = submit(
        request,
        form,
        lambda data: tenancy.remove_member(
            actor=request.user, member=member, reason=data["reason"]
        ),
    )
    if outcome.done:
        messages.success(request, f"{member.user.display_name} left {project.code}.")
        return redirect("members", project_id=project.pk)
    return render(
        request,
        "tenancy/member_remove.html",
        {
            **project_context(request, project, "members"),
            "member": member,
            "form": form,
        },
        status=outcome.status,
    )


# API tokens -----------------------------------------------------------------------------


@page
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    """One's personal API tokens; a new token's secret is shown once."""
    form = TokenForm(request.POST or None, initial={"days": settings.COBENCH_API_TOKEN_DAYS})
    created = secret = None
    status = 200
    try:
        ensure_recent_sign_in(request)
        stale_sign_in = None
    except Forbidden as exc:
        stale_sign_in = exc.detail
    if request.method == "POST" and stale_sign_in:
        status = 403
    elif request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                created, secret = tenancy.create_api_token(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except InvalidInput as exc:
                attach(form, exc)
            else:
                status = 201
                form = TokenForm(initial={"days": settings.COBENCH_API_TOKEN_DAYS})
    response = render(
        request,
        "tenancy/tokens.html",
        {
            "tokens": request.user.api_tokens.all(),
            "form": form,
            "created": created,
            "secret": secret,
            "now": timezone.now(),
            "stale_sign_in": stale_sign_in,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the secret must not linger in a cache
    return response


@page
def token_revoke(request: AuthenticatedRequest, token_id: UUID) -> HttpResponse:
    """Revoke one of one's own tokens; it stops working at once."""
    try:
        token = request.user.api_tokens.get(pk=token_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404("No such token.") from exc
    if request.method == "POST":
        tenancy.revoke_api_token(actor=request.user, token=token)
        if is_htmx(request):
            return render(
                request, "tenancy/_token_row.html", {"token": token, "now": timezone.now()}
            )
        messages.success(request, f"Token “{token.name}” is revoked; it no longer works.")
        return redirect(reverse("token-list"))
    return render(request, "tenancy/token_revoke.html", {"token": token})


# One's own profile ----------------------------------------------------------------------


@page
def profile(request: AuthenticatedRequest) -> HttpResponse:
    """One's own name, e-mail and time zone."""
    user = request.user
    form = ProfileForm(
        posted(request),
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "time_zone": user.time_zone,
        },
    )
    outcome = submit(request, form, lambda data: tenancy.update_profile(actor=request.user, **data))
    if outcome.done:
        messages.success(request, f"Saved. Times are now shown in {outcome.result.time_zone}.")
        return redirect("profile")
    return render(
        request,
        "tenancy/profile.html",
        {
            "form": form,
            "reads_security_log": security.may_read(user),
            "has_mfa": has_mfa(user),
            "leads_organizations": tenancy.organizations_led_by(user).exists(),
        },
        status=outcome.status,
    )


@page
def organization_security(request: AuthenticatedRequest) -> HttpResponse:
    """The organizations one leads, each requiring two-factor sign-in of its people or not."""
    led = tenancy.organizations_led_by(request.user)
    if request.method == "POST":
        try:
            organization = led.filter(pk=request.POST.get("organization", "")).first()
        except ValidationError:  # not an id at all
            organization = None
        if organization is None:
            raise Http404("No such organization among those you lead.")
        required = request.POST.get("require_mfa") == "on"
        tenancy.set_require_mfa(actor=request.user, organization=organization, required=required)
        messages.success(
            request,
            f"{organization} {'now requires' if required else 'no longer requires'} "
            "two-factor sign-in of its people.",
        )
        return redirect("organization-security")
    return render(request, "tenancy/organization_security.html", {"organizations": led})


@page
def sessions(request: AuthenticatedRequest) -> HttpResponse:
    """Where one is signed in: each session's device, address, sign-in and last activity."""
    return render(
        request,
        "tenancy/sessions.html",
        {"sessions": request.user.sessions.live(), "current": request.session.session_key},
    )


@page
def session_end(request: AuthenticatedRequest, session_id: UUID) -> HttpResponse:
    """End one of one's sessions: it is signed out at once (this one: signing out here)."""
    try:
        session = request.user.sessions.live().get(pk=session_id)
    except UserSession.DoesNotExist as exc:
        raise Http404("No such session, or it has ended already.") from exc
    current = session.session_key == request.session.session_key
    if request.method != "POST":
        return render(request, "tenancy/session_end.html", {"session": session, "current": current})
    tenancy.end_session(actor=request.user, session=session)
    if current:
        logout(request)
        return redirect(settings.LOGOUT_REDIRECT_URL)
    messages.success(request, f"Signed out {session.device} from {session.ip_address or '?'}.")
    return redirect("sessions")


@require_POST
def session_ping(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": a request that counts as activity; 401 once signed out."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)


@page
@require_POST
def sessions_end_others(request: AuthenticatedRequest) -> HttpResponse:
    """End every session of one's but this one."""
    ended = tenancy.end_other_sessions(actor=request.user, keep=request.session.session_key)
    messages.success(
        request, f"Signed out {ended} other session{'s' if ended != 1 else ''}; this one stays."
    )
    return redirect("sessions")


class PasswordChange(auth_views.PasswordChangeView):
    """Django's own password change, in the site's frame: this session stays signed in,
    every other one of the person's is ended."""

    template_name = "tenancy/password_change.html"
    success_url = reverse_lazy("profile")
    success_message = "Your password is changed. Your other sessions are signed out."

    def form_valid(self, form: Any) -> HttpResponse:
        request = self.request
        old_key = request.session.session_key
        tenancy.change_password(
            actor=form.user,  # the person themselves, signed in
            user=form.user,
            password=form.cleaned_data["new_password1"],
            keep_session=old_key,
        )
        update_session_auth_hash(request, form.user)  # gives this session a new key
        tenancy.rekey_session(old=old_key or "", new=request.session.session_key or "")
        messages.success(request, self.success_message)
        return redirect(self.success_url)
