"""Status pages: every partner's document, the editor, history, comparison and print view.

Each page parses the request, calls one service or restricted query and renders;
documents come through `get_visible`, so another project's id is a 404.
"""

from __future__ import annotations

from typing import Any, cast
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from cobench.core.access import get_visible
from cobench.core.errors import Forbidden, InvalidInput, StaleVersion
from cobench.core.permissions import Action
from cobench.core.web import FORM_ERRORS, attach, is_htmx, page, posted
from cobench.tenancy.access import AuthenticatedRequest, ensure_can, project_context, project_for
from cobench.tenancy.models import Project

from . import services
from .forms import StatusForm
from .models import SECTIONS, StatusDocument, StatusVersion
from .render import markdown


def _document(request: AuthenticatedRequest, project: Project, document_id: UUID) -> StatusDocument:
    return get_visible(
        StatusDocument.objects.select_related("project", "organization"),
        request.user,
        pk=document_id,
        project=project,
    )


def _context(request: AuthenticatedRequest, project: Project, **extra: Any) -> dict[str, Any]:
    context = project_context(request, project, "status")
    me = context["me"]
    mine = (
        StatusDocument.objects.filter(project=project, organization=me.organization).first()
        if me
        else None
    )
    return {**context, "my_document": mine, "now": timezone.now(), **extra}


def _may_edit(context: dict[str, Any], document: StatusDocument | None) -> bool:
    me = context["me"]
    return bool(
        context["can"]["edit_status"]
        and me
        and (document is None or document.organization_id == me.organization_id)
    )


@page
def status(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    """Every partner's document at a glance: fresh or stale, how old, who wrote it."""
    project = project_for(request, project_id)
    context = _context(request, project)
    rows = services.project_freshness(project, seen_by=request.user, now=context["now"])
    me = context["me"]
    mine_missing = (
        context["can"]["edit_status"]
        and context["my_document"] is None
        and any(r.organization.pk == me.organization_id for r in rows)
    )
    return render(
        request,
        "status/index.html",
        {
            **context,
            "rows": rows,
            "cadence": services.cadence_days(project),
            "mine_missing": mine_missing,
        },
    )


def _reading(
    request: AuthenticatedRequest,
    project: Project,
    document: StatusDocument,
    version: StatusVersion,
) -> dict[str, Any]:
    """The sections of `version`, each with what changed against the reader's baseline."""
    context = _context(request, project)
    freshness = services.document_freshness(document, now=context["now"])
    is_current = version.number == document.version
    baseline_number, baseline_reason = None, ""
    if is_current:
        seen = services.mark_read(user=request.user, document=document, now=context["now"])
        if seen is not None and seen < version.number:
            baseline_number, baseline_reason = seen, "since your last visit"
    if baseline_number is None and version.number > 1:
        baseline_number, baseline_reason = version.number - 1, "in this version"
    baseline = document.versions.filter(number=baseline_number).first() if baseline_number else None
    comparison = services.compare_versions(baseline, version) if baseline else []
    by_name = {c.name: c for c in comparison}
    sections = [
        {
            "name": name,
            "label": label,
            "html": markdown(getattr(version, name)),
            "empty": not getattr(version, name),
            "change": by_name.get(name) if name in by_name and by_name[name].changed else None,
        }
        for name, label in SECTIONS.items()
    ]
    return {
        **context,
        "document": document,
        "version": version,
        "is_current": is_current,
        "freshness": freshness,
        "sections": sections,
        "baseline": baseline,
        "baseline_reason": baseline_reason,
        "changed_count": sum(1 for s in sections if s["change"]),
        "may_edit": _may_edit(context, document),
        "others": [
            r
            for r in services.project_freshness(project, seen_by=request.user, now=context["now"])
            if r.document is None or r.document.pk != document.pk
        ],
    }


@page
def document(request: AuthenticatedRequest, project_id: UUID, document_id: UUID) -> HttpResponse:
    """One partner's document: the best answer to “where are we?”."""
    project = project_for(request, project_id)
    doc = _document(request, project, document_id)
    current = doc.current
    if current is None:
        raise Http404("This status document has no version yet.")
    return render(request, "status/document.html", _reading(request, project, doc, current))


@page
def version(
    request: AuthenticatedRequest, project_id: UUID, document_id: UUID, version_number: int
) -> HttpResponse:
    project = project_for(request, project_id)
    doc = _document(request, project, document_id)
    old = doc.versions.filter(number=version_number).first()
    if old is None:
        raise Http404("No such version of this status document.")
    return render(request, "status/document.html", _reading(request, project, doc, old))


@page
def edit(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    """Write your organization's status document: its next version, or its first."""
    project = project_for(request, project_id)
    me = ensure_can(request.user, project, Action.EDIT_STATUS)
    if not project.partners.filter(organization=me.organization).exists():
        raise Forbidden(f"{me.organization} is not a partner on {project.code}.")
    context = _context(request, project)
    doc = context["my_document"]
    current = doc.current if doc else None
    initial = {"base_number": doc.version if doc else 0, **(current.sections() if current else {})}
    form = StatusForm(posted(request), initial=initial)
    status_code, conflict = 200, None
    if request.method == "POST":
        status_code = 422
        if form.is_valid():
            try:
                if doc is None and form.cleaned_data["base_number"] == 0:
                    saved = services.start_status(
                        actor=request.user, project=project, sections=form.sections()
                    )
                elif doc is None:
                    raise InvalidInput(
                        "There is no status document to update yet.",
                        errors={"base_number": ["No such version."]},
                    )
                else:
                    saved = services.save_status(
                        actor=request.user,
                        document=doc,
                        sections=form.sections(),
                        base_number=form.cleaned_data["base_number"],
                    )
            except StaleVersion as exc:
                status_code = exc.status
                conflict = _conflict(doc, exc)
                data = cast(QueryDict, form.data).copy()  # the POST the form was bound to
                data["base_number"] = str(exc.current)  # saving again is a deliberate overwrite
                form = StatusForm(data)
                form.is_valid()
            except FORM_ERRORS as exc:
                status_code = exc.status
                attach(form, exc)
            else:
                changed = ", ".join(SECTIONS[n].lower() for n in saved.changed)
                messages.success(
                    request,
                    f"Version {saved.number} saved ({changed}). The sponsor's people are told.",
                )
                return redirect(
                    "status-document", project_id=project.pk, document_id=saved.document_id
                )
    return render(
        request,
        "status/edit.html",
        {
            **context,
            "document": doc,
            "current": current,
            "form": form,
            "conflict": conflict,
            "freshness": services.document_freshness(doc, now=context["now"]) if doc else None,
        },
        status=status_code,
    )


def _conflict(doc: StatusDocument | None, exc: StaleVersion) -> dict[str, Any]:
    """What the other writer changed since the version this editor started from."""
    if doc is None:
        return {"error": exc, "latest": None, "their_changes": []}
    latest = doc.current
    base = doc.versions.filter(number=exc.expected).first()
    their = services.compare_versions(base, latest) if latest else []
    return {"error": exc, "latest": latest, "their_changes": [c for c in their if c.changed]}


@page
def history(request: AuthenticatedRequest, project_id: UUID, document_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    doc = _document(request, project, document_id)
    versions = list(doc.versions.order_by("-number"))
    rows = [{"version": v, "changed": [SECTIONS[n] for n in v.changed]} for v in versions]
    return render(
        request,
        "status/history.html",
        {**_context(request, project), "document": doc, "rows": rows},
    )


@page
def compare(request: AuthenticatedRequest, project_id: UUID, document_id: UUID) -> HttpResponse:
    """Two versions side by side, section by section; htmx swaps only the comparison."""
    project = project_for(request, project_id)
    doc = _document(request, project, document_id)
    versions = list(doc.versions.order_by("-number"))
    if not versions:
        raise Http404("This status document has no version yet.")
    by_number = {v.number: v for v in versions}

    def pick(name: str, default: int) -> int:
        raw = request.GET.get(name, "")
        if not raw:
            return default
        if not raw.isdigit() or (int(raw) not in by_number and int(raw) != 0):
            raise Http404("No such version of this status document.")
        return int(raw)

    new_number = pick("new", versions[0].number)
    if new_number == 0:
        raise Http404("Version 0 is the empty document; compare to it with old=0.")
    old_number = pick("old", max(new_number - 1, 0))
    old, new = by_number.get(old_number), by_number[new_number]
    context = {
        **_context(request, project),
        "document": doc,
        "versions": versions,
        "old_number": old_number,
        "old": old,
        "new": new,
        "sections": services.compare_versions(old, new),
    }
    template = "status/_compare.html" if is_htmx(request) else "status/compare.html"
    return render(request, template, context)


@page
def printable(request: AuthenticatedRequest, project_id: UUID, document_id: UUID) -> HttpResponse:
    """The current version as a clean page to print or save as PDF."""
    project = project_for(request, project_id)
    doc = _document(request, project, document_id)
    current = doc.current
    if current is None:
        raise Http404("This status document has no version yet.")
    now = timezone.now()
    return render(
        request,
        "status/print.html",
        {
            "project": project,
            "document": doc,
            "version": current,
            "freshness": services.document_freshness(doc, now=now),
            "sections": [
                {
                    "label": label,
                    "html": markdown(getattr(current, name)),
                    "empty": not getattr(current, name),
                }
                for name, label in SECTIONS.items()
            ],
            "now": now,
        },
    )
