"""Managing who is on a project, and one's own API tokens, through the pages."""

import pytest

from cobench.core.permissions import Role
from cobench.tenancy.models import ApiToken, ProjectMember
from cobench.tenancy.services import authenticate_token, create_api_token
from tests.factories import UserFactory


@pytest.fixture
def members_url(world):
    return f"/projects/{world.project.id}/members/"


def member(world, user):
    return ProjectMember.objects.get(project=world.project, user=user)


def test_members_page_lists_people_roles_and_key_flags(web, world, members_url):
    page = web(world.partner_scientist).get(members_url).content.decode()
    for text in ["Alice Tester", "Paula Tester", "Quinn Tester", "QA auditor", "Northbridge"]:
        assert text in page
    assert "Add a member" not in page and "Remove…" not in page


def test_sponsor_lead_adds_a_member(web, world, members_url):
    newcomer = UserFactory(username="nina", organization=world.partner)
    client = web(world.sponsor_lead)
    assert "Nina Tester (Northbridge Chemistry)" in client.get(members_url).content.decode()
    response = client.post(
        members_url, {"user": newcomer.pk, "role": Role.PARTNER_SCIENTIST, "is_key": "on"}
    )
    assert response.status_code == 302
    added = member(world, newcomer)
    assert added.role == Role.PARTNER_SCIENTIST and added.is_key
    assert "Nina Tester joined PRJ-CDK2" in client.get(members_url).content.decode()


def test_a_role_from_the_wrong_side_is_explained(web, world, members_url):
    newcomer = UserFactory(username="nina", organization=world.partner)
    response = web(world.sponsor_lead).post(
        members_url, {"user": newcomer.pk, "role": Role.SPONSOR_SCIENTIST}
    )
    assert response.status_code == 422
    assert "Not a sponsor-side role for this person." in response.content.decode()
    assert not ProjectMember.objects.filter(user=newcomer).exists()


def test_people_of_other_organizations_cannot_be_picked(web, world, members_url):
    page = web(world.sponsor_lead).get(members_url).content.decode()
    assert "Oscar" not in page and "Olga" not in page
    response = web(world.sponsor_lead).post(
        members_url, {"user": world.outsider.pk, "role": Role.PARTNER_SCIENTIST}
    )
    assert response.status_code == 422
    assert not ProjectMember.objects.filter(user=world.outsider).exists()


def test_change_role_and_key_flag(web, world):
    pete = member(world, world.partner_scientist)
    url = f"/projects/{world.project.id}/members/{pete.id}/"
    response = web(world.partner_lead).post(
        url, {"role": Role.PARTNER_LEAD, "version": pete.version}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "Saved" in response.content.decode()
    assert "<html" not in response.content.decode()
    pete.refresh_from_db()
    assert pete.role == Role.PARTNER_LEAD and not pete.is_key


def test_a_stale_member_change_is_refused(web, world):
    pete = member(world, world.partner_scientist)
    url = f"/projects/{world.project.id}/members/{pete.id}/"
    client = web(world.sponsor_lead)
    client.post(url, {"role": pete.role, "version": pete.version})
    response = client.post(url, {"role": Role.PARTNER_LEAD, "version": pete.version})
    assert response.status_code == 412 and "Someone else changed this" in response.content.decode()
    pete.refresh_from_db()
    assert pete.role == Role.PARTNER_SCIENTIST


def test_partner_lead_cannot_change_sponsor_people(web, world):
    sam = member(world, world.sponsor_scientist)
    url = f"/projects/{world.project.id}/members/{sam.id}/"
    response = web(world.partner_lead).post(url, {"role": Role.EXECUTIVE, "version": sam.version})
    assert response.status_code == 403
    assert "own organization only" in response.content.decode()
    sam.refresh_from_db()
    assert sam.role == Role.SPONSOR_SCIENTIST


def test_remove_a_member_needs_a_reason(web, world):
    pete = member(world, world.partner_scientist)
    url = f"/projects/{world.project.id}/members/{pete.id}/remove/"
    client = web(world.sponsor_lead)
    assert "Why is this person leaving" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 422 and "This field is required" in response.content.decode()
    assert client.post(url, {"reason": "Moved to another project"}).status_code == 302
    assert not ProjectMember.objects.filter(pk=pete.pk).exists()


def test_the_last_sponsor_lead_cannot_be_removed(web, world):
    alice = member(world, world.sponsor_lead)
    url = f"/projects/{world.project.id}/members/{alice.id}/remove/"
    response = web(world.sponsor_lead).post(url, {"reason": "Leaving"})
    assert response.status_code == 409
    assert "at least one sponsor lead" in response.content.decode()


@pytest.mark.parametrize("who", ["auditor", "executive", "sponsor_scientist"])
def test_readers_cannot_manage_members(web, world, members_url, who):
    client = web(getattr(world, who))
    pete = member(world, world.partner_scientist)
    newcomer = UserFactory(username="nina", organization=world.partner)
    assert (
        client.post(members_url, {"user": newcomer.pk, "role": "partner_scientist"}).status_code
        == 403
    )
    edit = f"/projects/{world.project.id}/members/{pete.id}/"
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"role": "partner_lead", "version": pete.version}).status_code == 403
    assert client.post(f"{edit}remove/", {"reason": "x"}).status_code == 403
    assert ProjectMember.objects.filter(project=world.project).count() == 6


def test_a_member_of_another_project_is_not_found_here(web, world):
    olga = ProjectMember.objects.get(user=world.other_member)
    url = f"/projects/{world.project.id}/members/{olga.id}/"
    assert web(world.sponsor_lead).get(url).status_code == 404


# API tokens --------------------------------------------------------------------------


def test_a_new_token_is_shown_once(web, world):
    client = web(world.partner_scientist)
    response = client.post("/tokens/", {"name": "ELN sync", "days": 30})
    page = response.content.decode()
    assert response.status_code == 201
    assert "only time it is shown" in page
    secret = page.split('id="token-secret">', 1)[1].split("<", 1)[0]
    assert authenticate_token(secret) == world.partner_scientist
    again = client.get("/tokens/").content.decode()
    assert "ELN sync" in again and secret not in again
    assert ApiToken.objects.get(name="ELN sync").prefix in again


def test_a_token_needs_a_name(web, world):
    response = web(world.partner_scientist).post("/tokens/", {"name": " ", "days": 30})
    assert response.status_code == 422 and "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it(web, world):
    token, secret = create_api_token(actor=world.auditor, name="script")
    client = web(world.auditor)
    url = f"/tokens/{token.id}/revoke/"
    assert "Revoke “script”?" in client.get(url).content.decode()
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "revoked" in response.content.decode()
    assert authenticate_token(secret) is None
    assert "revoked" in client.get("/tokens/").content.decode()


def test_someone_elses_token_is_not_found(web, world):
    token, secret = create_api_token(actor=world.sponsor_lead, name="alice's laptop")
    client = web(world.partner_lead)
    assert client.get(f"/tokens/{token.id}/revoke/").status_code == 404
    assert client.post(f"/tokens/{token.id}/revoke/").status_code == 404
    assert "alice's laptop" not in client.get("/tokens/").content.decode()
    assert authenticate_token(secret) == world.sponsor_lead
