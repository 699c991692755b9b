from cobench.core.querysets import ProjectScopedQuerySet


class CompoundRequestQuerySet(ProjectScopedQuerySet):
    pass


class RequestMessageQuerySet(ProjectScopedQuerySet):
    project_lookup = "request__project"
