"""`cobench compounds import FILE --project CODE --as USERNAME`: bulk import from the shell.

Runs here and now (no background worker): a dry run, then, unless `--dry-run`, the
import, each with a progress bar on standard error; the report goes to standard
output. The exit status is 1 when records were refused (the others are imported).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from cobench.compounds import imports
from cobench.compounds.models import ImportJob
from cobench.core.commands import run_service
from cobench.tenancy.models import Project, User

BAR = 30


def progress_bar(label: str, stream: OutputWrapper):
    """A progress callback drawing `label [#####     ] done/total` on `stream` (stderr)."""

    def draw(job: ImportJob) -> None:
        done, total = job.done_through, job.records or 1
        filled = BAR * done // total
        bar = "#" * filled + " " * (BAR - filled)
        end = "\n" if done >= total else ""
        stream.write(f"\r{label} [{bar}] {done:,}/{total:,}", ending=end)
        stream.flush()

    return draw


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        if not sep or not column:
            raise CommandError(f"--map takes COLUMN=FIELD, not {pair!r}.")
        mapping[column] = target
    return mapping


class Command(BaseCommand):
    help = "The compound registry: `compounds import FILE` imports an SDF, SMILES or CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a file of structures into a project")
        imp.add_argument("file", type=Path)
        imp.add_argument("--project", required=True, help="the project's code, e.g. PRJ-CDK2")
        imp.add_argument("--as", dest="username", required=True, help="who registers the lots")
        imp.add_argument("--format", choices=ImportJob.Format.values, default="")
        imp.add_argument("--smiles-column", default="", help="CSV: the column with the SMILES")
        imp.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help=f"a file column or SDF field into a lot field ({', '.join(imports.TARGETS)})",
        )
        imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(code=options["project"]).first()
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if project is None or user is None or not project.members.filter(user=user).exists():
            raise CommandError(
                f"No project {options['project']!r} with a member {options['username']!r}."
            )
        self.stderr.style_func = None  # a progress bar, not an error
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        job = run_service(
            lambda: imports.create_import(
                actor=user,
                project=project,
                upload=imports.import_file(path),
                format=options["format"],
                smiles_column=options["smiles_column"],
                mapping=_mapping(options["map"]),
            )
        )
        job = run_service(
            lambda: imports.check_import(
                actor=user,
                job=job,
                progress=progress_bar("checking ", self.stderr),
                background=False,
            )
        )
        report = job.check_report
        for finding in report["findings"]:
            self.stdout.write(f"{_label(finding)}: {finding.get('error') or finding['duplicate']}")
        self.stdout.write(
            f"{path.name}: {report['records']:,} records, {report['valid']:,} valid "
            f"({report['new']:,} new compounds, {report['known']:,} already registered, "
            f"{report['in_file']:,} repeated in the file), {report['errors']:,} errors."
        )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            failed = report["errors"]
        else:
            job = run_service(lambda: imports.start_import(actor=user, job=job, background=False))
            job = imports.run_import(job=job, progress=progress_bar("importing", self.stderr))
            for error in job.report["errors"]:
                self.stdout.write(f"{_label(error)}: {error['error']}")
            self.stdout.write(
                f"Imported {job.imported:,} records into {project.code} "
                f"({job.new_compounds:,} new compounds); {job.failed:,} refused. Job {job.pk}."
            )
            failed = job.failed
        if failed:
            raise CommandError(f"{failed:,} records were refused (see above).", returncode=1)


def _label(finding: dict) -> str:
    name = f" ({finding['name']})" if finding.get("name") else ""
    return f"record {finding['record']}{name}"
