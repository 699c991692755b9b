from cobench.core.querysets import ProjectScopedQuerySet


class CompoundRequestQuerySet(ProjectScopedQuerySet):
    wall = ("partner",)


class RequestMessageQuerySet(ProjectScopedQuerySet):
    project_lookup = "request__project"
    wall = ("request",)
