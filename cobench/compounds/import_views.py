"""Bulk import pages: upload a file, map its columns, read the dry run, start, watch progress.

The progress page polls a fragment (`import-progress`) every second with htmx while
the job is queued or running; the same URL without htmx gives the whole page.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cobench.core.access import get_visible
from cobench.core.permissions import Action
from cobench.core.web import is_htmx, page, posted, submit
from cobench.tenancy.access import AuthenticatedRequest, ensure_can, project_context, project_for

from . import imports
from .models import ImportJob

POLLED = (ImportJob.State.CHECKING, ImportJob.State.QUEUED, ImportJob.State.RUNNING)
"""States in which the job's page polls its progress."""


class UploadForm(forms.Form):
    file = forms.FileField(help_text="SDF (V2000 or V3000), a SMILES file, or CSV; UTF-8 text")
    format = forms.ChoiceField(
        choices=[("", "From the file name"), *ImportJob.Format.choices], required=False
    )


def _job(request: AuthenticatedRequest, project_id: UUID, import_id: UUID) -> ImportJob:
    project = project_for(request, project_id)
    jobs = ImportJob.objects.filter(project=project).select_related("project")
    return get_visible(jobs, request.user, pk=import_id)


@page
def import_list(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    ensure_can(request.user, project, Action.REGISTER_COMPOUND)
    form = UploadForm(posted(request), request.FILES or None)
    outcome = submit(
        request,
        form,
        lambda data: imports.create_import(
            actor=request.user, project=project, upload=data["file"], format=data["format"]
        ),
    )
    if outcome.done:
        return redirect("import-detail", project_id=project.pk, import_id=outcome.result.pk)
    jobs = ImportJob.objects.visible_to(request.user).filter(project=project)[:50]
    context = project_context(
        request, project, "compounds", form=form, jobs=jobs, targets=imports.TARGETS
    )
    return render(request, "compounds/imports/list.html", context, status=outcome.status)


def _detail(
    request: AuthenticatedRequest, job: ImportJob, status: int = 200, **extra: Any
) -> HttpResponse:
    fields = imports.offered_fields(job) if job.state == ImportJob.State.UPLOADED else []
    columns = imports.csv_columns(imports.read_file(job)) if job.format == "csv" else []
    context = project_context(
        request,
        job.project,
        "compounds",
        job=job,
        fields=fields,
        columns=columns,
        targets=imports.TARGETS,
        findings=job.check_report.get("findings", [])[:500],
        errors=(job.report or {}).get("errors", [])[:500],
        resumable=imports.resumable(job),
        polled=POLLED,
        **extra,
    )
    return render(request, "compounds/imports/detail.html", context, status=status)


@page
def import_detail(request: AuthenticatedRequest, project_id: UUID, import_id: UUID) -> HttpResponse:
    job = _job(request, project_id, import_id)
    if is_htmx(request):
        context = {"job": job, "polled": POLLED}
        response = render(request, "compounds/imports/_progress.html", context)
        if job.state not in POLLED:
            response["HX-Refresh"] = "true"  # finished: the whole page shows the report
        return response
    return _detail(request, job)


@page
def import_check(request: AuthenticatedRequest, project_id: UUID, import_id: UUID) -> HttpResponse:
    job = _job(request, project_id, import_id)
    if request.method != "POST":
        return _detail(request, job)
    data = request.POST
    mapping = {
        key.removeprefix("map:"): data[key] for key in data if key.startswith("map:") and data[key]
    }
    smiles_column = request.POST.get("smiles_column") if job.format == "csv" else None
    imports.check_import(
        actor=request.user, job=job, smiles_column=smiles_column, mapping=mapping or None
    )
    return redirect("import-detail", project_id=project_id, import_id=job.pk)


@page
def import_start(request: AuthenticatedRequest, project_id: UUID, import_id: UUID) -> HttpResponse:
    job = _job(request, project_id, import_id)
    if request.method != "POST":
        return _detail(request, job)
    job = imports.start_and_run(actor=request.user, job=job)
    if job.state == ImportJob.State.DONE:
        messages.success(request, f"Imported {job.imported:,} records; {job.failed:,} refused.")
    return redirect("import-detail", project_id=project_id, import_id=job.pk)
