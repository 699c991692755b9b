"""`cobench security-log`: list the security log, newest first, or write it as CSV."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from cobench.security import services
from cobench.security.models import Kind, SecurityEvent


class Command(BaseCommand):
    help = "List the security log (every entry: for administrators), newest first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="only this user name")
        parser.add_argument("--kind", choices=Kind.values, help="only this kind")
        parser.add_argument("--since", help="from this time on (ISO 8601, UTC without offset)")
        parser.add_argument("--until", help="before this time (ISO 8601)")
        parser.add_argument("--limit", type=int, default=100, help="at most this many (0: all)")
        parser.add_argument("--csv", action="store_true", help="write CSV instead of a listing")

    def handle(self, *args, **options) -> None:
        times = {}
        for name in ("since", "until"):
            text = options[name]
            try:
                times[name] = parse_datetime(text) if text else None
            except ValueError:
                times[name] = None
            if text and times[name] is None:
                raise CommandError(f"--{name}: not a time: {text!r}")
        rows = services.filtered(
            SecurityEvent.objects.all(),
            username=options["user"],
            kind=options["kind"],
            since=times["since"],
            until=times["until"],
        )
        if options["limit"]:
            rows = rows[: options["limit"]]
        if options["csv"]:
            self.stdout.write(services.export_csv(rows), ending="")
            return
        for e in rows:
            where = f"{e.method} {e.path}".strip()
            self.stdout.write(
                "  ".join(
                    part
                    for part in (
                        e.created_at.isoformat(timespec="seconds"),
                        e.kind,
                        e.username or "-",
                        e.address or "-",
                        e.request_id,
                        f"{where} {e.status or ''}".strip(),
                        e.detail,
                    )
                    if part
                )
            )
