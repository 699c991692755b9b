"""The registry's background work: imports of files too large for a web request."""

from django_tasks import task

from cobench.core.context import request_id

from . import imports
from .models import ImportJob


@task()
def run_import_task(job_id: str) -> int:
    """Import a started job's records (resuming after its last committed batch); the count."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.state == ImportJob.State.DONE:
        return 0
    with request_id():
        return imports.run_import(job=job).imported
