"""Audit pages. `target_type` is an app label and model (`tenancy.project`); the isolation
suite fills `target_id` with an object another project owns."""

from django.urls import path

from . import views

urlpatterns = [
    path("history/<str:target_type>/<uuid:target_id>/", views.history, name="history"),
]
