"""A registry of the first n MOSES molecules, made by cobench's bulk import, kept on disk.

    .venv/bin/python bench/registry.py 1000000 [--path FILE]   build it; prints how long it took

`build(n, path)` returns `path`, an SQLite database holding one sponsor ("MOSES
Sponsor"), one project (PRJ-MOSES) and its registry of the first `n` MOSES
molecules (bench/moses.py), imported as a SMILES file through
`cobench.compounds.imports` (the same path as `cobench compounds import`: workers
standardize, the main process writes batches with their audit events). A database
that exists is reused as it is, so the million-compound registry is built once;
it is written under another name and renamed when complete, and a build
that was interrupted resumes after its last committed batch. `populate` does the
import into whatever database Django is configured with (bench_registration.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
CACHE = ROOT / "var" / "cache" / "registry"
PROJECT = "PRJ-MOSES"


def default_path(n: int) -> Path:
    """Where the registry of `n` molecules is cached unless a caller names a file."""
    return CACHE / f"moses-{n}.sqlite3"


def build(n: int, path: Path | None = None) -> Path:
    """The SQLite registry of the first `n` MOSES molecules at `path`, built if it is missing."""
    path = Path(path or default_path(n))
    if not path.exists():
        subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), str(n), "--path", str(path)],
            check=True,
            env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            stdout=subprocess.DEVNULL,  # its report is kept beside the file; stdout is the caller's
        )
    return path


def build_report(n: int, path: Path | None = None) -> dict[str, Any]:
    """How the registry of `n` molecules was built (time, rate, counts), building it if missing."""
    cached = Path(path or default_path(n)).exists()
    path = build(n, path)
    return {**json.loads(_report_path(path).read_text()), "cached": cached}


def _report_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def world(*, workers: int | None = None) -> tuple[Any, Any]:
    """The MOSES sponsor's registering user and project PRJ-MOSES, in the configured database."""
    from django.conf import settings

    from cobench.core.context import request_id
    from cobench.tenancy import services as tenancy

    if workers:
        settings.COBENCH_IMPORT_WORKERS = workers
    settings.COBENCH_MAX_IMPORT_BYTES = max(settings.COBENCH_MAX_IMPORT_BYTES, 2**31)
    # registry ids and lot numbers are unique in the whole database: a prefix of its own
    # keeps this registry clear of another sponsor's in the same one (the api benchmark's demo)
    settings.COBENCH_REGISTRY_PREFIX = "MOSES"
    with request_id():
        org = tenancy.create_organization(actor=None, name="MOSES Sponsor")
        user = tenancy.create_user(
            actor=None, username="moses", password=os.urandom(16).hex(), organization=org
        )
        project = tenancy.create_project(actor=user, code=PROJECT, name="MOSES", sponsor=org)
    return user, project


def import_smiles(user: Any, project: Any, smiles: list[str], *, first: int = 1) -> dict[str, Any]:
    """Import `smiles` (named MOSES-<first>, ...) as one SMILES file; the job and its time."""
    from cobench.compounds import imports
    from cobench.core.context import request_id

    text = "".join(f"{s} MOSES-{i:07d}\n" for i, s in enumerate(smiles, start=first))
    upload = imports.SimpleUploadedFile("moses.smi", text.encode())
    with request_id():
        started = time.perf_counter()
        job = imports.create_import(actor=user, project=project, upload=upload)
        job = imports.run_import(job=job)
        seconds = time.perf_counter() - started
    return {"job": job, "seconds": seconds, "per_s": len(smiles) / seconds}


def populate(smiles: list[str], *, workers: int | None = None) -> dict[str, Any]:
    """Import `smiles` into the configured database as PRJ-MOSES's registry; timings and job."""
    user, project = world(workers=workers)
    return import_smiles(user, project, smiles)


def _build_here(n: int, path: Path) -> dict[str, Any]:
    """Build the registry at `path`; an interrupted build resumes after its last batch."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    var_dir = path.with_name(path.name + ".var")  # the uploaded file, kept for a resume
    (var_dir / "static").mkdir(parents=True, exist_ok=True)
    os.environ["COBENCH_VAR_DIR"] = str(var_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{partial}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cobench.settings")
    sys.path[:0] = [str(ROOT), str(BENCH_DIR)]
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from cobench.compounds import imports
    from cobench.compounds.models import ImportJob
    from cobench.core.context import request_id

    job = ImportJob.objects.filter(project__code=PROJECT).first()
    if job is None:
        import moses

        result = populate(moses.smiles(n))
    else:
        with request_id():
            started = time.perf_counter()
            job = imports.run_import(job=job)
        result = {"job": job, "seconds": time.perf_counter() - started, "per_s": None}
    from django.db import connection

    connection.close()
    partial.replace(path)
    shutil.rmtree(var_dir)
    job = result["job"]
    report = {
        "name": "registry_build",
        "molecules": n,
        "compounds": job.new_compounds,
        "lots": job.imported,
        "failed": job.failed,
        "seconds": round(result["seconds"], 1),
        "per_s": result["per_s"] and round(result["per_s"], 1),
        # a resumed build's seconds are its last run's; the job's own clock spans them all
        "resumed": result["per_s"] is None,
        "started_at": job.started_at.isoformat(),
        "finished_at": job.finished_at.isoformat(),
        "path": str(path),
        "bytes": path.stat().st_size,
        "built_at": time.time(),
    }
    _report_path(path).write_text(json.dumps(report))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many MOSES molecules")
    parser.add_argument("--path", type=Path, help="the database file (default: under var/cache)")
    args = parser.parse_args(argv)
    path = args.path or default_path(args.n)
    if path.exists():
        print(json.dumps(build_report(args.n, path)))
        return 0
    print(json.dumps(_build_here(args.n, path)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
