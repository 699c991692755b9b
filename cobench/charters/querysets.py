from cobench.core.querysets import ProjectScopedQuerySet


class CharterVersionQuerySet(ProjectScopedQuerySet):
    pass


class SignatureQuerySet(ProjectScopedQuerySet):
    project_lookup = "version__project"
