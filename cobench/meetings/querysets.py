from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from cobench.core.querysets import PROJECT_WIDE, ProjectScopedQuerySet, own_organizations


class MeetingSeriesQuerySet(ProjectScopedQuerySet):
    wall = ("attendees",)

    def walled(self, user: Any) -> Q:
        """A series is a partner's when one of its people is expected at it."""
        expected = apps.get_model("meetings", "SeriesAttendee").objects.filter(
            user__project_memberships__organization__in=own_organizations(user),
            user__project_memberships__project=OuterRef("project"),
            series=OuterRef("pk"),
        )
        return Q(Exists(expected))


class SeriesAttendeeQuerySet(ProjectScopedQuerySet):
    project_lookup = "series__project"
    wall = ("series",)


class MeetingQuerySet(ProjectScopedQuerySet):
    wall = ("series",)


class AttendanceQuerySet(ProjectScopedQuerySet):
    project_lookup = "meeting__project"
    wall = ("meeting",)


class ActionItemQuerySet(ProjectScopedQuerySet):
    wall = ("meeting",)


class MeetingAttachmentQuerySet(ProjectScopedQuerySet):
    wall = ("meeting",)


class EngagementThresholdsQuerySet(ProjectScopedQuerySet):
    wall = PROJECT_WIDE
