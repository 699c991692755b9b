"""Concern pages: the list with its filters and response figures, the raise form, one concern.

Every raiser's name and every comment author goes through `services.raiser_label`
/ `services.author_label`: a confidential raiser stays hidden from those not allowed.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.core.access import get_visible
from cobench.core.errors import InvalidInput
from cobench.core.permissions import Action
from cobench.core.web import is_htmx, page, posted, submit
from cobench.tenancy.access import AuthenticatedRequest, ensure_can, project_context, project_for
from cobench.tenancy.models import Project

from . import services
from .forms import AssignForm, CommentForm, FilterForm, NoteForm, RaiseForm, ReopenForm, ResolveForm
from .models import Concern


def _rows(request: AuthenticatedRequest, concerns: Any, member: Any) -> list[dict[str, Any]]:
    return [
        {"concern": c, "raiser": services.raiser_label(request.user, c, member)} for c in concerns
    ]


@page
def concern_list(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    context = project_context(request, project, "concerns")
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    concerns = services.filtered(
        Concern.objects.visible_to(request.user)
        .filter(project=project)
        .select_related("raised_by", "raised_by_org", "addressed_to", "owner", "project"),
        **chosen,
    )
    context |= {
        "filters": filters,
        "rows": _rows(request, concerns, context["me"]),
        "figures": services.response_figures(project, request.user),
        "filtered": any(chosen.values()),
    }
    if is_htmx(request):
        return render(request, "concerns/_table.html", context)
    return render(request, "concerns/list.html", context)


@page
def concern_raise(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    me = ensure_can(request.user, project, Action.RAISE_CONCERN)
    form = RaiseForm(posted(request), project=project, member=me)
    outcome = submit(
        request,
        form,
        lambda data: services.raise_concern(actor=request.user, project=project, **data),
    )
    if outcome.done:
        concern = outcome.result
        hidden = " confidentially" if concern.confidential else ""
        messages.success(
            request,
            f"Concern #{concern.number} is raised{hidden}; "
            f"{concern.addressed_to}'s leads are told.",
        )
        return redirect("concern-detail", project_id=project.pk, concern_id=concern.pk)
    return render(
        request,
        "concerns/raise.html",
        project_context(request, project, "concerns", form=form),
        status=outcome.status,
    )


# One concern --------------------------------------------------------------------------

ACTIONS = ("acknowledge", "start", "resolve", "close", "reopen", "assign", "comment")
_DONE = {
    "acknowledge": "acknowledged",
    "start": "in progress",
    "resolve": "resolved",
    "close": "closed",
    "reopen": "reopened",
    "assign": "assigned",
}


def _forms(project: Project, concern: Concern, data: Any = None, action: str = "") -> dict:
    """Every action's form; only the posted one is bound to `data`."""
    version = {"version": concern.version}

    def bound(name: str) -> Any:
        return data if action == name else None

    return {
        "acknowledge": NoteForm(bound("acknowledge"), initial=version, prefix="acknowledge"),
        "start": NoteForm(bound("start"), initial=version, prefix="start"),
        "resolve": ResolveForm(bound("resolve"), initial=version, prefix="resolve"),
        "close": NoteForm(bound("close"), initial=version, prefix="close"),
        "reopen": ReopenForm(bound("reopen"), initial=version, prefix="reopen"),
        "assign": AssignForm(
            bound("assign"),
            project=project,
            prefix="assign",
            initial={
                **version,
                "owner": concern.owner.username if concern.owner else "",
                "due_date": concern.due_date,
            },
        ),
        "comment": CommentForm(bound("comment"), prefix="comment"),
    }


def _act(request: AuthenticatedRequest, concern: Concern, action: str, form: forms.Form) -> Any:
    data = dict(form.cleaned_data)
    version = data.pop("version", None)
    actor = request.user
    if action == "comment":
        return services.comment_on_concern(actor=actor, concern=concern, body=data["body"])
    if action == "assign":
        owner = (
            services.owner_by_username(concern.project, data["owner"]) if data["owner"] else None
        )
        return services.assign_concern(
            actor=actor,
            concern=concern,
            owner=owner,
            due_date=data["due_date"],
            reason=data["reason"],
            expected_version=version,
        )
    if action == "resolve":
        return services.resolve_concern(
            actor=actor, concern=concern, resolution=data["resolution"], expected_version=version
        )
    if action == "reopen":
        return services.reopen_concern(
            actor=actor,
            concern=concern,
            reason=data["reason"],
            to=data["to"],
            expected_version=version,
        )
    change = {
        "acknowledge": services.acknowledge_concern,
        "start": services.start_concern,
        "close": services.close_concern,
    }[action]
    return change(actor=actor, concern=concern, note=data["note"], expected_version=version)


def _timeline(request: AuthenticatedRequest, concern: Concern) -> list[dict[str, Any]]:
    labels = dict(Event.choices)
    return [
        {"event": e, "label": labels.get(e.event, e.event)}
        for e in audit.history(user=request.user, target=concern)
        if e.event != Event.CONCERN_COMMENTED  # the thread shows comments
    ]


def _comments(request: AuthenticatedRequest, concern: Concern, member: Any) -> list[dict[str, Any]]:
    return [
        {"comment": c, "author": services.author_label(request.user, c, member)}
        for c in concern.comments.select_related("author", "author_org", "concern")
    ]


@page
def concern_detail(
    request: AuthenticatedRequest, project_id: UUID, concern_id: UUID
) -> HttpResponse:
    project = project_for(request, project_id)
    concern = get_visible(
        Concern.objects.select_related(
            "project", "raised_by", "raised_by_org", "addressed_to", "owner"
        ),
        request.user,
        pk=concern_id,
        project=project,
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form_set = _forms(project, concern, request.POST, action)
    status, failed = 200, ""
    if request.method == "POST":
        if action not in ACTIONS:
            raise InvalidInput(f"Say what to do: one of {', '.join(ACTIONS)}.")
        form, failed = form_set[action], action
        outcome = submit(request, form, lambda _data: _act(request, concern, action, form))
        if outcome.done:
            if action == "comment":
                form_set["comment"] = CommentForm(prefix="comment")
                if is_htmx(request):
                    return _thread(request, project, concern)
                messages.success(request, "Your comment is added.")
            else:
                messages.success(request, f"Concern #{concern.number} is {_DONE[action]}.")
            return redirect("concern-detail", project_id=project.pk, concern_id=concern.pk)
        status = outcome.status
        if action == "comment" and is_htmx(request):
            return _thread(request, project, concern, form=form, status=status)
    context = project_context(request, project, "concerns")
    me = context["me"]
    steps = services.ladder(project)
    rung = services.rung_of(steps, concern.level)
    context |= {
        "concern": concern,
        "raiser": services.raiser_label(request.user, concern, me),
        "may": services.allowed_actions(request.user, concern, me),
        "forms": form_set,
        "failed": failed,
        "deadline": services.deadline(concern, steps),
        "rung": rung,
        "escalations": concern.escalations.all(),
        "timeline": _timeline(request, concern),
        "comments": _comments(request, concern, me),
        "comment_form": form_set["comment"],
    }
    return render(request, "concerns/detail.html", context, status=status)


def _thread(
    request: AuthenticatedRequest,
    project: Project,
    concern: Concern,
    *,
    form: Any = None,
    status: int = 200,
) -> HttpResponse:
    context = project_context(request, project, "concerns")
    context |= {
        "concern": concern,
        "may": services.allowed_actions(request.user, concern, context["me"]),
        "comments": _comments(request, concern, context["me"]),
        "comment_form": form or CommentForm(prefix="comment"),
    }
    return render(request, "concerns/_thread.html", context, status=status)
