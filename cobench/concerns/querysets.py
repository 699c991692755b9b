from cobench.core.querysets import ProjectScopedQuerySet


class ConcernQuerySet(ProjectScopedQuerySet):
    pass


class CommentQuerySet(ProjectScopedQuerySet):
    project_lookup = "concern__project"


class EscalationQuerySet(ProjectScopedQuerySet):
    project_lookup = "concern__project"
