"""`cobench worker`: run background tasks and enqueue the periodic ones when they are due."""

import os
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandParser

from cobench.core.context import request_id
from cobench.core.periodic import PERIODIC


class Command(BaseCommand):
    help = "Run the background task queue and the periodic jobs (escalations, digests, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="run every periodic job once, here and now, then exit (e.g. from cron)",
        )

    def handle(self, *args, once: bool = False, **options) -> None:
        if once:
            for name, job in PERIODIC.items():
                with request_id():
                    result = job.task.call()
                self.stdout.write(f"{name}: {result}")
            return
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cobench.cli",
                "db_worker",
                "--queue-name",
                "*",
                "--no-startup-delay",
                "--interval",
                "2",
            ]
        )
        last: dict[str, float] = {}
        parent = os.getppid()
        try:
            while worker.poll() is None and os.getppid() == parent:
                now = time.monotonic()
                due = [
                    n
                    for n, p in PERIODIC.items()
                    if now - last.get(n, -1e12) >= p.every.total_seconds()
                ]
                self._enqueue(due)
                last.update(dict.fromkeys(due, now))
                time.sleep(5)
        finally:
            worker.terminate()
            worker.wait(timeout=30)

    def _enqueue(self, names: list[str]) -> None:
        for name in names:
            with request_id():
                PERIODIC[name].task.enqueue()
