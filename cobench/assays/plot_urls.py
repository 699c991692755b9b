"""Series and SAR plot pages. Parameter names are fixed (`project_id`, `chemical_series_id`,
`compound_id`): the isolation suite fills each with an object of another project."""

from django.urls import path

from . import plot_views as views

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
]
