"""`cobench worker --once` runs every periodic job once."""

from datetime import timedelta

from cobench.core.periodic import PERIODIC
from tests.cli.commands import cobench


def test_worker_once_runs_every_periodic_job(db, capsys):
    assert "cobench.notifications.tasks.send_daily_digests" in PERIODIC
    assert all(p.every >= timedelta(minutes=1) for p in PERIODIC.values())
    assert cobench("worker", "--once") == 0
    out = capsys.readouterr().out
    assert all(f"{name}: " in out for name in PERIODIC)
