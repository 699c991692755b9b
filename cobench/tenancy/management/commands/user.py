"""`cobench user create|join`: accounts for the people of an organization."""

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cobench.core.commands import run_service
from cobench.tenancy import services
from cobench.tenancy.models import Organization, User


def _organization(name: str) -> Organization:
    org = Organization.objects.filter(name=name).first()
    if org is None:
        raise CommandError(f"No organization named {name!r} (see `cobench org list`).")
    return org


class Command(BaseCommand):
    help = (
        "People: `user create USERNAME --org NAME` makes an account, `user join` adds an employer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="an account for a person of an organization")
        create.add_argument("username")
        create.add_argument("--org", required=True, help="the organization's name")
        create.add_argument("--first-name", default="")
        create.add_argument("--last-name", default="")
        create.add_argument("--email", default="")
        create.add_argument("--time-zone", default="", help="default: the organization's")
        create.add_argument("--title", default="", help="job title")
        create.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )
        join = sub.add_parser("join", help="record that a person also works for an organization")
        join.add_argument("username")
        join.add_argument("--org", required=True)
        join.add_argument("--title", default="")

    def handle(self, *args, action: str, **options) -> None:
        org = _organization(options["org"])
        if action == "join":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user {options['username']!r}.")
            joining = user
            run_service(
                lambda: services.join_organization(
                    actor=None, user=joining, organization=org, title=options["title"]
                )
            )
            self.stdout.write(self.style.SUCCESS(f"{user.username} now works for {org.name}."))
            return
        password = self._password(options["password_stdin"])
        user = run_service(
            lambda: services.create_user(
                actor=None,
                username=options["username"],
                password=password,
                organization=org,
                first_name=options["first_name"],
                last_name=options["last_name"],
                email=options["email"],
                time_zone=options["time_zone"],
                title=options["title"],
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Created {user.username} at {org.name}."))

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for the password: use --password-stdin.")
        first, second = getpass.getpass("Password: "), getpass.getpass("Password (again): ")
        if first != second:
            raise CommandError("The passwords differ; nothing was created.")
        return first
