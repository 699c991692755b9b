"""Background work of result imports too large for a web request."""

from django_tasks import task

from cobench.core.context import request_id

from . import imports
from .models import ResultImport


@task()
def check_result_import_task(job_id: str) -> int:
    """The dry run of a large file, for the person who uploaded it; the rows checked."""
    job = ResultImport.objects.filter(pk=job_id, state=ResultImport.State.CHECKING).first()
    if job is None or job.uploaded_by is None:
        return 0
    with request_id():
        return imports.dry_run(job=job, actor=job.uploaded_by).rows


@task()
def run_result_import_task(job_id: str) -> int:
    """Import a queued job's results (all or none); the count written."""
    job = ResultImport.objects.filter(pk=job_id, state=ResultImport.State.QUEUED).first()
    if job is None:
        return 0
    with request_id():
        return imports.run_import(job=job).imported
