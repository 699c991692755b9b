from cobench.core.querysets import ProjectScopedQuerySet


class MeetingSeriesQuerySet(ProjectScopedQuerySet):
    pass


class SeriesAttendeeQuerySet(ProjectScopedQuerySet):
    project_lookup = "series__project"


class MeetingQuerySet(ProjectScopedQuerySet):
    pass


class AttendanceQuerySet(ProjectScopedQuerySet):
    project_lookup = "meeting__project"


class ActionItemQuerySet(ProjectScopedQuerySet):
    pass


class MeetingAttachmentQuerySet(ProjectScopedQuerySet):
    pass


class EngagementThresholdsQuerySet(ProjectScopedQuerySet):
    pass
