"""The demo partnership: a sponsor biotech, two partner CROs on two continents, one project.

`load_demo()` is the one loader. Each later feature adds its own step at the end
of `STEPS` (meetings, concerns, compounds...): its app's `demo.load`, built through
its services like the steps here and reading the cast from `cast.py`, so the demo
always shows every part of cobench.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from cobench.assays import demo as assays_demo
from cobench.assays.sar import demo as series_demo
from cobench.audit import services as audit
from cobench.charters import services as charters
from cobench.charters.models import CharterVersion
from cobench.compound_requests import demo as requests_demo
from cobench.compounds import demo as compounds_demo
from cobench.concerns import demo as concerns_demo
from cobench.core.context import current_request_id, request_id
from cobench.core.permissions import Role
from cobench.meetings import demo as meetings_demo
from cobench.status import demo as status_demo
from cobench.tenancy import services as tenancy
from cobench.tenancy.models import Organization, Project, User

from .cast import (
    BASEL,
    BOSTON,
    HYDERABAD,
    ORGANIZATIONS,
    PASSWORD,
    PEOPLE,
    PROJECT_CODE,
    SPONSOR,
    Demo,
)


def is_empty() -> bool:
    """Whether the database holds no people, organizations or projects yet."""
    return not (User.objects.exists() or Organization.objects.exists() or Project.objects.exists())


def is_loaded() -> bool:
    """Whether the demo project is there."""
    return Project.objects.filter(code=PROJECT_CODE).exists()


def _people(demo: Demo) -> None:
    for org in ORGANIZATIONS:
        demo.organizations[org.name] = tenancy.create_organization(
            actor=None,
            name=org.name,
            short_name=org.short_name,
            country=org.country,
            time_zone=org.time_zone,
        )
    for p in PEOPLE:
        domain = f"{p.organization.split()[0].lower()}.example"
        demo.users[p.username] = tenancy.create_user(
            actor=None,
            username=p.username,
            password=PASSWORD,
            organization=demo.organizations[p.organization],
            first_name=p.first_name,
            last_name=p.last_name,
            email=f"{p.username}@{domain}",
            time_zone=p.time_zone,
            title=p.title,
        )


def _project(demo: Demo) -> None:
    lead = demo.user(Role.SPONSOR_LEAD)
    project = tenancy.create_project(
        actor=lead,
        code=PROJECT_CODE,
        name="CDK2 inhibitors",
        sponsor=demo.organizations[SPONSOR.name],
        phase=Project.Phase.LEAD_OPTIMIZATION,
        description="Selective CDK2 inhibitors for CCNE1-amplified ovarian cancer: "
        "hinge-binder series from the 2026 HTS campaign.",
    )
    start = demo.today - timedelta(days=90)
    chemists = [
        (BOSTON, "Medicinal chemistry: analogue design and synthesis at 20-50 mg scale."),
        (HYDERABAD, "Route scouting and resynthesis of leads at 1-10 g in the kilo lab."),
    ]
    for org, scope in chemists:
        partner = tenancy.add_partner(
            actor=lead,
            project=project,
            organization=demo.organizations[org.name],
            start_date=start,
            scope_of_work=scope,
        )
        # each sees its own status, requests, concerns and lots; the registry is shared
        tenancy.share_compounds(
            actor=lead,
            partner=partner,
            compounds="all",
            reason="Both chemistry partners work on the whole hinge-binder series",
        )
    for p in PEOPLE:
        if p.role == Role.SPONSOR_LEAD or p.organization == BASEL.name:
            continue  # the creator is its sponsor lead already; Rhine joins later
        tenancy.add_member(
            actor=lead,
            project=project,
            username=p.username,
            role=p.role,
            is_key=p.role != Role.QA_AUDITOR,
        )
    demo.made_project = project


def charter_content(demo: Demo) -> dict[str, Any]:
    """A complete charter for the demo project, naming both sides' people."""
    d = demo.today

    def on(days: int) -> str:
        return (d + timedelta(days=days)).isoformat()

    team = [
        {
            "name": f"{p.first_name} {p.last_name}",
            "organization": p.organization,
            "role": p.role,
            "responsibility": p.title,
        }
        for p in PEOPLE
        if p.role != Role.QA_AUDITOR
    ]
    return {
        "team": team,
        "start_date": on(-90),
        "end_date": on(450),
        "milestones": [
            {"name": "First 20 analogues delivered", "due": on(30)},
            {"name": "Lead series selected", "due": on(150)},
            {
                "name": "10 g of the lead for tox studies",
                "due": on(300),
                "description": "Resynthesis in the Hyderabad kilo lab.",
            },
        ],
        "sites": [
            {
                "name": "Beacon Street R&D lab",
                "organization": BOSTON.name,
                "facility_type": "rd_lab",
                "location": "Boston, MA",
            },
            {
                "name": "Deccan kilo lab",
                "organization": HYDERABAD.name,
                "facility_type": "kilo_lab",
                "location": "Hyderabad, Telangana",
            },
        ],
        "methods": "Parallel medicinal chemistry at 20-50 mg; purity >= 95% by LC-MS and 1H NMR; "
        "route scouting then kilo-lab resynthesis of selected leads.",
        "work_packages": [
            {
                "name": "WP1 Hinge binders",
                "description": "Aminopyrimidine analogues.",
                "owner": BOSTON.name,
            },
            {
                "name": "WP2 Scale-up of leads",
                "description": "1-10 g resynthesis.",
                "owner": HYDERABAD.name,
            },
        ],
        "client_responsibilities": "Helix Bio runs the CDK2/CDK1 biochemical and cellular assays "
        "and returns results within 10 working days of receiving a compound.",
        "decision_rights": "Helix Bio chooses which compounds are made, approves route changes "
        "and decides go / no-go at each decision point.",
        "meeting_cadence": "Weekly joint call, Tuesdays 15:00 Berlin; monthly leadership review",
        "status_update_cadence_days": 7,
        "escalation_ladder": [
            {
                "level": 1,
                "who": "Project leads (Helena Vogt, Brian Walsh, Priya Raman)",
                "notify": "leads",
                "response_hours": {"low": 72, "medium": 48, "high": 24, "critical": 4},
            },
            {
                "level": 2,
                "who": "Executive sponsor (Erik Lindqvist) and partner site heads",
                "notify": "leads_and_executives",
                "response_hours": {"low": 120, "medium": 72, "high": 48, "critical": 8},
            },
        ],
        "fte_budget": "8.0",
        "effort_cap_hours_per_compound": "60",
        "attempt_cap_per_compound": 4,
        "success_metrics": [
            "CDK2 IC50 < 50 nM",
            "Selectivity over CDK1 > 30x",
            "Kinetic solubility > 50 uM",
        ],
        "decision_points": [
            {
                "name": "Series selection",
                "due": on(150),
                "criteria": "Two series meeting potency and selectivity metrics.",
            },
            {
                "name": "Candidate nomination",
                "due": on(420),
                "criteria": "One compound meeting all success metrics with a scalable route.",
            },
        ],
    }


def _charter(demo: Demo) -> None:
    """Charter v1 signed by the sponsor lead and both partner leads; v2 an unsigned draft."""
    lead = demo.user(Role.SPONSOR_LEAD)
    content = charter_content(demo)
    v1 = charters.revise_charter(
        actor=lead,
        project=demo.project,
        content=content,
        reason="Kickoff: the framework agreed at the kickoff meeting.",
        base_number=0,
    )
    meanings = {
        Role.SPONSOR_LEAD: "I approve this charter on behalf of Helix Bio.",
        Role.PARTNER_LEAD: "I approve this charter on behalf of my organization.",
    }
    signers = [
        lead,
        demo.user(Role.PARTNER_LEAD, BOSTON.name),
        demo.user(Role.PARTNER_LEAD, HYDERABAD.name),
    ]
    for signer in signers:
        role = Role.SPONSOR_LEAD if signer == lead else Role.PARTNER_LEAD
        charters.sign_charter(actor=signer, version=v1, password=PASSWORD, meaning=meanings[role])
    draft = dict(content, attempt_cap_per_compound=6, status_update_cadence_days=14)
    draft["milestones"] = [
        *content["milestones"],
        {"name": "Kilo-lab route validated", "due": (demo.today + timedelta(days=240)).isoformat()},
    ]
    charters.revise_charter(
        actor=demo.user(Role.PARTNER_LEAD, HYDERABAD.name),
        project=demo.project,
        content=draft,
        reason="Route scouting needs more attempts per compound; fortnightly status suffices "
        "during scale-up.",
        base_number=v1.number,
    )
    demo.extra["charter_v1"] = CharterVersion.objects.get(pk=v1.pk)


def _biology_partner(demo: Demo) -> None:
    """Rhine Assay Services joins once the charter is signed, to run the cellular assay on
    coded samples: it sees the compounds by registry id only, and none of the chemistry
    partners' work."""
    lead = demo.user(Role.SPONSOR_LEAD)
    partner = tenancy.add_partner(
        actor=lead,
        project=demo.project,
        organization=demo.organizations[BASEL.name],
        start_date=demo.today - timedelta(days=60),
        scope_of_work="Cellular assays on coded samples: HCT116 proliferation EC50.",
    )
    tenancy.share_compounds(
        actor=lead,
        partner=partner,
        compounds="all",
        blinded=True,
        reason="Rhine tests every compound, as coded samples: the chemistry stays with us",
    )
    tenancy.add_member(
        actor=lead, project=demo.project, username="lukas", role=Role.PARTNER_LEAD, is_key=True
    )


# Later features append their own step here; each receives the Demo built so far.
STEPS: list[Callable[[Demo], None]] = [
    _people,
    _project,
    _charter,
    _biology_partner,  # a biology CRO that sees coded samples only
    meetings_demo.load,  # the weekly call whose partner attendance falls: engagement warning
    status_demo.load,  # fresh status documents (Beacon Street, Rhine), one gone stale (Deccan)
    concerns_demo.load,  # concerns in every state: one escalated, one raised confidentially
    compounds_demo.load,  # the CDK2 ligand set registered, with lots and chains of custody
    requests_demo.load,  # requests in every state; made ones link the registry's compounds
    assays_demo.load,  # four CDK2 assays with results
    series_demo.load,  # chemical series, and the compounds behind two open requests
]


def load_demo(*, today: date | None = None) -> Demo:
    """Build the demo partnership through the services, as one action.

    Its notifications land in the demo people's inboxes, but no e-mail leaves:
    the demo addresses are made up.
    """
    demo = Demo(today=today or timezone.localdate())
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        request_id(current_request_id()),
        transaction.atomic(),
    ):
        for step in STEPS:
            step(demo)
    return demo


def wipe_all_data() -> None:
    """Delete every row of every table (the audit trail too): only for a demo database."""
    audit.purge_all()  # PostgreSQL refuses DELETE on the trail; purge_all truncates it
    call_command("flush", interactive=False, verbosity=0)


def logins() -> list[tuple[str, str, str, str]]:
    """(username, role, organization, time zone) of every demo login."""
    return [(p.username, p.role.label, p.organization, p.time_zone) for p in PEOPLE]
