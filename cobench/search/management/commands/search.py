"""`cobench search --as USER --mode similarity --query SMILES`: structure search from the shell.

Prints a table (registry id, score, projects, SMILES) of what USER may see, and
the search's message (more hits, stopped at the time limit) on standard error.
"""

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cobench.core.commands import run_service
from cobench.search import services
from cobench.tenancy.models import Project, User


class Command(BaseCommand):
    help = "Search the compounds a user may see: exact, substructure or similarity."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", required=True, help="who searches")
        parser.add_argument("--mode", choices=services.MODES, default="similarity")
        parser.add_argument("--query", required=True, help="a SMILES, a SMARTS or a molfile")
        parser.add_argument(
            "--query-type", choices=["auto", "smiles", "smarts", "molfile"], default="auto"
        )
        parser.add_argument("--threshold", type=float, default=0.0, help="similarity: lowest")
        parser.add_argument("--top", type=int, default=services.DEFAULT_TOP, help="similarity")
        parser.add_argument("--project", help="one project's code (default: all of the user's)")

    def handle(self, *args, **options) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        project = None
        if options["project"]:
            project = Project.objects.visible_to(user).filter(code=options["project"]).first()
            if project is None:
                raise CommandError(f"No project {options['project']!r} of {user.username}.")
        result = run_service(
            lambda: services.search(
                actor=user,
                mode=options["mode"],
                query=options["query"],
                query_type=options["query_type"],
                threshold=options["threshold"],
                top=options["top"],
                project=project,
            )
        )
        self.stdout.write(f"{'registry id':<14} {'score':>6}  {'projects':<24} smiles")
        for hit in result.hits():
            score = "" if hit.score is None else f"{hit.score:.3f}"
            codes = ",".join(p.code for p in hit.projects)
            self.stdout.write(f"{hit.registry_id:<14} {score:>6}  {codes:<24} {hit.smiles}")
        summary = f"{result.count:,} hit{'s' if result.count != 1 else ''}"
        sys.stderr.write(f"{summary}. {result.message}".rstrip() + "\n")
