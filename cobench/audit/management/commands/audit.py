"""`cobench audit verify`: walk the audit trail's hash chain and report the first breach."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandParser

from cobench.audit import services as audit
from cobench.audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Audit trail tools. `audit verify` checks that no event was altered, inserted or deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="verify")
        verify = sub.add_parser("verify", help="check the hash chain; exit 1 at the first breach")
        verify.add_argument("--quiet", action="store_true", help="no progress display")

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "verify":
            sys.exit(self.verify(quiet=options.get("quiet", False)))

    def verify(self, *, quiet: bool) -> int:
        """0 when the chain holds; 1 (after naming the event) when it breaks."""
        total = AuditEvent.objects.count()
        show = not quiet and self.stderr.isatty()
        checked = 0
        for step in audit.verify():
            if isinstance(step, audit.Breach):
                if show:
                    self.stderr.write("")
                self.stderr.write(self.style.ERROR(f"audit trail BROKEN at {step}"))
                self.stderr.write(f"  seq: {step.seq}\n  id:  {step.event_id}")
                return 1
            checked = step
            if show:
                percent = 100 * checked // total if total else 100
                self.stderr.write(f"\rverifying… {checked}/{total} events ({percent}%)", ending="")
                self.stderr.flush()
        if show:
            self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"audit trail intact: {checked} events"))
        return 0
