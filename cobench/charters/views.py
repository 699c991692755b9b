"""Charter pages: the charter and its versions, the editor, the comparison and the signing.

Each page parses the request, calls one service or restricted query and renders;
versions come through `get_visible`, so another project's id is a 404 exactly like
one that does not exist.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cobench.core.access import get_visible
from cobench.core.errors import InvalidInput, StaleVersion
from cobench.core.permissions import Action
from cobench.core.web import attach, is_htmx, page, submit
from cobench.tenancy.access import AuthenticatedRequest, ensure_can, project_context, project_for
from cobench.tenancy.models import Project

from . import layout, services
from .content import compare
from .forms import MEANINGS, CharterMetaForm, SignForm
from .models import CharterVersion


def _version(request: AuthenticatedRequest, project: Project, version_id: UUID) -> CharterVersion:
    """The charter version `version_id` of `project`, if the viewer may see it; else a 404."""
    return get_visible(
        CharterVersion.objects.select_related("project"),
        request.user,
        pk=version_id,
        project=project,
    )


@page
def charter(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    """The latest charter version, its completeness, signatures and the other versions."""
    project = project_for(request, project_id)
    latest = services.latest_version(project)
    return _charter_page(request, project, latest)


@page
def charter_version(
    request: AuthenticatedRequest, project_id: UUID, version_id: UUID
) -> HttpResponse:
    """One charter version, as `charter` shows the latest."""
    project = project_for(request, project_id)
    return _charter_page(request, project, _version(request, project, version_id))


def _charter_page(
    request: AuthenticatedRequest, project: Project, version: CharterVersion | None
) -> HttpResponse:
    """The reading page of `version` (None: the project has no charter yet)."""
    context = project_context(request, project, "charter")
    versions = list(project.charter_versions.order_by("-number"))
    if version is None:
        return render(request, "charters/charter.html", {**context, "versions": versions})
    state = services.charter_state(version)
    me = context["me"]
    return render(
        request,
        "charters/charter.html",
        {
            **context,
            "version": version,
            "versions": versions,
            "state": state,
            "sections": layout.sections_for_display(version.content),
            "may_sign": context["can"]["sign_charter"]
            and state.is_latest
            and not state.is_signed
            and all(s.organization_id != me.organization_id for s in state.signatures),
        },
    )


@page
def charter_edit(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    """Write the next charter version from the latest one; the first from an empty form."""
    project = project_for(request, project_id)
    ensure_can(request.user, project, Action.EDIT_CHARTER)
    latest = services.latest_version(project)
    context = project_context(request, project, "charter")
    if request.method != "POST":
        meta = CharterMetaForm(initial={"base_number": latest.number if latest else 0})
        return render(
            request,
            "charters/charter_edit.html",
            {
                **context,
                "latest": latest,
                "meta": meta,
                "sections": layout.form_sections(latest.content if latest else {}),
            },
        )

    meta = CharterMetaForm(request.POST)
    content = layout.content_from_post(request.POST)
    errors: dict[str, list[str]] = {}
    conflict = None
    status = 422
    if meta.is_valid():
        try:
            version = services.revise_charter(
                actor=request.user,
                project=project,
                content=content,
                reason=meta.cleaned_data["reason"],
                base_number=meta.cleaned_data["base_number"],
            )
        except StaleVersion as exc:
            status = exc.status
            latest = services.latest_version(project)
            base = project.charter_versions.filter(number=exc.expected).first()
            conflict = {
                "error": exc,
                "latest": latest,
                "their_changes": layout.comparison_rows(
                    compare(base.content if base else {}, latest.content)
                )
                if latest
                else [],
            }
            # the user's input stays in the form; saving again is a deliberate choice
            # to write on top of the version they have now seen
            meta = CharterMetaForm(
                initial={"reason": meta.cleaned_data["reason"], "base_number": exc.current}
            )
        except InvalidInput as exc:
            errors = {k: v for k, v in exc.errors.items() if k != "reason"}
            if "reason" in exc.errors:
                attach(meta, InvalidInput(exc.detail, errors={"reason": exc.errors["reason"]}))
            if not exc.errors or set(exc.errors) == {"content"}:
                meta.add_error(None, exc.detail)
                errors = {}
        else:
            messages.success(
                request,
                f"Version {version.number} written. It needs the "
                "signatures of both leads to take effect.",
            )
            return redirect("charter-version", project_id=project.pk, version_id=version.pk)
    return render(
        request,
        "charters/charter_edit.html",
        {
            **context,
            "latest": latest,
            "meta": meta,
            "conflict": conflict,
            "sections": layout.form_sections(content, errors),
            "error_summary": layout.error_summary(errors),
        },
        status=status,
    )


@page
def charter_compare(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    """Two versions field by field; htmx swaps only the comparison."""
    project = project_for(request, project_id)
    versions = list(project.charter_versions.order_by("-number"))
    by_number = {v.number: v for v in versions}

    def pick(name: str, default: CharterVersion | None) -> CharterVersion | None:
        raw = request.GET.get(name, "")
        if not raw:
            return default
        if not raw.isdigit() or int(raw) not in by_number:
            raise Http404("No such charter version.")
        return by_number[int(raw)]

    new = pick("new", versions[0] if versions else None)
    old = pick("old", versions[1] if len(versions) > 1 else new)
    rows = layout.comparison_rows(services.compare_versions(old, new)) if old and new else []
    context = {
        **project_context(request, project, "charter"),
        "versions": versions,
        "old": old,
        "new": new,
        "rows": rows,
    }
    template = (
        "charters/_compare_table.html" if is_htmx(request) else "charters/charter_compare.html"
    )
    return render(request, template, context)


@page
def charter_sign(request: AuthenticatedRequest, project_id: UUID, version_id: UUID) -> HttpResponse:
    """Sign a version for one's organization, re-entering one's password."""
    project = project_for(request, project_id)
    version = _version(request, project, version_id)
    me = ensure_can(request.user, project, Action.SIGN_CHARTER)
    form = SignForm(request.POST or None)
    outcome = submit(
        request,
        form,
        lambda data: services.sign_charter(
            actor=request.user,
            version=version,
            password=data["password"],
            meaning=data["meaning"],
        ),
    )
    if outcome.done:
        version.refresh_from_db()
        done = (
            "The charter is now signed by all parties."
            if version.signed_at
            else "Waiting for the other signatures."
        )
        messages.success(
            request, f"You signed version {version.number} for {me.organization}. {done}"
        )
        return redirect("charter-version", project_id=project.pk, version_id=version.pk)
    return render(
        request,
        "charters/charter_sign.html",
        {
            **project_context(request, project, "charter"),
            "version": version,
            "state": services.charter_state(version),
            "form": form,
            "meanings": MEANINGS,
        },
        status=outcome.status,
    )
