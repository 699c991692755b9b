from cobench.core.querysets import ProjectScopedQuerySet


class ProjectQuerySet(ProjectScopedQuerySet):
    project_lookup = "id"


class ProjectPartnerQuerySet(ProjectScopedQuerySet):
    pass


class ProjectMemberQuerySet(ProjectScopedQuerySet):
    pass
