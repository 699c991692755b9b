"""`cobench serve`: migrate, collect static files, then serve with gunicorn."""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate the database, collect static files and serve cobench with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("COBENCH_BIND", "127.0.0.1:8000"),
            help="host:port to listen on (default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("COBENCH_WORKERS", "2")),
            help="gunicorn worker processes (default 2)",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="skip migrate and collectstatic"
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start `cobench worker` (background tasks and periodic jobs) beside it",
        )

    def handle(
        self, *args, bind: str, workers: int, no_migrate: bool, no_worker: bool, **options
    ) -> None:
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
        host, _, port = bind.rpartition(":")
        shown = "127.0.0.1" if host in {"", "0.0.0.0"} else host.strip("[]")  # noqa: S104  a name
        self.stdout.write(self.style.SUCCESS(f"cobench is serving on http://{shown}:{port}/"))
        self.stdout.write("Stop it with Ctrl-C.")
        self.stdout.flush()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "cobench.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(max(1, workers)),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        sys.stdout.flush()
        sys.stderr.flush()
        if not no_worker:
            # the worker notices when its parent (gunicorn, below) is gone and stops with it
            subprocess.Popen([sys.executable, "-m", "cobench.cli", "worker"])
        # gunicorn takes over this process, so signals (Ctrl-C, SIGTERM) reach it directly
        os.execv(sys.executable, argv)  # noqa: S606  our own interpreter and arguments
