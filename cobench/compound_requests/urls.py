"""Compound request pages. Parameter names are fixed (`project_id`, `compound_request_id`):
the isolation suite fills each with an object of another project."""

from django.urls import path

from . import views

P = "projects/<uuid:project_id>/requests"

urlpatterns = [
    path(f"{P}/", views.request_board, name="request-board"),
    path(f"{P}/new/", views.request_new, name="request-new"),
    path(f"{P}/<uuid:compound_request_id>/", views.request_detail, name="request-detail"),
    path(
        f"{P}/<uuid:compound_request_id>/picture.svg",
        views.request_picture,
        name="request-picture",
    ),
]
