"""The cast every test shares: two projects of one sponsor, their partners, and outsiders.

alice (sponsor lead), sam (sponsor scientist), paula (partner lead), pete (partner
scientist), erin (executive), quinn (QA auditor) are on CDK2 with Northbridge as
partner. olga (Kestrel, partner scientist) is on KRAS only; oscar works for an
organization with no projects at all.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client

from cobench.charters.services import revise_charter
from cobench.core.context import request_id
from cobench.core.permissions import Role
from cobench.tenancy import services as tenancy
from cobench.tenancy.models import Organization, Project, User

from .factories import PASSWORD, OrganizationFactory, UserFactory


@dataclass
class World:
    sponsor: Organization
    partner: Organization
    other_partner: Organization
    outsider_org: Organization
    project: Project
    other_project: Project
    sponsor_lead: User
    sponsor_scientist: User
    partner_lead: User
    partner_scientist: User
    executive: User
    auditor: User
    other_member: User
    other_lead: User
    outsider: User
    password: str = PASSWORD

    def charter(self, **overrides: Any) -> dict[str, Any]:
        """A complete charter content for the CDK2 project."""
        content: dict[str, Any] = {
            "team": [
                {
                    "name": "Alice Sponsor",
                    "organization": self.sponsor.name,
                    "role": "sponsor_lead",
                },
                {
                    "name": "Paula Partner",
                    "organization": self.partner.name,
                    "role": "partner_lead",
                },
            ],
            "start_date": "2026-01-05",
            "end_date": "2027-06-30",
            "milestones": [{"name": "First 20 analogues", "due": "2026-04-01"}],
            "sites": [
                {
                    "name": "Northbridge R&D",
                    "organization": self.partner.name,
                    "facility_type": "rd_lab",
                }
            ],
            "methods": "Parallel medicinal chemistry, 50 mg scale.",
            "work_packages": [{"name": "WP1 Hinge binders"}],
            "client_responsibilities": "Assays within 10 working days.",
            "decision_rights": "Sponsor picks compounds and approves route changes.",
            "meeting_cadence": "weekly",
            "status_update_cadence_days": 14,
            "escalation_ladder": [
                {
                    "level": 1,
                    "who": "Project leads",
                    "notify": "leads",
                    "response_hours": {"low": 72, "medium": 48, "high": 24, "critical": 4},
                },
            ],
            "fte_budget": "6.0",
            "effort_cap_hours_per_compound": "80",
            "attempt_cap_per_compound": 5,
            "success_metrics": ["IC50 < 100 nM"],
            "decision_points": [{"name": "Lead series chosen", "due": "2026-09-30"}],
        }
        content.update(overrides)
        return content


def _build_world() -> World:
    sponsor = OrganizationFactory(name="Helix Bio", time_zone="Europe/Berlin")
    partner = OrganizationFactory(name="Northbridge Chemistry", time_zone="America/Toronto")
    other_partner = OrganizationFactory(name="Kestrel Labs", time_zone="Asia/Kolkata")
    outsider_org = OrganizationFactory(name="Elsewhere Pharma")
    people = {
        "alice": sponsor,
        "sam": sponsor,
        "erin": sponsor,
        "quinn": sponsor,
        "paula": partner,
        "pete": partner,
        "olga": other_partner,
        "oscar": outsider_org,
        "kim": sponsor,
    }
    users = {name: UserFactory(username=name, organization=org) for name, org in people.items()}
    with request_id():
        project = tenancy.create_project(
            actor=users["alice"], code="PRJ-CDK2", name="CDK2 inhibitors", sponsor=sponsor
        )
        tenancy.share_compounds(
            actor=users["alice"],
            partner=tenancy.add_partner(
                actor=users["alice"],
                project=project,
                organization=partner,
                start_date=date(2026, 1, 5),
                scope_of_work="Medicinal chemistry",
            ),
            compounds="all",
            reason="One partner: it sees the whole registry",
        )
        for name, role in [
            ("sam", Role.SPONSOR_SCIENTIST),
            ("paula", Role.PARTNER_LEAD),
            ("pete", Role.PARTNER_SCIENTIST),
            ("erin", Role.EXECUTIVE),
            ("quinn", Role.QA_AUDITOR),
        ]:
            tenancy.add_member(
                actor=users["alice"],
                project=project,
                username=name,
                role=role,
                is_key=role != Role.QA_AUDITOR,
            )
        other = tenancy.create_project(
            actor=users["kim"], code="PRJ-KRAS", name="KRAS degraders", sponsor=sponsor
        )
        tenancy.add_partner(
            actor=users["kim"],
            project=other,
            organization=other_partner,
            start_date=date(2026, 2, 1),
        )
        tenancy.add_member(
            actor=users["kim"], project=other, username="olga", role=Role.PARTNER_SCIENTIST
        )
    return World(
        sponsor=sponsor,
        partner=partner,
        other_partner=other_partner,
        outsider_org=outsider_org,
        project=project,
        other_project=other,
        sponsor_lead=users["alice"],
        sponsor_scientist=users["sam"],
        partner_lead=users["paula"],
        partner_scientist=users["pete"],
        executive=users["erin"],
        auditor=users["quinn"],
        other_member=users["olga"],
        other_lead=users["kim"],
        outsider=users["oscar"],
    )


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # attachments land in each test's own folder, never under var/
    settings.MEDIA_ROOT = str(tmp_path / "files")
    settings.COBENCH_SEARCH_INDEX_DIR = str(tmp_path / "search-index")
    # django-axes keeps its failure counts in the database (AccessAttempt): each test's
    # rollback resets them, so no test inherits another's lockout
    # Argon2 is the production hasher (tests/test_auth.py checks it); tests need no slow hashes
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # pages render without a collectstatic run; production keeps the hashed manifest
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After each test that used the database, whichever doors it wrote results through:
    every stored aggregate (`Summary`) is the aggregate of its valid results."""
    outcome = yield
    if {"db", "transactional_db"} & set(item.fixturenames):
        assert_summaries_in_step()
    return outcome


def assert_summaries_in_step() -> None:
    from cobench.assays.aggregate import per_compound
    from cobench.assays.models import Assay, Result, Summary

    if not Result.objects.exists():
        assert not Summary.objects.exists()
        return
    expected = {}
    for assay in Assay.objects.all():
        rows = Result.objects.filter(assay=assay).values_list(
            "compound_id", "qualifier", "value", "flag"
        )
        for compound_id, agg in per_compound(rows, endpoint=assay.endpoint).items():
            expected[(assay.pk, compound_id)] = (agg.value, agg.qualifier, agg.n, agg.censored)
    stored = Summary.objects.values_list(
        "assay_id", "compound_id", "value", "qualifier", "n", "censored"
    )
    assert {(a, c): rest for a, c, *rest in stored} == {k: list(v) for k, v in expected.items()}


@pytest.fixture
def world(db) -> World:
    return _build_world()


@pytest.fixture
def v1(world):
    """Charter version 1 of CDK2, complete but not yet signed."""
    return revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(),
        reason="Kickoff",
        base_number=0,
    )


class ApiClient:
    """Calls the JSON API as one user, through a personal token like a script would."""

    def __init__(self, user: User | None):
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            from cobench.tenancy.services import create_api_token

            _, raw = create_api_token(actor=user, name="tests")
            self.headers["Authorization"] = f"Bearer {raw}"

    def request(self, method: str, path: str, json: Any = None, headers: dict | None = None):
        kwargs: dict[str, Any] = {"headers": {**self.headers, **(headers or {})}}
        if json is not None:
            kwargs |= {"data": json, "content_type": "application/json"}
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path: str, **kw: Any):
        return self.request("get", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any):
        return self.request("post", path, json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any):
        return self.request("patch", path, json, **kw)

    def put(self, path: str, json: Any = None, **kw: Any):
        return self.request("put", path, json, **kw)

    def delete(self, path: str, **kw: Any):
        return self.request("delete", path, **kw)


@pytest.fixture
def api(db):
    """`api(user)` is an API client acting as `user` (None: anonymous)."""
    return ApiClient


@pytest.fixture
def web(db):
    """`web(user)` is a browser-like client signed in as `user` (None: anonymous)."""

    def make(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
