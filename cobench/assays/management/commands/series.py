"""`cobench series list|create|tag|untag --project CODE --as USER [--name N] [--core SMARTS]
[--compound CB-000001 ...]`: chemical series from the shell, through the pages' services."""

from functools import partial

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cobench.assays.models import Series
from cobench.assays.sar import series as services
from cobench.compounds.models import Compound
from cobench.core.commands import run_service
from cobench.tenancy.models import Project, User


class Command(BaseCommand):
    help = "List a project's chemical series with their members, define one, tag or untag."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "create", "tag", "untag"])
        parser.add_argument("--as", dest="username", required=True, help="who acts")
        parser.add_argument("--project", required=True, help="the project's code")
        parser.add_argument("--name", help="the series (create, tag, untag)")
        parser.add_argument("--core", default="", help="create: a SMILES or SMARTS core")
        parser.add_argument("--description", default="", help="create")
        parser.add_argument(
            "--compound",
            dest="registry_ids",
            action="append",
            default=[],
            help="tag, untag: a compound's registry id (repeat for more)",
        )

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        project = Project.objects.visible_to(user).filter(code=options["project"]).first()
        if project is None:
            raise CommandError(f"No project {options['project']!r} of {user.username}.")
        action, name = options["action"], options["name"]
        if action == "list":
            for found in Series.objects.visible_to(user).filter(project=project).order_by("name"):
                self._show(user, found)
            return
        if not name:
            raise CommandError("Name the series: --name.")
        if action == "create":
            created = run_service(
                lambda: services.create_series(
                    actor=user,
                    project=project,
                    name=name,
                    core=options["core"],
                    description=options["description"],
                )
            )
            self._show(user, created)
            return
        found = Series.objects.visible_to(user).filter(project=project, name__iexact=name).first()
        if found is None:
            raise CommandError(f"No series {name!r} in {project.code}.")
        step = services.tag_compound if action == "tag" else services.untag_compound
        for registry_id in options["registry_ids"]:
            run_service(partial(step, actor=user, series=found, compound=registry_id))
        self._show(user, found)

    def _show(self, user: User, found: Series) -> None:
        members = services.membership(actor=user, series=found)
        ids = (
            Compound.objects.filter(pk__in=members.compounds)
            .order_by("number")
            .values_list("registry_id", flat=True)
        )
        core = f" core {found.core}" if found.core else ""
        self.stdout.write(f"{found.name}{core}: {', '.join(ids) or 'no members'}")
