"""SAR table and sharing-rule pages (`project_id` only: the isolation suite fills it)."""

from django.urls import path

from . import sar_views

P = "projects/<uuid:project_id>"

urlpatterns = [
    path(f"{P}/sar/", sar_views.sar_table, name="sar-table"),
    path(f"{P}/sharing/", sar_views.sharing_rules, name="sharing-rules"),
]
