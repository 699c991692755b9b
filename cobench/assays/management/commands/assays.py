"""`cobench assays import FILE --project CODE --as USERNAME --assay NAME`: results from the shell.

Runs here and now (no background worker): the dry run, then, unless `--dry-run`, the
import — all rows or none — each with a progress bar on standard error; the report
goes to standard output. The exit status is 1 when rows are bad (nothing is written).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cobench.assays import imports
from cobench.assays.models import Assay
from cobench.compounds.management.commands.compounds import progress_bar
from cobench.core.commands import run_service
from cobench.tenancy.models import Project, User


class Command(BaseCommand):
    help = "Assays: `assays import FILE` imports a CSV or Excel file of results."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a CSV or Excel (.xlsx) file of results")
        imp.add_argument("file", type=Path)
        imp.add_argument("--project", required=True, help="the project's code, e.g. PRJ-CDK2")
        imp.add_argument("--as", dest="username", required=True, help="who records the results")
        imp.add_argument("--assay", default="", help="the assay of every row (else a column)")
        imp.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="TARGET=COLUMN",
            help=f"which column holds a target ({', '.join(imports.TARGETS)}); "
            "unmapped targets are guessed from the column names",
        )
        imp.add_argument("--unit", default="", help="the unit of rows without one")
        imp.add_argument("--sheet", default="", help="Excel: the sheet to read (default: first)")
        imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")

    def handle(self, *args, **options) -> None:
        project = Project.objects.filter(code=options["project"]).first()
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if project is None or user is None or not project.members.filter(user=user).exists():
            raise CommandError(
                f"No project {options['project']!r} with a member {options['username']!r}."
            )
        assay = None
        if options["assay"]:
            assays = Assay.objects.visible_to(user).filter(project=project)
            assay = assays.filter(name=options["assay"]).first()
            if assay is None:
                names = ", ".join(assays.values_list("name", flat=True)) or "none"
                raise CommandError(f"No assay {options['assay']!r} in {project.code} ({names}).")
        self.stderr.style_func = None  # a progress bar, not an error
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        if path.stat().st_size > imports.MAX_BYTES:
            raise CommandError(f"{path.name} is larger than {imports.MAX_BYTES / 2**20:g} MB.")
        job = run_service(
            lambda: imports.create_import(
                actor=user,
                project=project,
                upload=imports.import_file(path),
                assay=assay,
                mapping=imports.parse_mapping("\n".join(options["map"])),
                unit=options["unit"],
                sheet=options["sheet"],
            )
        )
        job = run_service(
            lambda: imports.check_import(
                actor=user,
                job=job,
                background=False,
                progress=progress_bar("checking ", self.stderr),
            )
        )
        report = job.check_report
        for error in report["errors"]:
            self.stdout.write(f"row {error['row']}: {error['error']}")
        for note in report["notes"]:
            self.stdout.write(note)
        bad = report["bad"]
        self.stdout.write(f"{path.name}: {report['rows']:,} rows, {bad:,} bad.")
        if bad:
            raise CommandError(f"{bad:,} rows are bad: nothing was imported.", returncode=1)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            return
        job = run_service(lambda: imports.start_import(actor=user, job=job, background=False))
        job = run_service(
            lambda: imports.run_import(job=job, progress=progress_bar("importing", self.stderr))
        )
        if job.state != job.State.DONE:
            for error in job.check_report["errors"]:
                self.stdout.write(f"row {error['row']}: {error['error']}")
            raise CommandError(f"{job.message} Job {job.pk}.", returncode=1)
        self.stdout.write(f"Imported {job.imported:,} results into {project.code}. Job {job.pk}.")
