"""The benchmarks still run: `bench/run.py --quick` prints one JSON result per line."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runner_quick_mode_prints_json_results():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    results = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    names = {(r["benchmark"], r["name"]) for r in results}
    assert {("api", "projects_list"), ("api", "projects_detail")} <= names
    assert ("registration", "registration_import") in names
    assert {("search", "similarity_top50"), ("search", "substructure")} <= names
    for r in results:
        if "ratio" in r:
            assert r["ratio"] > 0
        if "mismatches" in r:
            assert r["mismatches"] == 0, r


def test_bench_runner_refuses_an_unknown_benchmark():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "nosuch"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "no such benchmark" in result.stderr
