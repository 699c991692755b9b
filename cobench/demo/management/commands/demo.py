"""`cobench demo`: load the demo partnership into an empty database, or `--reset` to start over."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from cobench.demo import loader


class Command(BaseCommand):
    help = "Load the demo partnership if the database is empty; --reset wipes all data first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete ALL data (audit trail included) and load the demo again",
        )

    def handle(self, *args, reset: bool, **options) -> None:
        if reset:
            self.stdout.write("Deleting all data…")
            loader.wipe_all_data()
        if loader.is_empty():
            self.stdout.write("Loading the demo partnership…")
            loader.load_demo()
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: project {loader.PROJECT_CODE}."))
        elif not loader.is_loaded():
            self.stdout.write(
                self.style.WARNING(
                    "The database already holds data, so the demo was not loaded "
                    "(`cobench demo --reset` deletes everything and loads it)."
                )
            )
            return
        else:
            self.stdout.write(f"The demo is already loaded (project {loader.PROJECT_CODE}).")
        self.print_logins()

    def print_logins(self) -> None:
        self.stdout.write(
            f"\nDemo logins (every one with the password {self.style.SUCCESS(loader.PASSWORD)}):"
        )
        for username, role, organization, tz in loader.logins():
            self.stdout.write(f"  {username:<8} {role:<18} {organization:<24} {tz}")
