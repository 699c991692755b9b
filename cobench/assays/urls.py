"""Assay pages. Parameter names are fixed (`project_id`, `assay_id`, `assay_file_id`,
`result_id`, `result_import_id`): the isolation suite fills each with an object of
another project."""

from django.urls import path

from . import views

P = "projects/<uuid:project_id>/assays"

urlpatterns = [
    path(f"{P}/", views.assay_list, name="assay-list"),
    path(f"{P}/new/", views.assay_new, name="assay-new"),
    path(f"{P}/imports/", views.import_new, name="result-import-new"),
    path("assays/<uuid:assay_id>/", views.assay_detail, name="assay-detail"),
    path("assays/<uuid:assay_id>/edit/", views.assay_edit, name="assay-edit"),
    path("assays/<uuid:assay_id>/files/", views.assay_file_upload, name="assay-file-upload"),
    path("assays/<uuid:assay_id>/results/", views.result_record, name="result-record"),
    path(
        "assay-files/<uuid:assay_file_id>/", views.assay_file_download, name="assay-file-download"
    ),
    path("results/<uuid:result_id>/flag/", views.result_flag, name="result-flag"),
    path(
        "result-imports/<uuid:result_import_id>/",
        views.import_detail,
        name="result-import-detail",
    ),
    path(
        "result-imports/<uuid:result_import_id>/start/",
        views.import_start,
        name="result-import-start",
    ),
]
