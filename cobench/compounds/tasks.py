"""The registry's background work: imports of files too large for a web request."""

from django_tasks import task

from cobench.core.context import request_id

from . import imports
from .models import ImportJob


@task()
def run_import_task(job_id: str) -> int:
    """Import a started job's records (resuming after its last committed batch); the count.

    The search reads the new compounds by itself; after a large import the search's own
    periodic job writes its index ahead (`cobench.search.tasks`)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.state == ImportJob.State.DONE:
        return 0
    with request_id():
        job = imports.run_import(job=job)
    return job.imported


@task()
def check_import_task(job_id: str) -> int:
    """The dry run of a large file, for the person who uploaded it; the records checked."""
    job = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.CHECKING).first()
    if job is None or job.uploaded_by is None:
        return 0
    with request_id():
        return imports.dry_run(job=job, actor=job.uploaded_by).check_report["records"]
