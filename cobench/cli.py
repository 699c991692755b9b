"""The `cobench` command: Django's management commands, with cobench's own among them.

    cobench serve            migrate, collect static files and serve with gunicorn
    cobench demo [--reset]   load the demo partnership into an empty database
    cobench audit verify     check the audit trail's hash chain
    cobench migrate, cobench createsuperuser, ...   every Django command

Each run is one action: the audit events it writes share one request id.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run `cobench <command> [options]`; returns the exit status."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cobench.settings")
    from django.core.management import execute_from_command_line

    from cobench.core.context import request_id

    args = ["cobench", *(sys.argv[1:] if argv is None else argv)]
    try:
        with request_id():
            execute_from_command_line(args)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
