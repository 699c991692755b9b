"""The `cobench` command is Django's management commands with cobench's own among them."""

import os
import re
import subprocess
import sys

from cobench.cli import main


def test_django_commands_run_underneath(capsys):
    assert main(["check"]) == 0
    assert "no issues" in capsys.readouterr().out


def test_cobench_commands_are_listed(capsys):
    assert main(["help"]) == 0
    out = capsys.readouterr().out
    for command in ("serve", "demo", "audit", "migrate", "createsuperuser"):
        assert command in out


def test_unknown_command_fails(capsys):
    assert main(["no-such-command"]) != 0


def test_audit_needs_a_subcommand(capsys):
    assert main(["audit"]) != 0


def test_console_script_entry_point_is_cobench_cli_main():
    out = subprocess.run(
        [sys.executable, "-m", "cobench.cli", "help", "serve"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0
    assert "--bind" in out.stdout and "--workers" in out.stdout


def test_fresh_database_migrate_demo_and_verify_through_the_command(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env["COBENCH_VAR_DIR"] = str(tmp_path)

    def cobench(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "cobench.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert cobench("migrate", "-v0").returncode == 0
    demo = cobench("demo")
    assert demo.returncode == 0, demo.stderr
    assert "helena" in demo.stdout and "Demo loaded" in demo.stdout
    again = cobench("demo")
    assert "already loaded" in again.stdout and "helena" in again.stdout
    verify = cobench("audit", "verify")
    assert verify.returncode == 0 and re.search(r"audit trail intact: \d\d+ events", verify.stdout)
