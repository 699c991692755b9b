"""Bookkeeping of the search indexes; no project data of its own.

`ProjectLinks` counts each project's compound links (`compounds.ProjectCompound`).
Database triggers made by this app's migration keep it: one row updated per link
added or removed, in the same transaction, so the count commits in step with the
links. An index compares it with the links it holds to know, in one small query,
whether a project gained a compound it has not seen (see `cobench.search.index`).
On SQLite a migration that rebuilds `compounds_projectcompound` drops its triggers:
such a migration must create them again (tests/search/test_index.py notices).
"""

from django.db import models


class ProjectLinks(models.Model):
    """How many compounds are linked to a project (kept by triggers, read by the indexes)."""

    project_id = models.UUIDField(primary_key=True)
    links = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.project_id}: {self.links}"
