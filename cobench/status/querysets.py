from cobench.core.querysets import ProjectScopedQuerySet


class StatusDocumentQuerySet(ProjectScopedQuerySet):
    wall = ("organization",)


class StatusVersionQuerySet(ProjectScopedQuerySet):
    project_lookup = "document__project"
    wall = ("document",)
