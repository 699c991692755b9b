"""`cobench org create|list|require-mfa`: register organizations (sponsors and partners alike),
and require two-factor sign-in of an organization's people."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cobench.core.commands import run_service
from cobench.tenancy import services
from cobench.tenancy.models import Organization


class Command(BaseCommand):
    help = (
        "Organizations: `org create NAME` registers one, `org list` shows them, "
        "`org require-mfa NAME on|off` requires two-factor sign-in of its people or not."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="register an organization")
        create.add_argument("name")
        create.add_argument("--short-name", default="")
        create.add_argument("--country", default="")
        create.add_argument("--time-zone", default="UTC", help="e.g. America/New_York")
        sub.add_parser("list", help="every organization with its people count")
        mfa = sub.add_parser("require-mfa", help="require two-factor sign-in of its people")
        mfa.add_argument("name")
        mfa.add_argument("state", choices=["on", "off"])

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            org = run_service(
                lambda: services.create_organization(
                    actor=None,
                    name=options["name"],
                    short_name=options["short_name"],
                    country=options["country"],
                    time_zone=options["time_zone"],
                )
            )
            self.stdout.write(self.style.SUCCESS(f"Registered {org.name} ({org.id})."))
            return
        if action == "require-mfa":
            found = Organization.objects.filter(name=options["name"]).first()
            if found is None:
                raise CommandError(f"No organization named {options['name']!r}.")
            org = run_service(
                lambda: services.set_require_mfa(
                    actor=None, organization=found, required=options["state"] == "on"
                )
            )
            state = "requires" if org.require_mfa else "does not require"
            self.stdout.write(self.style.SUCCESS(f"{org.name} {state} two-factor sign-in."))
            return
        for org in Organization.objects.order_by("name"):
            self.stdout.write(
                f"{org.name}\t{org.country}\t{org.time_zone}\t{org.people.count()} people"
            )
