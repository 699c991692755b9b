"""Status pages. Parameter names are fixed (`project_id`, `document_id`, `version_number`):
the isolation suite fills each with an object of another project."""

from django.urls import path

from . import views

P = "projects/<uuid:project_id>/status"
D = f"{P}/<uuid:document_id>"

urlpatterns = [
    path(f"{P}/", views.status, name="status"),
    path(f"{P}/edit/", views.edit, name="status-edit"),
    path(f"{D}/", views.document, name="status-document"),
    path(f"{D}/history/", views.history, name="status-history"),
    path(f"{D}/compare/", views.compare, name="status-compare"),
    path(f"{D}/v/<int:version_number>/", views.version, name="status-version"),
    path(f"{D}/print/", views.printable, name="status-print"),
]
