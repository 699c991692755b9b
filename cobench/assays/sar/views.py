"""SAR pages: the table, the sharing rules, the series and the plots; thin callers of
`sar.table`, `sharing`, `series` and `plots`.

The table's state (sort, columns, filters, page, the partner previewed) lives in the
query string, so a view can be bookmarked and shared; `format=csv|sdf|xlsx` downloads
the whole table as shown. `compounds` (registry ids) is the selection the plots page
sends: the table shows exactly those rows until the filter is cleared.

Series: list, define, one with its members, tag and untag. The plots page takes its data
from the API's `sar/plot`; the points selected on it open the SAR table filtered to their
rows, and its tooltips show the compound pictures served here.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from cobench.assays import sharing
from cobench.assays.models import Assay, Series
from cobench.compounds.models import Compound
from cobench.compounds.querysets import coded_for
from cobench.compounds.services import blind
from cobench.core.access import get_visible
from cobench.core.errors import CobenchError, InvalidInput
from cobench.core.permissions import Action
from cobench.core.web import page, posted, submit
from cobench.tenancy import access
from cobench.tenancy.access import AuthenticatedRequest, ensure_can, project_context, project_for
from cobench.tenancy.models import Project

from . import plots, sar
from . import series as services
from .forms import SeriesForm, TagForm

EXPORTS = ("csv", "sdf", "xlsx")
# what the table looks like, as opposed to what narrows it: kept between the table and the
# plots, so a selection made on a plot comes back with the same columns, sort and preview
VIEW_STATE = ("sort", "col", "columns", "as_partner")


def view_state(query: QueryDict, selection: tuple[str, ...] = ()) -> str:
    """The query string of `query`'s VIEW_STATE parameters, and `selection` as `compounds`."""
    kept = QueryDict(mutable=True)
    for name in VIEW_STATE:
        values = [v[:4000] for v in query.getlist(name)[:200] if v]
        if values:
            kept.setlist(name, values)
    if selection:
        kept["compounds"] = ",".join(selection)
    return kept.urlencode(safe=",")


def _options(request: AuthenticatedRequest, project: Project) -> dict[str, Any]:
    """`sar.table`'s keyword arguments from the query string."""
    get = request.GET
    try:
        threshold = float(get.get("threshold") or 0.7)
    except ValueError:
        raise InvalidInput(
            "A similarity from 0 to 1.", errors={"threshold": ["A number."]}
        ) from None
    # the form sends `col` per checkbox and `min.<assay id>` / `max.<assay id>` per box; the
    # API's `columns` and `range` work here too
    columns = [c.strip() for c in (get.get("columns") or "").split(",") if c.strip()]
    columns += [c for c in get.getlist("col") if c not in columns]
    ranges = get.getlist("range")
    for name, value in get.items():
        if name.startswith("min.") and (value or get.get(f"max.{name[4:]}")):
            ranges.append(f"{name[4:]}:{value}:{get.get(f'max.{name[4:]}', '')}")
    return {
        "as_partner": access.partner_of(project, get.get("as_partner"), field="as_partner"),
        "sort": (get.get("sort") or "registry_id")[:80],
        "columns": columns[:200] or None,
        "filters": sar.parse_filters(
            ranges,
            get.get("substructure", ""),
            get.get("similar_to", ""),
            threshold,
            get.getlist("compounds"),
        ),
    }


@page
def sar_table(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    context = project_context(request, project, "sar")
    context |= {
        "sar_tab": "table",
        "properties": sar.PROPERTIES,
        "q": request.GET,
        "nav_query": view_state(request.GET),
        "partners": sharing.partners(project)
        if access.sees_everything(request.user, project)
        else [],
    }
    try:
        options = _options(request, project)
        wanted = request.GET.get("format", "")
        if wanted in EXPORTS:
            first, rows = sar.all_rows(request.user, project, **options)
            body, content_type = sar.export(first, rows, wanted)
            response = HttpResponse(body, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{project.code}-sar.{wanted}"'
            return response
        try:
            number = max(1, min(int(request.GET.get("page") or 1), 100_000))
        except ValueError:
            number = 1
        table = sar.table(request.user, project, page=number, **options)
    except InvalidInput as exc:
        context["error"] = exc
        return render(request, "assays/sar_table.html", context, status=422)
    every = sharing.columns_for(request.user, project, as_partner=options["as_partner"])
    base = request.GET.copy()
    for name in ("page", "format"):
        base.pop(name, None)

    def with_(**changes: Any) -> str:
        query = base.copy()
        for name, value in changes.items():
            if value is None:
                query.pop(name, None)
            else:
                query[name] = value
        return query.urlencode()

    sorts = {}
    for key in [*table.properties, *(str(c.assay.pk) for c in table.columns), "registry_id"]:
        sorts[key] = with_(sort=f"-{key}" if table.sort == key else key)
    context |= {
        "table": table,
        "every_column": every,
        "chosen": {str(c.assay.pk) for c in table.columns} | set(table.properties),
        "sorts": sorts,
        "page_query": with_(),
        "exports": {f: with_(format=f) for f in EXPORTS},
        "selected": table.filters.compounds,
        "not_shown": len(table.filters.compounds) - table.count if table.filters.compounds else 0,
        "unselect_query": with_(compounds=None),
        # the plots page opens with the selection chosen again and comes back to this view
        "nav_query": view_state(request.GET, selection=table.filters.compounds),
        "range_fields": [
            (c, *table.filters.ranges.get(str(c.assay.pk), (None, None)))
            for c in every
            if c.mode == sharing.FULL
        ],
    }
    return render(request, "assays/sar_table.html", context)


def _bins(text: str) -> list[dict[str, Any]]:
    """Bins from the form: one per line, "<upper> <label>", the last line a label only."""
    bins: list[dict[str, Any]] = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if i == len(lines) - 1:
            bins.append({"upper": None, "label": line})
            continue
        upper, _, label = line.partition(" ")
        try:
            bins.append({"upper": float(upper), "label": label.strip()})
        except ValueError:
            raise InvalidInput(
                "The bins are not valid.",
                errors={"bins": [f"Line {i + 1}: start with the upper bound, a number."]},
            ) from None
    return bins


@page
def sharing_rules(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    context = project_context(request, project, "sar")
    context["sar_tab"] = "sharing"
    status = 200
    if request.method == "POST":
        post = request.POST
        try:
            assay = get_visible(
                Assay.objects.select_related("project"),
                request.user,
                pk=post.get("assay_id"),
                project=project,
            )
            partner = access.partner_of(project, post.get("partner_id"), field="partner_id")
            starts = (post.get("starts_at") or "").strip()
            starts_at = None
            if starts:
                try:
                    starts_at = timezone.make_aware(datetime.fromisoformat(starts))
                except ValueError:
                    raise InvalidInput(
                        "Not a date.", errors={"starts_at": ["A date and time."]}
                    ) from None
            mode = post.get("mode", "")
            sharing.set_rule(
                actor=request.user,
                assay=assay,
                partner=partner,
                mode=mode,
                bins=_bins(post.get("bins", "")) if mode == sharing.BINNED else None,
                starts_at=starts_at,
                reason=post.get("reason", ""),
            )
            messages.success(request, f"{assay.name}: {partner} now sees {mode} values.")
            return redirect("sharing-rules", project_id=project.id)
        except InvalidInput as exc:
            context["error"] = exc
            context["posted"] = post
            status = 422
    try:
        context["grid"] = sharing.grid(request.user, project)
        context["history"] = list(sharing.history(request.user, project)[:200])
    except CobenchError as exc:
        return render(request, "web/error.html", {"error": exc}, status=exc.status)
    context["partners"] = sharing.partners(project)
    context["bins_example"] = "100 < 100 nM\n1000 100 nM – 1 µM\n> 1 µM"
    context["bins_json"] = json.dumps
    return render(request, "assays/sharing.html", context, status=status)


# Series and plots ---------------------------------------------------------------------


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
    found = services.without_cores(
        request.user,
        Series.objects.visible_to(request.user).filter(project=project).order_by("name"),
    )
    return render(
        request,
        "assays/series_list.html",
        project_context(request, project, "sar", series_list=found, form=form),
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
    (found,) = services.without_cores(request.user, [found])
    members = blind(
        request.user,
        Compound.objects.in_project(project, seen_by=request.user)
        .filter(pk__in=membership.compounds)
        .order_by("number"),
    )
    return render(
        request,
        "assays/series_detail.html",
        project_context(
            request,
            project,
            "sar",
            series=found,
            members=members,
            membership=membership,
            form=form,
            project_compounds=blind(
                request.user,
                Compound.objects.in_project(project, seen_by=request.user).order_by("-number")[
                    :500
                ],
            ),
        ),
        status=status,
    )


@page
def sar_plots(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    # the table's preview of a partner's view holds here too: the plot is what it sees
    as_partner = access.partner_of(project, request.GET.get("as_partner"), field="as_partner")
    if as_partner is not None:
        access.ensure_may_preview(request.user, project)
    # the table's columns, sort and preview, as the table sent them: the selection goes back
    # to the table as it was (its `compounds`, if any, are chosen again by plots.js)
    return render(
        request,
        "assays/plots.html",
        project_context(
            request,
            project,
            "sar",
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
    compound = get_visible(
        Compound.objects.in_project(project, seen_by=None), request.user, pk=compound_id
    )
    if coded_for(request.user, [compound.pk]):
        raise Http404("A coded sample has no picture.")
    response = HttpResponse(compound.svg, content_type="image/svg+xml")
    # drawn by RDKit from a parsed molecule; still, an SVG opened alone must run nothing
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response
