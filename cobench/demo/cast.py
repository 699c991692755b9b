"""The demo's cast: its organizations, people, project code and the record steps share.

Every app's demo step (`<app>/demo.py`) and the loader read these; the loader calls
the steps, so they never import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cobench.core.permissions import Role
from cobench.tenancy.models import Organization, Project, User

PASSWORD = "cobench-demo-2026"  # noqa: S105  the demo's, printed by `make run`
PROJECT_CODE = "PRJ-CDK2"


@dataclass(frozen=True)
class Person:
    """A demo login: who they are, where they sit and what they do on the project."""

    username: str
    first_name: str
    last_name: str
    organization: str
    role: Role
    time_zone: str
    title: str


@dataclass(frozen=True)
class Org:
    name: str
    short_name: str
    country: str
    time_zone: str


SPONSOR = Org("Helix Bio", "Helix", "Germany", "Europe/Berlin")
BOSTON = Org("Beacon Street Chemistry", "Beacon", "United States", "America/New_York")
HYDERABAD = Org("Deccan Synthesis Labs", "Deccan", "India", "Asia/Kolkata")
BASEL = Org("Rhine Assay Services", "Rhine", "Switzerland", "Europe/Zurich")
ORGANIZATIONS = (SPONSOR, BOSTON, HYDERABAD, BASEL)

PEOPLE = (
    Person(
        "helena",
        "Helena",
        "Vogt",
        SPONSOR.name,
        Role.SPONSOR_LEAD,
        "Europe/Berlin",
        "Head of Chemistry",
    ),
    Person(
        "stefan",
        "Stefan",
        "Brandt",
        SPONSOR.name,
        Role.SPONSOR_SCIENTIST,
        "Europe/Berlin",
        "Senior Biologist",
    ),
    Person(
        "erik",
        "Erik",
        "Lindqvist",
        SPONSOR.name,
        Role.EXECUTIVE,
        "Europe/Berlin",
        "Chief Scientific Officer",
    ),
    Person("quinn", "Quinn", "Adler", SPONSOR.name, Role.QA_AUDITOR, "Europe/Berlin", "QA Manager"),
    Person(
        "brian",
        "Brian",
        "Walsh",
        BOSTON.name,
        Role.PARTNER_LEAD,
        "America/New_York",
        "Project Manager",
    ),
    Person(
        "maria",
        "Maria",
        "Santos",
        BOSTON.name,
        Role.PARTNER_SCIENTIST,
        "America/New_York",
        "Medicinal Chemist",
    ),
    Person(
        "priya",
        "Priya",
        "Raman",
        HYDERABAD.name,
        Role.PARTNER_LEAD,
        "Asia/Kolkata",
        "Project Manager",
    ),
    Person(
        "arjun",
        "Arjun",
        "Rao",
        HYDERABAD.name,
        Role.PARTNER_SCIENTIST,
        "Asia/Kolkata",
        "Process Chemist",
    ),
    Person(
        "lukas",
        "Lukas",
        "Meier",
        BASEL.name,
        Role.PARTNER_LEAD,
        "Europe/Zurich",
        "Head of Cell Biology",
    ),
)


@dataclass
class Demo:
    """What the loader made, handed from step to step."""

    today: date
    organizations: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    made_project: Project | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def project(self) -> Project:
        """The demo project, for every step after the one that makes it."""
        if self.made_project is None:
            raise RuntimeError("The project step has not run yet.")
        return self.made_project

    def user(self, role: Role, organization: str | None = None) -> User:
        """The demo person holding `role` (at `organization`, when several do)."""
        for person in PEOPLE:
            if person.role == role and organization in (None, person.organization):
                return self.users[person.username]
        raise KeyError(role)
