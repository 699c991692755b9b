"""Assay pages: the project's assays, an assay with its results and aggregates, the forms to
define assays, record and flag results, and the result import (upload, dry run, progress).

Assays and results are fetched through their `visible_to` (the sponsor's sharing rules);
the import's progress fragment is polled with htmx while the job is under way.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cobench.compounds.services import destinations
from cobench.core import attachments
from cobench.core.access import get_visible
from cobench.core.permissions import Action
from cobench.core.web import is_htmx, page, posted, submit
from cobench.tenancy.access import AuthenticatedRequest, ensure_can, project_context, project_for
from cobench.tenancy.models import Project

from . import imports, services, units
from .aggregate import per_compound
from .forms import AssayForm, FileForm, FlagForm, ImportForm, ResultForm
from .models import Assay, AssayFile, Result, ResultImport

POLLED = (ResultImport.State.CHECKING, ResultImport.State.QUEUED, ResultImport.State.RUNNING)


def _assay(request: AuthenticatedRequest, assay_id: UUID) -> Assay:
    assays = Assay.objects.select_related("owner", "project", "project__sponsor")
    return get_visible(assays, request.user, pk=assay_id)


@page
def assay_list(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    assays = Assay.objects.visible_to(request.user).filter(project=project).select_related("owner")
    return render(
        request, "assays/list.html", project_context(request, project, "assays", assays=assays)
    )


def _assay_form(
    request: AuthenticatedRequest, project: Project, initial: dict | None = None
) -> AssayForm:
    return AssayForm(posted(request), initial=initial, organizations=destinations(project))


@page
def assay_new(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    ensure_can(request.user, project, Action.MANAGE_ASSAYS)
    form = _assay_form(request, project, {"owner": str(project.sponsor_id)})
    outcome = submit(
        request,
        form,
        lambda data: services.create_assay(actor=request.user, project=project, **data),
    )
    if outcome.done:
        messages.success(request, f"{outcome.result} is defined.")
        return redirect("assay-detail", assay_id=outcome.result.pk)
    context = project_context(request, project, "assays", form=form, assay=None)
    return render(request, "assays/form.html", context, status=outcome.status)


@page
def assay_edit(request: AuthenticatedRequest, assay_id: UUID) -> HttpResponse:
    assay = _assay(request, assay_id)
    ensure_can(request.user, assay.project, Action.MANAGE_ASSAYS)
    initial = {name: getattr(assay, name) for name in services.ASSAY_FIELDS}
    initial["owner"] = str(assay.owner_id)
    form = _assay_form(request, assay.project, initial)
    version = int(request.POST.get("version") or assay.version)
    outcome = submit(
        request,
        form,
        lambda data: services.update_assay(
            actor=request.user, assay=assay, expected_version=version, **data
        ),
    )
    if outcome.done:
        messages.success(request, f"{outcome.result} is saved.")
        return redirect("assay-detail", assay_id=assay.pk)
    context = project_context(request, assay.project, "assays", form=form, assay=assay)
    return render(request, "assays/form.html", context, status=outcome.status)


def _detail(
    request: AuthenticatedRequest, assay: Assay, status: int = 200, **forms: Any
) -> HttpResponse:
    results = list(
        Result.objects.visible_to(request.user)
        .filter(assay=assay)
        .select_related("compound", "lot")
        .order_by("compound__number", "run_date", "created_at")
    )
    aggregates = per_compound(
        ((r.compound, r.qualifier, r.value, r.flag) for r in results),
        endpoint=assay.endpoint,
        unit=assay.unit,
    )
    context = project_context(
        request,
        assay.project,
        "assays",
        assay=assay,
        results=results,
        aggregates=sorted(aggregates.items(), key=lambda item: item[0].number),
        files=assay.files.all(),
        p_label=f"p{assay.endpoint}" if assay.endpoint in units.POTENCY_ENDPOINTS else "",
        file_form=forms.get("file_form") or FileForm(),
        result_form=forms.get("result_form") or ResultForm(),
    )
    me = context["me"]
    context["may_record"] = bool(
        me and context["can"]["record_results"] and me.organization_id == assay.owner_id
    )
    return render(request, "assays/detail.html", context, status=status)


@page
def assay_detail(request: AuthenticatedRequest, assay_id: UUID) -> HttpResponse:
    return _detail(request, _assay(request, assay_id))


@page
def assay_file_upload(request: AuthenticatedRequest, assay_id: UUID) -> HttpResponse:
    assay = _assay(request, assay_id)
    form = FileForm(posted(request), request.FILES or None)
    outcome = submit(
        request,
        form,
        lambda data: services.attach_assay_file(
            actor=request.user, assay=assay, upload=data["file"]
        ),
    )
    if outcome.done:
        messages.success(request, f"{outcome.result} is attached to {assay}.")
        return redirect("assay-detail", assay_id=assay.pk)
    return _detail(request, assay, status=outcome.status, file_form=form)


@page
def assay_file_download(request: AuthenticatedRequest, assay_file_id: UUID) -> HttpResponse:
    return attachments.file_response(get_visible(AssayFile.objects, request.user, pk=assay_file_id))


@page
def result_record(request: AuthenticatedRequest, assay_id: UUID) -> HttpResponse:
    assay = _assay(request, assay_id)
    form = ResultForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: services.record_result(actor=request.user, assay=assay, **data),
    )
    if outcome.done:
        result = outcome.result
        messages.success(
            request, f"Recorded {result.value_text} {assay.unit} for {result.compound}."
        )
        return redirect("assay-detail", assay_id=assay.pk)
    return _detail(request, assay, status=outcome.status, result_form=form)


@page
def result_flag(request: AuthenticatedRequest, result_id: UUID) -> HttpResponse:
    result = get_visible(
        Result.objects.select_related("assay", "compound", "project"), request.user, pk=result_id
    )
    form = FlagForm(posted(request), initial={"flag": result.flag or "invalid"})
    outcome = submit(
        request,
        form,
        lambda data: services.flag_result(
            actor=request.user,
            result=result,
            flag=data["flag"],
            reason=data["reason"],
            expected_version=int(request.POST.get("version") or result.version),
        ),
    )
    if outcome.done:
        messages.success(request, "The flag is saved; the result stays in the record.")
        return redirect("assay-detail", assay_id=result.assay_id)
    context = project_context(request, result.project, "assays", result=result, form=form)
    return render(request, "assays/flag.html", context, status=outcome.status)


# Import ----------------------------------------------------------------------------------------


@page
def import_new(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    ensure_can(request.user, project, Action.RECORD_RESULTS)
    assays = Assay.objects.visible_to(request.user).filter(project=project)
    form = ImportForm(posted(request), request.FILES or None, assays=assays)

    def upload(data: dict[str, Any]) -> ResultImport:
        job = imports.create_import(
            actor=request.user,
            project=project,
            upload=data["file"],
            assay=data["assay"],
            mapping=imports.parse_mapping(data["mapping"]),
            unit=data["unit"],
            sheet=data["sheet"],
        )
        return imports.check_import(actor=request.user, job=job)

    outcome = submit(request, form, upload)
    if outcome.done:
        return redirect("result-import-detail", result_import_id=outcome.result.pk)
    jobs = ResultImport.objects.visible_to(request.user).filter(project=project)
    context = project_context(
        request, project, "assays", form=form, jobs=jobs.select_related("assay")[:50]
    )
    return render(request, "assays/imports.html", context, status=outcome.status)


def _job(request: AuthenticatedRequest, result_import_id: UUID) -> ResultImport:
    jobs = ResultImport.objects.select_related("project", "assay")
    return get_visible(jobs, request.user, pk=result_import_id)


def _import_page(request: AuthenticatedRequest, job: ResultImport) -> HttpResponse:
    context = project_context(request, job.project, "assays", job=job, polled=POLLED)
    if is_htmx(request):
        response = render(request, "assays/_import_progress.html", context)
        if job.state not in POLLED:
            response["HX-Refresh"] = "true"  # finished: the whole page shows the report
        return response
    return render(request, "assays/import.html", context)


@page
def import_detail(request: AuthenticatedRequest, result_import_id: UUID) -> HttpResponse:
    return _import_page(request, _job(request, result_import_id))


@page
def import_start(request: AuthenticatedRequest, result_import_id: UUID) -> HttpResponse:
    job = _job(request, result_import_id)
    if request.method != "POST":
        return _import_page(request, job)
    job = imports.start_and_run(actor=request.user, job=job)
    if job.state == ResultImport.State.DONE:
        messages.success(request, f"Imported {job.imported:,} results.")
    return redirect("result-import-detail", result_import_id=job.pk)
