"""Compound pages. Parameter names are fixed (`project_id`, `compound_id`, `lot_id`,
`shipment_id`, `lot_file_id`, `import_id`): the isolation suite fills each with an object
of another project."""

from django.urls import path

from . import import_views, views

P = "projects/<uuid:project_id>/compounds"

urlpatterns = [
    path(f"{P}/", views.compound_list, name="compound-list"),
    path(f"{P}/register/", views.compound_register, name="compound-register"),
    path(f"{P}/<uuid:compound_id>/", views.compound_detail, name="compound-detail"),
    path(f"{P}/imports/", import_views.import_list, name="import-list"),
    path(f"{P}/imports/<uuid:import_id>/", import_views.import_detail, name="import-detail"),
    path(f"{P}/imports/<uuid:import_id>/check/", import_views.import_check, name="import-check"),
    path(f"{P}/imports/<uuid:import_id>/start/", import_views.import_start, name="import-start"),
    path("lots/<uuid:lot_id>/", views.lot_detail, name="lot-detail"),
    path("lots/<uuid:lot_id>/files/", views.lot_file_upload, name="lot-file-upload"),
    path("lots/<uuid:lot_id>/ship/", views.lot_ship, name="lot-ship"),
    path("shipments/<uuid:shipment_id>/receive/", views.shipment_receive, name="shipment-receive"),
    path("lot-files/<uuid:lot_file_id>/", views.lot_file_download, name="lot-file-download"),
]
