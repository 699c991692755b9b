"""The inbox: a person's notifications, and how they want to receive each kind."""

from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from cobench.core.web import page
from cobench.tenancy.access import AuthenticatedRequest

from . import services
from .kinds import Delivery, Kind
from .models import Notification


@page
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    notes = Notification.objects.for_user(request.user).select_related("project")
    only_unread = request.GET.get("show") == "unread"
    if only_unread:
        notes = notes.unread()
    listing = Paginator(notes, 50).get_page(request.GET.get("page"))
    return render(
        request, "notifications/inbox.html", {"page": listing, "only_unread": only_unread}
    )


@page
def open_notification(request: AuthenticatedRequest, notification_id: UUID) -> HttpResponse:
    """One notification; POST marks it read and goes where it points."""
    note = Notification.objects.for_user(request.user).filter(pk=notification_id).first()
    if note is None:
        raise Http404()
    if request.method != "POST":
        return render(request, "notifications/notification.html", {"n": note})
    services.mark_read(actor=request.user, notification=note)
    safe = url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()})
    return redirect(note.url if note.url and safe else "inbox")


@page
def read_all(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        count = services.mark_all_read(actor=request.user)
        messages.success(request, f"{count} notification(s) marked read.")
    return redirect("inbox")


@page
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    """Per kind: immediately, daily digest, or off."""
    if request.method == "POST":
        for kind in Kind.values:
            choice = request.POST.get(kind)
            if choice in Delivery.values:
                services.set_delivery(actor=request.user, kind=kind, delivery=choice)
        messages.success(request, "Your notification choices are saved.")
        return redirect("notification-preferences")
    chosen = services.deliveries(request.user)
    rows = [(k, Kind(k).label, chosen[k]) for k in Kind.values]
    return render(
        request, "notifications/preferences.html", {"rows": rows, "deliveries": Delivery.choices}
    )
