"""`cobench serve` migrates a fresh database and serves it with gunicorn, static files included."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310  our own http://127.0.0.1
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env["COBENCH_VAR_DIR"] = str(tmp_path)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cobench.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"cobench serve exited early:\n{proc.stdout.read()}")
            try:
                _get(f"{base}/api/v1/openapi.json")
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("cobench serve did not answer within 90 s")
        yield base, proc, tmp_path
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> str:
    """Stop the server's process group; returns what it printed."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.stdout.read() if proc.stdout and not proc.stdout.closed else ""


def test_serve_migrates_prints_the_url_and_answers(server):
    base, proc, var = server
    assert (var / "cobench.sqlite3").exists()
    status, body = _get(f"{base}/api/v1/openapi.json")
    assert status == 200 and b"openapi" in body
    status, body = _get(f"{base}/api/v1/docs")  # the README promises interactive API docs
    assert status == 200 and b"swagger" in body.lower()
    assert f"serving on {base}/" in _stop(proc)


def test_serve_serves_collected_static_files(server):
    base, _, var = server
    static = var / "static"
    files = [p for p in static.rglob("*") if p.is_file() and p.suffix in {".css", ".js"}]
    assert files, "collectstatic put nothing under var/static"
    manifest = static / "staticfiles.json"
    assert manifest.exists()
    name = next(iter(json.loads(manifest.read_text())["paths"].values()))
    status, body = _get(f"{base}/static/{name}")
    assert status == 200 and body
