"""`cobench user create|join|password`: accounts for the people of an organization."""

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
        "People: `user create USERNAME --org NAME` makes an account, `user join` adds an employer, "
        "`user password USERNAME` sets a new password and signs the person out everywhere."
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
        password = sub.add_parser(
            "password", help="set a person's password; every session of theirs is ended"
        )
        password.add_argument("username")
        password.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "password":
            self._set_password(options["username"], options["password_stdin"])
            return
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

    def _set_password(self, username: str, from_stdin: bool) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        password = self._password(from_stdin)
        run_service(lambda: services.change_password(actor=None, user=user, password=password))
        self.stdout.write(
            self.style.SUCCESS(f"{user.username} has a new password and is signed out everywhere.")
        )

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for the password: use --password-stdin.")
        first, second = getpass.getpass("Password: "), getpass.getpass("Password (again): ")
        if first != second:
            raise CommandError("The passwords differ; nothing was changed.")
        return first
