"""Series and SAR plot pages: a project's series (list, define, one with its members, tag
and untag), the plots page (its data comes from the API's `sar/plot`; the points selected
on it open the SAR table filtered to their rows) and the compound pictures its tooltips
show."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cobench.compounds.models import Compound
from cobench.core.access import get_visible
from cobench.core.permissions import Action
from cobench.core.web import page, posted, submit
from cobench.tenancy.access import AuthenticatedRequest, ensure_can, project_context, project_for
from cobench.tenancy.models import Project

from . import plots, sar, sharing
from . import series as services
from .models import Series
from .sar_views import view_state


class SeriesForm(forms.Form):
    name = forms.CharField(max_length=services.MAX_NAME)
    core = forms.CharField(
        max_length=2000,
        required=False,
        label="Core (optional)",
        help_text="A SMILES or SMARTS substructure: every compound containing it is in the "
        "series, including those registered later. Leave empty to tag compounds by hand only.",
    )
    description = forms.CharField(
        max_length=services.MAX_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TagForm(forms.Form):
    registry_id = forms.CharField(
        max_length=40,
        label="Registry id",
        widget=forms.TextInput(attrs={"list": "project-compounds", "autocomplete": "off"}),
    )


def _context(request: AuthenticatedRequest, project: Project, **extra: Any) -> dict[str, Any]:
    return {**project_context(request, project, "sar"), **extra}


@page
def series_list(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    form = SeriesForm(posted(request))
    if request.method == "POST":
        ensure_can(request.user, project, Action.TAG_SERIES)
    outcome = submit(
        request,
        form,
        lambda data: services.create_series(actor=request.user, project=project, **data),
    )
    if outcome.done:
        messages.success(request, f"Series {outcome.result.name} is defined.")
        return redirect(
            "series-detail", project_id=project.pk, chemical_series_id=outcome.result.pk
        )
    found = Series.objects.visible_to(request.user).filter(project=project).order_by("name")
    return render(
        request,
        "assays/series_list.html",
        _context(request, project, series_list=found, form=form),
        status=outcome.status,
    )


@page
def series_detail(
    request: AuthenticatedRequest, project_id: UUID, chemical_series_id: UUID
) -> HttpResponse:
    project = project_for(request, project_id)
    found = get_visible(Series.objects, request.user, pk=chemical_series_id, project=project)
    form = TagForm(request.POST if request.POST.get("action") == "tag" else None)
    status = 200
    if request.method == "POST":
        ensure_can(request.user, project, Action.TAG_SERIES)
        if request.POST.get("action") == "untag":
            services.untag_compound(
                actor=request.user, series=found, compound=request.POST.get("registry_id", "")
            )
            messages.success(request, f"{request.POST.get('registry_id')} is untagged.")
            return redirect(request.path)
        outcome = submit(
            request,
            form,
            lambda data: services.tag_compound(
                actor=request.user, series=found, compound=data["registry_id"]
            ),
        )
        if outcome.done:
            messages.success(request, f"{outcome.result.compound} is tagged with {found.name}.")
            return redirect(request.path)
        status = outcome.status
    membership = services.membership(actor=request.user, series=found)
    members = (
        Compound.objects.visible_to(request.user)
        .in_project(project)
        .filter(pk__in=membership.compounds)
        .order_by("number")
    )
    return render(
        request,
        "assays/series_detail.html",
        _context(
            request,
            project,
            series=found,
            members=members,
            membership=membership,
            form=form,
            project_compounds=Compound.objects.in_project(project).order_by("-number")[:500],
        ),
        status=status,
    )


@page
def sar_plots(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    # the table's preview of a partner's view holds here too: the plot is what it sees
    as_partner = sharing.partner_of(project, request.GET.get("as_partner"), field="as_partner")
    if as_partner is not None:
        sharing.ensure_may_preview(request.user, project)
    # the table's columns, sort and preview, as the table sent them: the selection goes back
    # to the table as it was (its `compounds`, if any, are chosen again by plots.js)
    return render(
        request,
        "assays/plots.html",
        _context(
            request,
            project,
            properties=plots.PROPERTIES,
            as_partner=as_partner,
            table_query=view_state(request.GET),
            max_selected=sar.MAX_SELECTED,
        ),
    )


@page
def compound_picture(
    request: AuthenticatedRequest, project_id: UUID, compound_id: UUID
) -> HttpResponse:
    """A compound's stored picture (RDKit SVG), for the plots' tooltips."""
    project = project_for(request, project_id)
    compound = get_visible(Compound.objects.in_project(project), request.user, pk=compound_id)
    response = HttpResponse(compound.svg, content_type="image/svg+xml")
    # drawn by RDKit from a parsed molecule; still, an SVG opened alone must run nothing
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response
