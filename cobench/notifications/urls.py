from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read-all/", views.read_all, name="inbox-read-all"),
    path("notifications/preferences/", views.preferences, name="notification-preferences"),
    path(
        "notifications/<uuid:notification_id>/", views.open_notification, name="notification-open"
    ),
]
