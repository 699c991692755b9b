"""`cobench sar export` and `cobench sar share`: the SAR table and the sharing rules from the shell.

    cobench sar export --project PRJ-CDK2 --as helena --format xlsx -o cdk2.xlsx
    cobench sar export --project PRJ-CDK2 --as helena --as-partner "Deccan Synthesis Labs"
    cobench sar export --project PRJ-CDK2 --as helena --compounds CB-000012,CB-000031
    cobench sar share --project PRJ-CDK2 --as helena --assay "CDK2/cyclin E IC50" \\
        --partner "Deccan Synthesis Labs" --mode binned --bin "100=< 100 nM" \\
        --bin "1000=100 nM – 1 µM" --bin "> 1 µM" --reason "Bands for scale-up"

The export is what `user` sees (or, for the sponsor's people, what a partner sees),
through `sar.table` like the page and the API.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cobench.assays import sharing
from cobench.assays.models import Assay
from cobench.assays.sar import sar
from cobench.core.commands import run_service
from cobench.tenancy.models import Project, User


def _bins(texts: list[str]) -> list[dict[str, Any]]:
    """`--bin UPPER=LABEL` options, the last one a label only (the open-ended bin)."""
    bins: list[dict[str, Any]] = []
    for i, text in enumerate(texts):
        upper, sep, label = text.partition("=")
        if i == len(texts) - 1 and not sep:
            bins.append({"upper": None, "label": text})
            continue
        try:
            bins.append({"upper": float(upper), "label": label})
        except ValueError:
            raise CommandError(f"--bin {text!r}: give UPPER=LABEL, e.g. '100=< 100 nM'.") from None
    return bins


class Command(BaseCommand):
    help = "SAR: `sar export` writes the table; `sar share` sets what a partner sees of an assay."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("export", "the SAR table as CSV, SDF or Excel"),
            ("share", "set a rule"),
        ):
            cmd = sub.add_parser(name, help=text)
            cmd.add_argument("--project", required=True, help="the project's code, e.g. PRJ-CDK2")
            cmd.add_argument("--as", dest="username", required=True, help="who asks")
        export = sub.choices["export"]
        export.add_argument("--format", choices=("csv", "sdf", "xlsx"), default="csv")
        export.add_argument("-o", "--output", type=Path, help="the file (default: standard output)")
        export.add_argument(
            "--sort",
            default="registry_id",
            help="registry_id, a property or an assay name; '-' first: descending",
        )
        export.add_argument(
            "--as-partner", default="", help="a partner's name: the table as it sees it"
        )
        export.add_argument(
            "--compounds",
            action="append",
            default=[],
            metavar="CB-000012,...",
            help=f"only these registry ids' rows (comma-separated, repeatable; at most "
            f"{sar.MAX_SELECTED:,})",
        )
        share = sub.choices["share"]
        share.add_argument("--assay", required=True, help="the assay's name")
        share.add_argument("--partner", required=True, help="the partner organization's name")
        share.add_argument("--mode", required=True, choices=sharing.SharingRule.Mode.values)
        share.add_argument("--bin", action="append", default=[], metavar="UPPER=LABEL")
        share.add_argument("--reason", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        project = Project.objects.filter(code=options["project"]).first()
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if project is None or user is None or not project.members.filter(user=user).exists():
            raise CommandError(
                f"No project {options['project']!r} with a member {options['username']!r}."
            )
        if options["action"] == "share":
            self._share(user, project, options)
        else:
            self._export(user, project, options)

    def _partner(self, project: Project, name: str) -> Any:
        partner = project.partners.select_related("organization").filter(organization__name=name)
        found = partner.first()
        if found is None:
            names = ", ".join(o.name for o in sharing.partners(project)) or "none"
            raise CommandError(f"No partner {name!r} of {project.code} ({names}).")
        return found.organization

    def _assay_id(self, user: User, project: Project, name: str) -> str:
        assay = Assay.objects.visible_to(user).filter(project=project, name=name).first()
        if assay is None:
            raise CommandError(f"No assay {name!r} in {project.code}.")
        return str(assay.pk)

    def _export(self, user: User, project: Project, options: dict[str, Any]) -> None:
        if options["format"] == "xlsx" and not options["output"]:
            raise CommandError("An Excel file goes to a file: give --output.")
        as_partner = (
            self._partner(project, options["as_partner"]) if options["as_partner"] else None
        )
        sort = options["sort"]
        key = sort.removeprefix("-")
        if key != "registry_id" and key not in sar.PROPERTIES:
            sort = sort[: len(sort) - len(key)] + self._assay_id(user, project, key)
        first, rows = run_service(
            lambda: sar.all_rows(
                user,
                project,
                as_partner=as_partner,
                sort=sort,
                filters=sar.parse_filters([], compounds=options["compounds"]),
            )
        )
        body, _ = sar.export(first, rows, options["format"])
        if options["output"]:
            options["output"].write_bytes(body)
            self.stdout.write(f"{len(rows)} compounds written to {options['output']}.")
        else:
            self.stdout.write(body.decode(), ending="")

    def _share(self, user: User, project: Project, options: dict[str, Any]) -> None:
        assay = Assay.objects.get(pk=self._assay_id(user, project, options["assay"]))
        partner = self._partner(project, options["partner"])
        rule = run_service(
            lambda: sharing.set_rule(
                actor=user,
                assay=assay,
                partner=partner,
                mode=options["mode"],
                bins=_bins(options["bin"]) if options["bin"] else None,
                reason=options["reason"],
            )
        )
        self.stdout.write(f"{assay.name}: {partner.name} sees {rule.get_mode_display().lower()}.")
