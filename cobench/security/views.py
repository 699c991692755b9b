"""The security log page: the entries a lead or QA auditor may read, filtered, page by page."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode

from cobench.core.errors import InvalidInput
from cobench.core.web import page
from cobench.tenancy.access import AuthenticatedRequest

from . import services
from .models import Kind


@page
def security_log(request: AuthenticatedRequest) -> HttpResponse:
    """Newest first; filtered by user name, kind and time like `GET /api/v1/security-log`."""
    rows = services.readable(request.user)
    wanted = {
        name: request.GET.get(name, "").strip() for name in ("user", "kind", "since", "until")
    }
    if wanted["kind"] and wanted["kind"] not in Kind.values:
        raise InvalidInput("No such kind of entry.", errors={"kind": ["No such kind."]})
    times = {}
    for name in ("since", "until"):
        try:
            times[name] = parse_datetime(wanted[name]) if wanted[name] else None
        except ValueError:
            times[name] = None
        if wanted[name] and times[name] is None:
            raise InvalidInput("Give times as 2026-03-01T09:00.", errors={name: ["Not a time."]})
    rows = services.filtered(
        rows,
        username=wanted["user"],
        kind=wanted["kind"],
        since=times["since"],
        until=times["until"],
    )
    query = urlencode({k: v for k, v in wanted.items() if v})
    return render(
        request,
        "security/log.html",
        {
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "wanted": wanted,
            "kinds": Kind.choices,
            "query": query,
        },
    )
