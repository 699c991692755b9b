"""Audit pages: the history of one object, every change to it, who made it, when and why.

The object comes through `get_visible`, so someone else's object is a 404 exactly
like one that does not exist.
"""

from __future__ import annotations

from uuid import UUID

from django.apps import apps
from django.http import Http404, HttpResponse
from django.shortcuts import render

from cobench.core.access import get_visible
from cobench.core.querysets import ProjectScopedQuerySet, member_projects
from cobench.core.web import page
from cobench.tenancy.access import AuthenticatedRequest, project_context
from cobench.tenancy.models import Project

from . import services as audit
from .events import Event


@page
def history(request: AuthenticatedRequest, target_type: str, target_id: UUID) -> HttpResponse:
    """Every recorded change to one object the viewer may see, newest first."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError) as exc:
        raise Http404("No such kind of object.") from exc
    manager = model._default_manager
    if not isinstance(manager.all(), ProjectScopedQuerySet):
        raise Http404("No history is kept for this kind of object here.")
    target = get_visible(manager.all(), request.user, pk=target_id)
    events = audit.history(user=request.user, target=target)
    # the project it belongs to; a compound is in a sponsor's projects: one the user is in
    of_target = manager.filter(pk=target.pk).values(manager.all().project_lookup)
    project = (
        Project.objects.filter(pk__in=member_projects(request.user))
        .filter(pk__in=of_target)
        .order_by("code")
        .first()
    )
    labels = dict(Event.choices)
    rows = [{"event": e, "label": labels.get(e.event, e.event)} for e in events]
    return render(
        request,
        "audit/history.html",
        {
            **project_context(request, project, "history"),
            "target": target,
            "kind": model._meta.verbose_name,
            "rows": rows,
        },
    )
