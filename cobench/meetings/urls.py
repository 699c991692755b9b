"""The meetings' pages. Parameter names are fixed (`series_id`, `meeting_id`, `file_id`):
the isolation suite fills each with an object of another project."""

from django.urls import path

from . import views

P = "projects/<uuid:project_id>/meetings"

urlpatterns = [
    path(f"{P}/", views.series_list, name="meeting-series-list"),
    path(f"{P}/engagement/", views.engagement_settings, name="engagement-settings"),
    path(f"{P}/series/<uuid:series_id>/", views.series_detail, name="meeting-series"),
    path(f"{P}/series/<uuid:series_id>/edit/", views.series_edit, name="meeting-series-edit"),
    path(f"{P}/series/<uuid:series_id>/calendar.ics", views.series_ics, name="meeting-series-ics"),
    path(f"{P}/<uuid:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path(f"{P}/files/<uuid:file_id>/", views.meeting_file, name="meeting-file"),
    path("action-items/", views.my_action_items, name="my-action-items"),
    path("calendar/", views.my_calendar, name="my-calendar"),
    # no session: the secret token is the key (tests/meetings/test_calendar.py)
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
]
