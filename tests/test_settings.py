"""Settings come from the environment: safe by default, ready for production when told."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "cobench.example.com",
    "COBENCH_HTTPS": "1",
}


def _run(code_or_args: list[str], extra: dict[str, str], tmp_path: Path):
    unset = {*PRODUCTION, "DEBUG", "DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env |= {"COBENCH_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "cobench.settings", **extra}
    return subprocess.run(
        [sys.executable, *code_or_args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_the_documented_production_variables(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_them(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], {}, tmp_path)
    assert result.returncode != 0


def test_deploy_check_refuses_any_host_in_production(tmp_path):
    check = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    result = _run(check, PRODUCTION | {"ALLOWED_HOSTS": "cobench.example.com,*"}, tmp_path)
    assert result.returncode != 0 and "cobench.E001" in result.stdout + result.stderr


def test_debug_is_off_unless_asked_for(tmp_path):
    show = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    assert _run(["-c", show], {}, tmp_path).stdout.strip() == "False"
    assert _run(["-c", show], {"DEBUG": "1"}, tmp_path).stdout.strip() == "True"


def test_without_a_secret_key_one_is_generated_once_and_kept_private(tmp_path):
    show = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run(["-c", show], {}, tmp_path).stdout.strip()
    assert len(first) >= 50 and first == _run(["-c", show], {}, tmp_path).stdout.strip()
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url_selects_postgresql(tmp_path):
    show = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    url = {"DATABASE_URL": "postgres://cobench:pw@db.example:5432/cobench"}
    assert _run(["-c", show], url, tmp_path).stdout.strip().endswith("postgresql")
    assert _run(["-c", show], {}, tmp_path).stdout.strip().endswith("sqlite3")
