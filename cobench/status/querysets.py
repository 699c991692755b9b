from cobench.core.querysets import ProjectScopedQuerySet


class StatusDocumentQuerySet(ProjectScopedQuerySet):
    pass


class StatusVersionQuerySet(ProjectScopedQuerySet):
    project_lookup = "document__project"
