"""The partner organizations of a project, through the Partners tab."""

import pytest

from cobench.tenancy.models import ProjectMember, ProjectPartner
from cobench.tenancy.services import remove_member, update_partner
from tests.factories import OrganizationFactory


@pytest.fixture
def partners_url(world):
    return f"/projects/{world.project.id}/partners/"


@pytest.fixture
def northbridge(world):
    return world.project.partners.get(organization=world.partner)


def test_every_member_sees_the_partners_with_their_dates_and_scope(web, world, partners_url):
    world.partner.country = "Canada"
    world.partner.save()
    page = web(world.partner_scientist).get(partners_url).content.decode()
    for text in ["Northbridge Chemistry", "Canada", "America/Toronto", "5 Jan 2026", "open"]:
        assert text in page, text
    assert "Medicinal chemistry" in page
    assert "Add a partner" not in page and "Remove…" not in page


def test_the_partners_tab_sits_next_to_members(web, world, partners_url):
    page = web(world.executive).get(f"/projects/{world.project.id}/").content.decode()
    assert page.index("/members/") < page.index(partners_url) < page.index("/history/")


def test_only_organizations_not_yet_on_the_project_can_be_added(web, world, partners_url):
    page = web(world.sponsor_lead).get(partners_url).content.decode()
    add_form = page[page.index('id="add-partner"') :]
    assert "Kestrel Labs" in add_form and "Elsewhere Pharma" in add_form
    assert "Helix Bio" not in add_form and "Northbridge" not in add_form


def test_sponsor_lead_adds_a_partner(web, world, partners_url):
    client = web(world.sponsor_lead)
    response = client.post(
        partners_url,
        {
            "organization": world.other_partner.pk,
            "start_date": "2026-03-01",
            "end_date": "2026-12-31",
            "scope_of_work": "DMPK assays",
        },
    )
    assert response.status_code == 302
    added = world.project.partners.get(organization=world.other_partner)
    assert str(added.start_date) == "2026-03-01" and added.scope_of_work == "DMPK assays"
    page = client.get(partners_url).content.decode()
    assert "Kestrel Labs is now a partner on PRJ-CDK2" in page and "31 Dec 2026" in page


def test_an_end_before_the_start_is_explained_and_the_input_kept(web, world, partners_url):
    response = web(world.sponsor_lead).post(
        partners_url,
        {
            "organization": world.other_partner.pk,
            "start_date": "2026-03-01",
            "end_date": "2026-01-01",
            "scope_of_work": "DMPK assays",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Must be on or after the start date." in page and "DMPK assays" in page
    assert not world.project.partners.filter(organization=world.other_partner).exists()


def test_the_sponsor_or_a_current_partner_cannot_be_added(web, world, partners_url):
    client = web(world.sponsor_lead)
    for organization in [world.sponsor, world.partner]:
        response = client.post(
            partners_url, {"organization": organization.pk, "start_date": "2026-03-01"}
        )
        assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    response = client.post(partners_url, {"organization": world.other_partner.pk})
    assert response.status_code == 422 and "This field is required." in response.content.decode()
    assert world.project.partners.count() == 1


def test_only_the_sponsor_lead_manages_partners(web, world, partners_url, northbridge):
    newcomer = OrganizationFactory(name="Newcomer AG")
    edit = f"{partners_url}{northbridge.id}/"
    for who in ["partner_lead", "sponsor_scientist", "executive", "auditor"]:
        client = web(getattr(world, who))
        add = client.post(partners_url, {"organization": newcomer.pk, "start_date": "2026-03-01"})
        assert add.status_code == 403, who
        assert client.get(edit).status_code == 403, who
        assert client.post(edit, {"start_date": "2020-01-01", "version": 1}).status_code == 403
        assert client.post(f"{edit}remove/", {"reason": "x"}).status_code == 403, who
    assert world.project.partners.count() == 1
    northbridge.refresh_from_db()
    assert str(northbridge.start_date) == "2026-01-05"


def test_sponsor_lead_changes_a_partners_dates_and_scope(web, world, partners_url, northbridge):
    url = f"{partners_url}{northbridge.id}/"
    client = web(world.sponsor_lead)
    assert 'value="2026-01-05"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "start_date": "2026-01-12",
            "end_date": "2027-06-30",
            "scope_of_work": "Medicinal chemistry and scale-up",
            "version": northbridge.version,
        },
    )
    assert response.status_code == 302 and response["Location"] == partners_url
    northbridge.refresh_from_db()
    assert str(northbridge.end_date) == "2027-06-30"
    assert northbridge.scope_of_work == "Medicinal chemistry and scale-up"


def test_a_bad_partner_change_is_refused_beside_its_field(web, world, partners_url, northbridge):
    url = f"{partners_url}{northbridge.id}/"
    client = web(world.sponsor_lead)
    response = client.post(
        url, {"start_date": "2026-01-05", "end_date": "2025-01-01", "version": northbridge.version}
    )
    assert response.status_code == 422
    assert "Must be on or after the start date." in response.content.decode()
    response = client.post(url, {"start_date": "not a date", "version": northbridge.version})
    assert response.status_code == 422 and "Enter a valid date." in response.content.decode()
    northbridge.refresh_from_db()
    assert northbridge.end_date is None


def test_a_stale_partner_change_keeps_my_input(web, world, partners_url, northbridge):
    loaded = northbridge.version
    update_partner(
        actor=world.sponsor_lead,
        partner=northbridge,
        expected_version=loaded,
        scope_of_work="Changed meanwhile",
    )
    response = web(world.sponsor_lead).post(
        f"{partners_url}{northbridge.id}/",
        {"start_date": "2026-01-05", "scope_of_work": "My scope", "version": loaded},
    )
    assert response.status_code == 412
    page = response.content.decode()
    assert "Someone else changed this" in page and "Changed meanwhile" in page
    assert "My scope" in page and f'name="version" value="{loaded + 1}"' in page
    northbridge.refresh_from_db()
    assert northbridge.scope_of_work == "Changed meanwhile"


def test_a_partner_with_members_cannot_be_removed(web, world, partners_url, northbridge):
    url = f"{partners_url}{northbridge.id}/remove/"
    client = web(world.sponsor_lead)
    assert "still has 2 members" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Contract ended"})
    assert response.status_code == 409
    assert "still has members on PRJ-CDK2; remove them first." in response.content.decode()
    assert ProjectPartner.objects.filter(pk=northbridge.pk).exists()


def test_removing_a_partner_needs_a_reason(web, world, partners_url, northbridge):
    response = web(world.sponsor_lead).post(f"{partners_url}{northbridge.id}/remove/", {})
    assert response.status_code == 422 and "This field is required." in response.content.decode()
    assert ProjectPartner.objects.filter(pk=northbridge.pk).exists()


def test_sponsor_lead_removes_a_partner_without_members(web, world, partners_url, northbridge):
    for member in ProjectMember.objects.filter(project=world.project, organization=world.partner):
        remove_member(actor=world.sponsor_lead, member=member, reason="Contract ended")
    client = web(world.sponsor_lead)
    response = client.post(f"{partners_url}{northbridge.id}/remove/", {"reason": "Contract ended"})
    assert response.status_code == 302
    assert not world.project.partners.exists()
    page = client.get(partners_url).content.decode()
    assert "Northbridge Chemistry left PRJ-CDK2" in page and "No partner organization yet" in page


def test_a_partner_of_another_project_is_not_found_here(web, world, partners_url):
    kestrel = world.other_project.partners.get()
    client = web(world.sponsor_lead)
    assert client.get(f"{partners_url}{kestrel.id}/").status_code == 404
    assert client.post(f"{partners_url}{kestrel.id}/remove/", {"reason": "x"}).status_code == 404
    assert world.other_project.partners.exists()
