"""`cobench worker --once` enqueues every periodic job and runs the queue."""

from datetime import timedelta

from django_tasks_db.models import DBTaskResult

from cobench.core.periodic import PERIODIC
from tests.cli.commands import cobench


def test_worker_once_runs_every_periodic_job(db):
    assert "cobench.notifications.tasks.send_daily_digests" in PERIODIC
    assert all(p.every >= timedelta(minutes=1) for p in PERIODIC.values())
    assert cobench("worker", "--once") == 0
    results = DBTaskResult.objects.all()
    assert results.count() == len(PERIODIC)
    assert set(results.values_list("status", flat=True)) == {"SUCCESSFUL"}
