"""Every CDK2 page opens for its members and for nobody else."""

from zoneinfo import ZoneInfo

import pytest
from django.utils.timezone import localtime

MEMBERS = [
    "sponsor_lead",
    "sponsor_scientist",
    "partner_lead",
    "partner_scientist",
    "executive",
    "auditor",
]


def test_anonymous_visitor_is_sent_to_log_in(web, urls):
    for url in ["/", "/tokens/", *urls.values()]:
        response = web(None).get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_log_in_with_password_leads_to_my_projects(web, world):
    client = web(None)
    response = client.post(
        "/login/", {"username": "alice", "password": world.password}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "PRJ-CDK2" in response.content.decode()


def test_wrong_password_does_not_log_in(web, world):
    response = web(None).post("/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_logout_is_a_post(web, world):
    client = web(world.sponsor_lead)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("who", MEMBERS)
def test_every_project_page_opens_for_every_member(web, world, urls, who):
    client = web(getattr(world, who))
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "PRJ-CDK2" in response.content.decode(), name


@pytest.mark.parametrize("who", ["outsider", "other_member"])
def test_people_off_the_project_get_not_found(web, world, urls, who):
    client = web(getattr(world, who))
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 404, name
        assert "CDK2" not in response.content.decode(), name


def test_project_list_shows_only_my_projects(web, world):
    page = web(world.other_member).get("/").content.decode()
    assert "PRJ-KRAS" in page and "PRJ-CDK2" not in page
    page = web(world.outsider).get("/").content.decode()
    assert "You are not on any project yet" in page


def test_project_home_shows_facts_partners_charter_and_places_for_later(web, world, v1):
    page = web(world.partner_scientist).get(f"/projects/{world.project.id}/").content.decode()
    for text in [
        "CDK2 inhibitors",
        "Helix Bio",
        "Hit-to-lead",
        "Active",
        "Northbridge Chemistry",
        "Medicinal chemistry",
        "Version 1",
        "draft",
        "5 Jan 2026",
        "Meetings",
        "Status",
        "Concerns",
        "Compounds",
        "No compound requested yet",
    ]:
        assert text in page, text


def test_project_home_lists_what_the_charter_does_not_answer(web, world):
    from cobench.charters.services import revise_charter

    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        reason="Start",
        content={"meeting_cadence": "weekly"},
        base_number=0,
    )
    page = web(world.executive).get(f"/projects/{world.project.id}/").content.decode()
    assert "No partner lead named in the team." in page


def test_times_are_shown_in_the_viewers_time_zone(web, world, v1):
    world.partner_lead.time_zone = "America/Toronto"
    world.partner_lead.save()
    world.sponsor_lead.time_zone = "Asia/Tokyo"
    world.sponsor_lead.save()
    url = f"/projects/{world.project.id}/charter/{v1.id}/"
    for user, zone in [(world.partner_lead, "America/Toronto"), (world.sponsor_lead, "Asia/Tokyo")]:
        shown = localtime(v1.created_at, ZoneInfo(zone)).strftime("%H:%M %Z")
        assert shown in web(user).get(url).content.decode(), zone


def test_key_facts_come_from_the_signed_charter_not_a_newer_draft(world, web):
    from cobench.charters.services import revise_charter, sign_charter

    v1 = revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(status_update_cadence_days=7),
        reason="Kickoff",
        base_number=0,
    )
    for lead in (world.sponsor_lead, world.partner_lead):
        sign_charter(actor=lead, version=v1, password=world.password, meaning="Approved")
    revise_charter(
        actor=world.partner_lead,
        project=world.project,
        content=world.charter(status_update_cadence_days=21),
        reason="Fewer updates",
        base_number=1,
    )
    page = web(world.sponsor_scientist).get(f"/projects/{world.project.id}/").content.decode()
    assert "every 7 days" in page and "every 21 days" not in page
    assert "From charter version 1 (signed)" in page
