"""The structure search page: a query drawn or typed, and the hits as cards."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from cobench.core.errors import InvalidInput
from cobench.core.web import attach, page
from cobench.tenancy.access import AuthenticatedRequest
from cobench.tenancy.models import Project

from . import pictures, services
from .forms import SearchForm

PAGE_SIZE = 48


@page
def search_page(request: AuthenticatedRequest) -> HttpResponse:
    projects = list(Project.objects.visible_to(request.user).order_by("code"))
    data = None
    if "query" in request.GET:
        data = request.GET.copy()  # a link may name the query alone: the rest shows its default
        for name in ("mode", "query_type", "threshold", "top"):
            if not data.get(name):
                data[name] = SearchForm.base_fields[name].initial
    form = SearchForm(
        data,
        projects=projects,
        initial={"project": request.GET.get("project", "")},  # from a project's compounds page
    )
    context: dict = {"form": form, "result": None}
    status = 200
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        project = next((p for p in projects if str(p.pk) == cleaned["project"]), None)
        try:
            result = services.search(
                actor=request.user,
                mode=cleaned["mode"],
                query=cleaned["query"],
                query_type=cleaned["query_type"] or "auto",
                threshold=cleaned["threshold"] if cleaned["threshold"] is not None else 0.0,
                top=cleaned["top"] or services.DEFAULT_TOP,
                project=project,
            )
        except InvalidInput as exc:
            attach(form, exc)
            status = 422
        else:
            listing = Paginator(result.found, PAGE_SIZE).get_page(request.GET.get("page"))
            start = listing.start_index() - 1 if result.found else 0
            shown = result.hits(start, start + PAGE_SIZE)
            svgs = pictures.hit_svgs(shown, result.query, result.mode)
            cards = [{"hit": hit, "svg": svg} for hit, svg in zip(shown, svgs, strict=True)]
            params = request.GET.copy()
            params.pop("page", None)
            context |= {
                "result": result,
                "listing": listing,
                "cards": cards,
                "params": params.urlencode(),
            }
    elif form.is_bound:
        status = 422
    return render(request, "search/search.html", context, status=status)
