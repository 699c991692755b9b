"""Run a `cobench` command in-process as `cobench.cli.main` does, inside the test's transaction.

`main()` itself closes the database connections when a command ends (Django's
`run_from_argv` does), which would end the test's transaction; this runs the same
command through `call_command` instead, as one action with its own request id.
"""

from django.core.management import call_command

from cobench.core.context import request_id


def cobench(*args: str) -> int:
    """Exit status of `cobench <args>`."""
    try:
        with request_id():
            call_command(*args)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
