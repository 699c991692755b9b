"""Starting a project and changing its settings through the pages."""

from cobench.core.permissions import Role
from cobench.tenancy.models import Project, ProjectMember
from cobench.tenancy.services import update_project


def test_everyone_who_works_for_an_organization_may_start_a_project(web, world):
    page = web(world.outsider).get("/").content.decode()
    assert "New project" in page
    form = web(world.outsider).get("/projects/new/").content.decode()
    assert "Elsewhere Pharma" in form and "Helix Bio" not in form


def test_starting_a_project_makes_me_its_sponsor_lead(web, world):
    client = web(world.outsider)
    response = client.post(
        "/projects/new/",
        {
            "code": "prj-brd4",
            "name": "BRD4 probes",
            "description": "Chemical probes for BRD4.",
            "phase": Project.Phase.LEAD_OPTIMIZATION,
            "sponsor": world.outsider_org.pk,
        },
    )
    project = Project.objects.get(code="PRJ-BRD4")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.id}/"
    assert project.sponsor == world.outsider_org and project.phase == "lead_optimization"
    lead = ProjectMember.objects.get(project=project, user=world.outsider)
    assert lead.role == Role.SPONSOR_LEAD
    page = client.get(response["Location"]).content.decode()
    assert "PRJ-BRD4 is started" in page and "Chemical probes for BRD4." in page


def test_a_taken_project_code_is_explained_beside_the_field(web, world):
    response = web(world.sponsor_lead).post(
        "/projects/new/",
        {"code": "prj-cdk2", "name": "Again", "phase": "hit_to_lead", "sponsor": world.sponsor.pk},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Already in use." in page and 'value="Again"' in page
    assert Project.objects.filter(code="PRJ-CDK2").count() == 1


def test_a_project_cannot_be_sponsored_by_an_organization_one_does_not_work_for(web, world):
    response = web(world.outsider).post(
        "/projects/new/",
        {"code": "PRJ-X", "name": "X", "phase": "hit_to_lead", "sponsor": world.sponsor.pk},
    )
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    assert not Project.objects.filter(code="PRJ-X").exists()


def test_missing_fields_are_named(web, world):
    response = web(world.sponsor_lead).post("/projects/new/", {"phase": "nonsense"})
    assert response.status_code == 422
    page = response.content.decode()
    assert page.count("This field is required.") == 3 and "Select a valid choice" in page


def test_someone_of_no_organization_is_told_why_they_cannot_start_one(web, world):
    from tests.factories import UserFactory

    loner = UserFactory(username="lou")
    assert "New project" not in web(loner).get("/").content.decode()
    page = web(loner).get("/projects/new/").content.decode()
    assert (
        "You work for no organization" in page
        and '<form method="post" action="/projects/new/"' not in page
    )


def settings_url(world):
    return f"/projects/{world.project.id}/settings/"


def test_sponsor_lead_sees_a_settings_tab_and_others_do_not(web, world):
    home = f"/projects/{world.project.id}/"
    assert "Settings" in web(world.sponsor_lead).get(home).content.decode()
    for who in ["partner_lead", "sponsor_scientist", "auditor"]:
        assert settings_url(world) not in web(getattr(world, who)).get(home).content.decode()


def test_sponsor_lead_changes_the_project_with_a_reason(web, world):
    response = web(world.sponsor_lead).post(
        settings_url(world),
        {
            "name": "CDK2 selective inhibitors",
            "description": "Now selective over CDK1.",
            "phase": "lead_optimization",
            "status": "on_hold",
            "reason": "Leadership review, 3 March",
            "version": world.project.version,
        },
    )
    assert response.status_code == 302
    world.project.refresh_from_db()
    assert world.project.name == "CDK2 selective inhibitors"
    assert (world.project.phase, world.project.status) == ("lead_optimization", "on_hold")
    history = web(world.auditor).get(f"/history/tenancy.project/{world.project.id}/")
    assert "Leadership review, 3 March" in history.content.decode()


def test_a_stale_settings_form_keeps_my_input_and_says_what_changed(web, world):
    loaded = world.project.version
    update_project(
        actor=world.sponsor_lead,
        project=world.project,
        expected_version=loaded,
        name="Renamed meanwhile",
    )
    response = web(world.sponsor_lead).post(
        settings_url(world),
        {"name": "My new name", "phase": "candidate", "status": "active", "version": loaded},
    )
    assert response.status_code == 412
    page = response.content.decode()
    assert "Someone else changed this" in page and "Nothing you typed is lost" in page
    assert 'value="My new name"' in page and "Renamed meanwhile" in page
    # the form is now based on the stored version: saving again is a deliberate overwrite
    assert f'name="version" value="{loaded + 1}"' in page
    world.project.refresh_from_db()
    assert world.project.name == "Renamed meanwhile"


def test_bad_settings_input_is_refused_beside_its_field(web, world):
    response = web(world.sponsor_lead).post(
        settings_url(world),
        {"name": "", "phase": "done", "status": "active", "version": world.project.version},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required." in page and "Select a valid choice" in page
    world.project.refresh_from_db()
    assert world.project.name == "CDK2 inhibitors"


def test_only_the_sponsor_lead_may_change_the_settings(web, world):
    for who in ["partner_lead", "sponsor_scientist", "executive", "auditor"]:
        client = web(getattr(world, who))
        assert client.get(settings_url(world)).status_code == 403, who
        response = client.post(
            settings_url(world),
            {"name": "Mine", "phase": "gmp", "status": "closed", "version": 1},
        )
        assert response.status_code == 403, who
    world.project.refresh_from_db()
    assert world.project.name == "CDK2 inhibitors"
    for who in ["outsider", "other_member"]:
        assert web(getattr(world, who)).get(settings_url(world)).status_code == 404
