"""SAR table, sharing rules, series and SAR plot pages. Parameter names are fixed
(`project_id`, `chemical_series_id`, `compound_id`): the isolation suite fills each with an
object of another project."""

from django.urls import path

from . import views

P = "projects/<uuid:project_id>"

urlpatterns = [
    path(f"{P}/series/", views.series_list, name="series-list"),
    path(f"{P}/series/<uuid:chemical_series_id>/", views.series_detail, name="series-detail"),
    path(f"{P}/sar/plots/", views.sar_plots, name="sar-plots"),
    path(
        f"{P}/sar/pictures/<uuid:compound_id>.svg",
        views.compound_picture,
        name="sar-picture",
    ),
    path(f"{P}/sar/", views.sar_table, name="sar-table"),
    path(f"{P}/sharing/", views.sharing_rules, name="sharing-rules"),
]
