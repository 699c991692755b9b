"""`cobench project walls|share-compounds|consortium --project CODE --as USER`: what each
partner of a project sees of the others' work and of the compounds, through the services the
project's settings page uses."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cobench.core.commands import actor_and_project, run_service
from cobench.tenancy import services
from cobench.tenancy.models import CompoundShare, Project, ProjectPartner


class Command(BaseCommand):
    help = (
        "Partner walls: `walls` shows what each partner sees, `share-compounds ORG` chooses "
        "which compounds a partner sees, `consortium on|off` opens partners' work to each other."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["walls", "share-compounds", "consortium"])
        parser.add_argument("target", nargs="?", default="", help="the partner, or on|off")
        parser.add_argument("--as", dest="username", required=True, help="who acts")
        parser.add_argument("--project", required=True, help="the project's code")
        parser.add_argument(
            "--compounds",
            choices=CompoundShare.values,
            help="share-compounds: all of the project's, those of --series, or only its own",
        )
        parser.add_argument(
            "--series", action="append", default=[], help="share-compounds: a series' name"
        )
        parser.add_argument(
            "--blinded",
            action="store_true",
            help="share-compounds: the shared compounds are coded samples, without structures",
        )
        parser.add_argument("--reason", default="", help="why (share-compounds, consortium)")

    def handle(self, *args, **options) -> None:
        actor, project = actor_and_project(options["username"], options["project"])
        action, target, reason = options["action"], options["target"], options["reason"]
        if action == "consortium":
            if target not in ("on", "off"):
                raise CommandError("Say `consortium on` or `consortium off`.")
            run_service(
                lambda: services.set_open_consortium(
                    actor=actor, project=project, open_=target == "on", reason=reason
                )
            )
        elif action == "share-compounds":
            partner = (
                ProjectPartner.objects.visible_to(actor)
                .filter(project=project, organization__name__iexact=target)
                .first()
            )
            if partner is None:
                raise CommandError(f"No partner {target!r} on {project.code}.")
            if options["compounds"] is None:
                raise CommandError("Say which compounds: --compounds all|series|own.")
            series = project.series.filter(name__in=options["series"])
            if missing := set(options["series"]) - set(series.values_list("name", flat=True)):
                raise CommandError(f"No series {', '.join(sorted(missing))} in {project.code}.")
            run_service(
                lambda: services.share_compounds(
                    actor=actor,
                    partner=partner,
                    compounds=options["compounds"],
                    series=list(series),
                    blinded=options["blinded"],
                    reason=reason,
                )
            )
        self._show(actor, Project.objects.get(pk=project.pk))

    def _show(self, actor, project: Project) -> None:
        walls = "partners see each other's work" if project.open_consortium else "walled"
        self.stdout.write(f"{project.code}: {walls}")
        for partner in ProjectPartner.objects.visible_to(actor).filter(project=project):
            series = ", ".join(s.name for s in partner.shared_series.order_by("name"))
            sees = partner.get_compounds_display() + (f" ({series})" if series else "")
            sees += ", blinded" if partner.blinded else ""
            self.stdout.write(f"  {partner.organization.name}: {sees}")
