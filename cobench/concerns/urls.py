"""Concern pages. Parameter names are fixed (`project_id`, `concern_id`): the isolation
suite fills each with an object of another project."""

from django.urls import path

from . import views

P = "projects/<uuid:project_id>/concerns"

urlpatterns = [
    path(f"{P}/", views.concern_list, name="concern-list"),
    path(f"{P}/new/", views.concern_raise, name="concern-raise"),
    path(f"{P}/<uuid:concern_id>/", views.concern_detail, name="concern-detail"),
]
