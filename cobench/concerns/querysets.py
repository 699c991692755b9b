from cobench.core.querysets import ProjectScopedQuerySet


class ConcernQuerySet(ProjectScopedQuerySet):
    wall = ("raised_by_org", "addressed_to")


class CommentQuerySet(ProjectScopedQuerySet):
    project_lookup = "concern__project"
    wall = ("concern",)


class EscalationQuerySet(ProjectScopedQuerySet):
    project_lookup = "concern__project"
    wall = ("concern",)
