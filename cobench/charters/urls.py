"""Charter pages. Parameter names are fixed (`project_id`, `version_id`): the isolation
suite finds every URL here and fills each name with an object another project owns."""

from django.urls import path

from . import views

P = "projects/<uuid:project_id>"

urlpatterns = [
    path(f"{P}/charter/", views.charter, name="charter"),
    path(f"{P}/charter/edit/", views.charter_edit, name="charter-edit"),
    path(f"{P}/charter/compare/", views.charter_compare, name="charter-compare"),
    path(f"{P}/charter/<uuid:version_id>/", views.charter_version, name="charter-version"),
    path(f"{P}/charter/<uuid:version_id>/sign/", views.charter_sign, name="charter-sign"),
]
