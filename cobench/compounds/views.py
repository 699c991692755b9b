"""Compound pages: the project's compounds, the register form, a compound, a lot and its custody."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cobench.core import attachments
from cobench.core.access import get_visible
from cobench.core.permissions import Action
from cobench.core.web import page, posted, submit
from cobench.tenancy.access import (
    AuthenticatedRequest,
    ensure_can,
    preview,
    project_context,
    project_for,
)

from . import services
from .forms import FileForm, ReceiveForm, RegisterForm, ShipForm
from .models import Compound, Lot, LotFile, Shipment

PAGE_SIZE = 25


@page
def compound_list(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    shown = preview(request, project)
    compounds = Compound.objects.in_project(project, seen_by=shown.viewer).order_by("-number")
    query = (request.GET.get("q") or "").strip()[:40]
    if query:
        compounds = compounds.filter(registry_id__icontains=query)
    paginator = Paginator(compounds, PAGE_SIZE)
    if not query:
        paginator.count = services.registered_count(project, shown.viewer)
    listing = paginator.get_page(request.GET.get("page"))
    listing.object_list = services.blind(shown.viewer, listing.object_list)
    return render(
        request,
        "compounds/list.html",
        project_context(
            request,
            project,
            "compounds",
            listing=listing,
            q=query,
            preview=shown,
            viewer=shown.viewer,
        ),
    )


@page
def compound_register(request: AuthenticatedRequest, project_id: UUID) -> HttpResponse:
    project = project_for(request, project_id)
    ensure_can(request.user, project, Action.REGISTER_COMPOUND)
    form = RegisterForm(posted(request))

    def register(data: dict[str, Any]) -> services.Registration:
        data = {k: v for k, v in data.items() if v not in (None, "") or k == "structure"}
        return services.register_structure(actor=request.user, project=project, **data)

    outcome = submit(request, form, register)
    if outcome.done:
        registration = outcome.result
        compound = registration.compound
        if registration.created:
            messages.success(request, f"Registered {compound} with lot {registration.lot}.")
        else:
            messages.success(
                request,
                f"This structure is {compound}, registered before: lot {registration.lot} added.",
            )
        return redirect("lot-detail", lot_id=registration.lot.pk)
    return render(
        request,
        "compounds/register.html",
        project_context(request, project, "compounds", form=form),
        status=outcome.status,
    )


@page
def compound_detail(
    request: AuthenticatedRequest, project_id: UUID, compound_id: UUID
) -> HttpResponse:
    project = project_for(request, project_id)
    compound = get_visible(
        Compound.objects.in_project(project, seen_by=None), request.user, pk=compound_id
    )
    compound = services.blind(request.user, [compound])[0]
    lots = Lot.objects.visible_to(request.user).filter(compound=compound, project=project)
    return render(
        request,
        "compounds/detail.html",
        project_context(
            request,
            project,
            "compounds",
            compound=compound,
            lots=lots.select_related("producer").order_by("number"),
        ),
    )


def _lot(request: AuthenticatedRequest, lot_id: UUID) -> Lot:
    lots = Lot.objects.select_related("compound", "producer", "project", "project__sponsor")
    return get_visible(lots, request.user, pk=lot_id)


def _lot_page(
    request: AuthenticatedRequest, lot: Lot, status: int = 200, **forms: Any
) -> HttpResponse:
    project = lot.project
    lot = services.blind_lots(request.user, [lot])[0]
    shipments = list(lot.shipments.select_related("from_org", "to_org"))
    context = project_context(
        request,
        project,
        "compounds",
        lot=lot,
        compound=lot.compound,
        files=lot.files.all(),
        shipments=shipments,
        holder=services.custodian(lot),
        in_transit=bool(shipments and shipments[-1].received_at is None),
        last_shipment=shipments[-1] if shipments else None,
        file_form=forms.get("file_form") or FileForm(),
        ship_form=forms.get("ship_form") or ShipForm(destinations=services.destinations(project)),
        receive_form=forms.get("receive_form") or ReceiveForm(),
    )
    me = context["me"]
    context["may_receive"] = bool(
        context["in_transit"] and me and me.organization_id == shipments[-1].to_org_id
    )
    context["may_send"] = bool(
        not context["in_transit"] and me and me.organization_id == context["holder"].pk
    )
    return render(request, "compounds/lot.html", context, status=status)


@page
def lot_detail(request: AuthenticatedRequest, lot_id: UUID) -> HttpResponse:
    return _lot_page(request, _lot(request, lot_id))


@page
def lot_file_upload(request: AuthenticatedRequest, lot_id: UUID) -> HttpResponse:
    lot = _lot(request, lot_id)
    form = FileForm(posted(request), request.FILES or None)
    outcome = submit(
        request,
        form,
        lambda data: services.attach_lot_file(
            actor=request.user, lot=lot, upload=data["file"], kind=data["kind"]
        ),
    )
    if outcome.done:
        messages.success(request, f"{outcome.result} is attached to {lot}.")
        return redirect("lot-detail", lot_id=lot.pk)
    return _lot_page(request, lot, status=outcome.status, file_form=form)


@page
def lot_ship(request: AuthenticatedRequest, lot_id: UUID) -> HttpResponse:
    lot = _lot(request, lot_id)
    form = ShipForm(posted(request), destinations=services.destinations(lot.project))
    outcome = submit(
        request, form, lambda data: services.send_lot(actor=request.user, lot=lot, **data)
    )
    if outcome.done:
        messages.success(request, f"{lot} is on its way to {outcome.result.to_org}.")
        return redirect("lot-detail", lot_id=lot.pk)
    return _lot_page(request, lot, status=outcome.status, ship_form=form)


@page
def shipment_receive(request: AuthenticatedRequest, shipment_id: UUID) -> HttpResponse:
    shipment = get_visible(Shipment.objects, request.user, pk=shipment_id)
    lot = _lot(request, shipment.lot_id)
    form = ReceiveForm(posted(request))
    outcome = submit(
        request,
        form,
        lambda data: services.receive_shipment(actor=request.user, shipment=shipment, **data),
    )
    if outcome.done:
        messages.success(request, f"{lot} is received by {shipment.to_org}.")
        return redirect("lot-detail", lot_id=lot.pk)
    return _lot_page(request, lot, status=outcome.status, receive_form=form)


@page
def lot_file_download(request: AuthenticatedRequest, lot_file_id: UUID) -> HttpResponse:
    return attachments.file_response(get_visible(LotFile.objects, request.user, pk=lot_file_id))
