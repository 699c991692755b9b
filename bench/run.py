"""Run cobench's benchmarks and print each result as one JSON object per line.

    .venv/bin/python bench/run.py            every benchmark (bench/bench_*.py)
    .venv/bin/python bench/run.py api        only bench/bench_api.py
    .venv/bin/python bench/run.py --quick    a few iterations each: checks they still run
    .venv/bin/python bench/run.py --full     full size, for those that have one (slow)

A benchmark module defines `run(*, quick: bool) -> Iterable[dict]`, and takes
`full: bool` too if it has a full size. The runner gives
it a throwaway SQLite database, migrated, under a temporary directory: benchmarks
build their own small world through the services and leave nothing behind.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


def discover() -> list[str]:
    """Names of the benchmarks in bench/: `bench_api.py` is `api`."""
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


def _setup_django(var_dir: str) -> None:
    os.environ["COBENCH_VAR_DIR"] = var_dir
    Path(var_dir, "static").mkdir()  # whitenoise looks for STATIC_ROOT at start-up
    os.environ.pop("DATABASE_URL", None)  # always a throwaway SQLite database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cobench.settings")
    for path in (str(ROOT), str(BENCH_DIR)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (of: {', '.join(discover())})")
    parser.add_argument("--quick", action="store_true", help="a few iterations only")
    parser.add_argument("--full", action="store_true", help="full size where a benchmark has one")
    args = parser.parse_args(argv)
    names = args.names or discover()
    if unknown := set(names) - set(discover()):
        parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="cobench-bench-") as var_dir:
        _setup_django(var_dir)
        import django

        context = {
            "python": platform.python_version(),
            "django": django.get_version(),
            "quick": args.quick,
            "full": args.full,
        }
        for name in names:
            module = importlib.import_module(f"bench_{name}")
            started = time.perf_counter()
            sizes = {"full": True} if args.full else {}
            for result in module.run(quick=args.quick, **sizes):
                line = {"benchmark": name, **result, **context}
                print(json.dumps(line), flush=True)
            print(f"# {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
