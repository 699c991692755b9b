"""Restricted querysets of the biology models: every read of assay data goes through these."""

from cobench.core.querysets import ProjectScopedQuerySet


class AssayQuerySet(ProjectScopedQuerySet):
    pass


class AssayFileQuerySet(ProjectScopedQuerySet):
    pass


class ResultQuerySet(ProjectScopedQuerySet):
    pass


class SharingRuleQuerySet(ProjectScopedQuerySet):
    pass


class SeriesQuerySet(ProjectScopedQuerySet):
    pass


class SeriesMemberQuerySet(ProjectScopedQuerySet):
    pass
