"""Compound request pages: the board with its filters, the new-request form, one request with
its thread and the steps the viewer may take, and the structure pictures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cobench.compounds import services as compound_services
from cobench.compounds.models import Compound
from cobench.core.access import get_visible
from cobench.core.errors import InvalidInput, NotFound
from cobench.core.permissions import Action
from cobench.core.web import is_htmx, page, posted, submit
from cobench.tenancy.access import (
    AuthenticatedRequest,
    ensure_can,
    preview,
    project_context,
    project_for,
)
from cobench.tenancy.models import Project

from . import evidence, services
from .forms import FORMS, EvidenceForm, FilterForm, MadeCompoundForm, RequestForm, registry_ids
from .models import CompoundRequest, RequestMessage, State


def _get(
    request: AuthenticatedRequest, project: Project, compound_request_id: UUID
) -> CompoundRequest:
    return get_visible(
        CompoundRequest.objects.select_related("project", "partner", "requested_by", "compound"),
        request.user,
        pk=compound_request_id,
        project=project,
    )


def _offered(request: AuthenticatedRequest, project: Project) -> Any:
    """The registry ids a form offers as the user types (the latest 500 they see; a coded
    sample without its formula)."""
    latest = Compound.objects.in_project(project, seen_by=request.user).order_by("-number")
    return compound_services.blind(request.user, latest[:500])


def _evidence_form(request: AuthenticatedRequest, compound: CompoundRequest) -> EvidenceForm:
    """The form naming the compounds whose data back the request (bound on its own POST)."""
    data = request.POST if request.POST.get("action") == "evidence" else None
    named = " ".join(compound.evidence.order_by("number").values_list("registry_id", flat=True))
    return EvidenceForm(
        data, initial={"evidence": named, "version": compound.version}, prefix="evidence"
    )


@page
def request_board(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    shown = preview(request, project)
    filters = FilterForm(request.GET or None, project=project, viewer=shown.viewer)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    requests = services.filtered(
        CompoundRequest.objects.visible_to(shown.viewer)
        .filter(project=project)
        .select_related("partner", "requested_by", "project", "compound"),
        today=today,
        **chosen,
    )
    context = project_context(
        request,
        project,
        "requests",
        filters=filters,
        columns=services.board(requests, today),
        filtered=any(chosen.values()),
        preview=shown,
        viewer=shown.viewer,
    )
    if is_htmx(request):
        return render(request, "compound_requests/_board.html", context)
    return render(request, "compound_requests/board.html", context)


@page
def request_new(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    ensure_can(request.user, project, Action.REQUEST_COMPOUND)
    form = RequestForm(posted(request), project=project)
    outcome = submit(
        request,
        form,
        lambda data: services.create_request(
            actor=request.user,
            project=project,
            structure=data["structure"],
            partner=form.partners.get(data["partner"]),
            rationale=data["rationale"],
            priority=data["priority"],
            due_date=data["due_date"],
            title=data["title"],
            evidence=registry_ids(data["evidence"]),
        ),
    )
    if outcome.done:
        made = outcome.result
        messages.success(
            request, f"Request #{made.number} is sent; {made.partner.name}'s leads are told."
        )
        return redirect("request-detail", project_id=project.pk, compound_request_id=made.pk)
    return render(
        request,
        "compound_requests/new.html",
        project_context(
            request, project, "requests", form=form, project_compounds=_offered(request, project)
        ),
        status=outcome.status,
    )


_DONE = {
    "accept": "accepted",
    "push_back": "pushed back",
    "propose_alternative": "answered with an alternative",
    "accept_alternative": "accepted with the alternative structure",
    "answer": "answered: it is proposed again",
    "start_synthesis": "in synthesis",
    "mark_made": "made",
    "mark_shipped": "shipped",
    "mark_received": "received",
    "mark_tested": "tested",
    "abandon": "abandoned",
}


def _forms(compound: CompoundRequest, data: Any = None, action: str = "") -> dict[str, Any]:
    """Every step's form; only the posted one is bound to `data`."""
    return {
        name: form_class(
            data if action == name else None,
            initial={"version": compound.version},
            prefix=name,
        )
        for name, form_class in FORMS.items()
    }


def _change(
    request: AuthenticatedRequest, compound: CompoundRequest, action: str
) -> tuple[Callable[[dict[str, Any]], CompoundRequest], str]:
    """The service call a form posted on a request's page makes, and what to say when done."""
    number = compound.number
    if action == "evidence":
        return lambda data: services.set_evidence(
            actor=request.user,
            request=compound,
            evidence=registry_ids(data["evidence"]),
            expected_version=data["version"],
        ), f"The data behind request #{number} is saved."
    if action == "made_compound":
        return lambda data: services.correct_made_compound(
            actor=request.user,
            request=compound,
            registry_id=data["registry_id"],
            reason=data["reason"],
            expected_version=data["version"],
        ), f"Request #{number} is linked to its compound."
    if action not in services.TRANSITIONS:
        raise InvalidInput(f"Say what to do: one of {', '.join(services.TRANSITIONS)}.")

    def take(data: dict[str, Any]) -> CompoundRequest:
        data = dict(data)
        version = data.pop("version")
        return services.SERVICES[action](
            actor=request.user, request=compound, expected_version=version, **data
        )

    return take, f"Request #{number} is {_DONE[action]}."


@page
def request_detail(
    request: AuthenticatedRequest, project_id: UUID, compound_request_id: UUID
) -> HttpResponse:
    project = project_for(request, project_id)
    compound = _get(request, project, compound_request_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(compound, request.POST, action)
    evidence_form = _evidence_form(request, compound)
    made_form = MadeCompoundForm(
        request.POST if action == "made_compound" else None,
        initial={"version": compound.version},
        prefix="made_compound",
    )
    status, failed = 200, ""
    if request.method == "POST":
        posted_forms = {**forms, "evidence": evidence_form, "made_compound": made_form}
        take, done = _change(request, compound, action)
        outcome = submit(request, posted_forms[action], take)
        if outcome.done:
            messages.success(request, done)
            return redirect(
                "request-detail", project_id=project.pk, compound_request_id=compound.pk
            )
        status, failed = outcome.status, action
    context = project_context(request, project, "requests")
    steps = services.allowed_steps(context["me"], compound)
    side = services.side_of(context["me"], compound)
    correctable = side is not None and compound.state in services.MADE
    context |= {
        "req": compound,
        "overdue": services.is_overdue(compound),
        "steps": [
            {"name": n, "label": services.TRANSITIONS[n].label, "form": forms[n]} for n in steps
        ],
        "failed": failed,
        "failed_form": forms.get(failed) if failed and failed not in steps else None,
        "thread": compound.messages.select_related("author", "author_org"),
        "pending": services.alternatives_pending(compound),
        # the registry ids offered when marking it made, correcting that or naming the data
        "project_compounds": _offered(request, project)
        if "mark_made" in steps or side == services.SPONSOR or correctable
        else (),
        "made_form": made_form if correctable else None,
        "evidence_form": evidence_form if side == services.SPONSOR else None,
        "evidence": evidence.evidence_table(request.user, compound),
        "side": side,
        "State": State,
    }
    return render(request, "compound_requests/detail.html", context, status=status)


@page
def request_picture(
    request: AuthenticatedRequest, project_id: UUID, compound_request_id: UUID
) -> HttpResponse:
    """The SVG picture of a request's structure, or (`?message=`) of one its thread carries."""
    project = project_for(request, project_id)
    compound = _get(request, project, compound_request_id)
    svg = compound.svg
    if message_id := request.GET.get("message"):
        try:
            message = compound.messages.get(pk=message_id)
        except (RequestMessage.DoesNotExist, ValidationError, ValueError) as exc:
            raise NotFound() from exc
        if not message.svg:
            raise NotFound()
        svg = message.svg
    response = HttpResponse(svg, content_type="image/svg+xml")
    # drawn by RDKit from a parsed molecule; still, an SVG opened alone must run nothing
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
