"""Partner walls: on a project with several partners, each partner's people see their own
organization's work and what the sponsor shares, never another partner's.

Every model holding project data declares its wall (`cobench.core.querysets`); a model
that does not fails here, so a new app cannot forget it. The doors themselves are
walked by tests/test_isolation.py (the rival intruder).
"""

import io
from datetime import date

import pytest
from django.apps import apps
from django.core.management import CommandError

from cobench.core.querysets import ProjectScopedQuerySet
from cobench.tenancy import services as tenancy

from .compounds.objects import register
from .conftest import World
from .factories import OrganizationFactory, UserFactory


def test_every_model_of_project_data_declares_its_wall():
    undeclared = []
    for model in apps.get_models():
        rows = model._default_manager.all()
        if not isinstance(rows, ProjectScopedQuerySet):
            continue
        declared = hasattr(rows, "wall") or type(rows).scope is not ProjectScopedQuerySet.scope
        if not declared:
            undeclared.append(model._meta.label)
    assert not undeclared, f"declare `wall` on the querysets of {undeclared}"


def rival_of(world: World, username: str = "rita", name: str = "Ravenna Synthesis") -> object:
    """A second partner organization on CDK2 with one scientist, `username`."""
    organization = OrganizationFactory(name=name, time_zone="Europe/Rome")
    person = UserFactory(username=username, organization=organization)
    tenancy.add_partner(
        actor=world.sponsor_lead,
        project=world.project,
        organization=organization,
        start_date=date(2026, 2, 1),
    )
    tenancy.add_member(
        actor=world.sponsor_lead, project=world.project, username=username, role="partner_lead"
    )
    return person


@pytest.fixture
def rival(world: World):
    return rival_of(world)


def test_a_new_partner_sees_only_its_own_compounds_until_the_sponsor_shares(world, rival, api):
    from cobench.compounds.models import Compound

    theirs = register(world, "CCO")  # made by Northbridge
    client = api(rival)
    listed = client.get(f"/api/v1/projects/{world.project.id}/compounds").json()
    assert theirs.compound.registry_id not in str(listed)
    assert not Compound.objects.visible_to(rival).exists()
    partner = world.project.partners.get(organization__name="Ravenna Synthesis")
    tenancy.share_compounds(
        actor=world.sponsor_lead, partner=partner, compounds="all", reason="Second source"
    )
    listed = client.get(f"/api/v1/projects/{world.project.id}/compounds").json()
    assert theirs.compound.registry_id in str(listed)


def _rival_partner(world: World):
    return world.project.partners.get(organization__name="Ravenna Synthesis")


def test_shared_by_series_a_partner_sees_that_series_and_its_own_through_every_search(
    world, rival, api
):
    from cobench.assays.sar import series as chem_series
    from cobench.compounds import services as compounds

    tagged, other = register(world, "c1ccncc1").compound, register(world, "CCCCO").compound
    picked = chem_series.create_series(
        actor=world.sponsor_lead, project=world.project, name="Pyridines", core=""
    )
    chem_series.tag_compound(actor=world.sponsor_lead, series=picked, compound=tagged)
    own = compounds.register_structure(actor=rival, project=world.project, structure="CCN").compound
    tenancy.share_compounds(
        actor=world.sponsor_lead,
        partner=_rival_partner(world),
        compounds="series",
        series=[picked],
        reason="Pyridines only",
    )
    client = api(rival)
    listed = client.get(f"/api/v1/projects/{world.project.id}/compounds").json()
    assert {c["registry_id"] for c in listed["items"]} == {tagged.registry_id, own.registry_id}
    assert listed["count"] == 2
    for mode, query in [("substructure", "*"), ("similarity", "CCCCO"), ("exact", "CCCCO")]:
        found = client.post("/api/v1/search", {"mode": mode, "query": query, "top": 100}).json()
        ids = {h["registry_id"] for h in found["hits"]}
        assert other.registry_id not in ids, mode
        if mode == "substructure":
            assert ids == {tagged.registry_id, own.registry_id}
    everything = api(world.sponsor_lead).post(
        "/api/v1/search", {"mode": "substructure", "query": "*", "top": 100}
    )
    assert other.registry_id in everything.content.decode()


def test_an_open_consortium_lets_partners_see_each_other_and_is_audited(world, rival, api):
    from cobench.audit.models import AuditEvent
    from cobench.status.services import start_status

    document = start_status(
        actor=world.partner_lead, project=world.project, sections={"progress": "Route B works"}
    ).document
    client = api(rival)
    assert client.get(f"/api/v1/status-documents/{document.id}").status_code == 404
    opened = api(world.sponsor_lead).put(
        f"/api/v1/projects/{world.project.id}/consortium",
        {"open_consortium": True, "reason": "Joint programme from March"},
    )
    assert opened.status_code == 200 and opened.json()["open_consortium"] is True
    assert client.get(f"/api/v1/status-documents/{document.id}").status_code == 200
    event = AuditEvent.objects.get(event="project.consortium_changed")
    assert event.reason == "Joint programme from March"
    assert event.changes == {"open_consortium": [False, True]}
    api(world.sponsor_lead).put(
        f"/api/v1/projects/{world.project.id}/consortium",
        {"open_consortium": False, "reason": "Back to separate work"},
    )
    assert client.get(f"/api/v1/status-documents/{document.id}").status_code == 404


def test_sharing_refuses_bad_input_and_changes_nothing(world, rival, api):
    from cobench.assays.sar import series as chem_series

    partner = _rival_partner(world)
    path = f"/api/v1/partners/{partner.id}/compounds"
    elsewhere = chem_series.create_series(
        actor=world.other_lead, project=world.other_project, name="KRAS cores", core=""
    )
    sponsor = api(world.sponsor_lead)
    bad = [
        ({"compounds": "everything", "reason": "x"}, 422),
        ({"compounds": "all"}, 422),
        ({"compounds": "all", "reason": "   "}, 422),
        ({"compounds": "series", "reason": "no series named"}, 422),
        ({"compounds": "series", "series_ids": [str(elsewhere.id)], "reason": "x"}, 422),
        ({"compounds": "series", "series_ids": ["not-a-uuid"], "reason": "x"}, 422),
        ({"compounds": ["all"], "reason": "x"}, 422),
    ]
    for body, status in bad:
        assert sponsor.put(path, {**body, "version": 1}).status_code == status, body
    assert sponsor.put(path, {"compounds": "all", "reason": "x"}).status_code == 428
    as_partner = api(world.partner_lead).put(
        path, {"compounds": "all", "reason": "x", "version": 1}
    )
    assert as_partner.status_code == 404  # another partner's partnership does not exist for it
    other_partner = world.other_project.partners.get()
    assert (
        sponsor.put(
            f"/api/v1/partners/{other_partner.id}/compounds",
            {"compounds": "all", "reason": "x", "version": 1},
        ).status_code
        == 404
    )
    partner.refresh_from_db()
    assert (partner.compounds, partner.version) == ("own", 1)


def test_a_partner_is_not_told_of_another_partners_work(world, rival):
    from cobench.compound_requests import services as requests
    from cobench.concerns import services as concerns
    from cobench.notifications.models import Notification

    requests.create_request(
        actor=world.sponsor_lead,
        project=world.project,
        structure="c1ccccc1O",
        rationale="Phenol probe for Northbridge",
        partner=world.partner,
    )
    concerns.raise_concern(
        actor=world.partner_lead,
        project=world.project,
        title="Late deliveries of reagents",
        description="Two weeks behind.",
        category="timeline",
        severity="medium",
    )
    assert Notification.objects.filter(recipient=world.partner_lead).exists()
    told = Notification.objects.filter(recipient=rival)
    assert not told.filter(title__icontains="Phenol").exists()
    assert not told.filter(body__icontains="Northbridge").exists()
    assert not told.filter(title__icontains="Late deliveries").exists()


def test_the_sponsor_sets_what_a_partner_sees_from_the_page_and_the_command_line(world, rival, web):
    from django.core.management import call_command

    partner = _rival_partner(world)
    client = web(world.sponsor_lead)
    page = f"/projects/{world.project.id}/partners/{partner.id}/sharing/"
    assert client.get(page).status_code == 200
    refused = client.post(page, {"compounds": "all", "version": partner.version})
    assert refused.status_code == 422 and "Why?" in refused.content.decode()
    saved = client.post(page, {"compounds": "all", "reason": "Second source", "version": 1})
    assert saved.status_code == 302
    partner.refresh_from_db()
    assert partner.compounds == "all"
    listing = client.get(f"/projects/{world.project.id}/partners/").content.decode()
    assert "All of the project" in listing and "Partner walls" in listing
    assert web(rival).get(page).status_code == 403

    out = io.StringIO()
    call_command(
        "project",
        "share-compounds",
        "Ravenna Synthesis",
        "--as=alice",
        "--project=PRJ-CDK2",
        "--compounds=own",
        "--reason=Back to its own compounds",
        stdout=out,
    )
    assert "Ravenna Synthesis: Only its own" in out.getvalue()
    with pytest.raises(CommandError, match="Say why"):
        call_command("project", "consortium", "on", "--as=alice", "--project=PRJ-CDK2", stdout=out)
    with pytest.raises(CommandError, match="No partner"):
        call_command(
            "project",
            "share-compounds",
            "Kestrel Labs",
            "--as=alice",
            "--project=PRJ-CDK2",
            "--compounds=all",
            "--reason=x",
        )
