"""Writing, comparing and signing the charter through its pages."""

import pytest

from cobench.charters.models import CharterVersion
from cobench.charters.services import revise_charter, sign_charter


def edit_form(world, **changes):
    """What the edit form posts for the world's complete charter, with `changes` applied."""
    data = {
        "base_number": 1,
        "reason": "Meeting slot fixed",
        "start_date": "2026-01-05",
        "end_date": "2027-06-30",
        "methods": "Parallel medicinal chemistry, 50 mg scale.",
        "client_responsibilities": "Assays within 10 working days.",
        "decision_rights": "Sponsor picks compounds and approves route changes.",
        "meeting_cadence": "weekly",
        "status_update_cadence_days": "14",
        "fte_budget": "6.0",
        "effort_cap_hours_per_compound": "80",
        "attempt_cap_per_compound": "5",
        "team-0-name": "Alice Sponsor",
        "team-0-organization": world.sponsor.name,
        "team-0-role": "sponsor_lead",
        "team-1-name": "Paula Partner",
        "team-1-organization": world.partner.name,
        "team-1-role": "partner_lead",
        "milestones-0-name": "First 20 analogues",
        "milestones-0-due": "2026-04-01",
        "sites-0-name": "Northbridge R&D",
        "sites-0-organization": world.partner.name,
        "sites-0-facility_type": "rd_lab",
        "work_packages-0-name": "WP1 Hinge binders",
        "escalation_ladder-0-level": "1",
        "escalation_ladder-0-who": "Project leads",
        "escalation_ladder-0-response_hours.low": "72",
        "escalation_ladder-0-response_hours.medium": "48",
        "escalation_ladder-0-response_hours.high": "24",
        "escalation_ladder-0-response_hours.critical": "4",
        "success_metrics-0-value": "IC50 < 100 nM",
        "decision_points-0-name": "Lead series chosen",
        "decision_points-0-due": "2026-09-30",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def edit_url(world):
    return f"/projects/{world.project.id}/charter/edit/"


def test_edit_form_starts_from_the_latest_version(web, world, v1, edit_url):
    page = web(world.partner_lead).get(edit_url).content.decode()
    assert 'name="base_number" value="1"' in page
    assert 'value="Lead series chosen"' in page and "will become version 2" in page


def test_saving_the_form_unchanged_but_for_one_field_writes_version_2(web, world, v1, edit_url):
    paula = web(world.partner_lead)
    response = paula.post(edit_url, edit_form(world, meeting_cadence="Tuesdays"))
    v2 = CharterVersion.objects.get(project=world.project, number=2)
    assert response.status_code == 302 and response["Location"].endswith(f"/charter/{v2.id}/")
    assert v2.reason == "Meeting slot fixed"
    assert v2.content["meeting_cadence"] == "Tuesdays"
    assert v2.content["escalation_ladder"] == v1.content["escalation_ladder"]
    assert v2.content["team"] == v1.content["team"]
    page = paula.get(response["Location"]).content.decode()
    assert "Version 2 written" in page and "Tuesdays" in page


def test_rows_can_be_added_and_removed(web, world, v1, edit_url):
    form = edit_form(
        world,
        **{
            "milestones-0-name": None,
            "milestones-0-due": None,
            "milestones-7-name": "Route scouting",
            "milestones-7-due": "2026-02-01",
            "success_metrics-3-value": "Solubility > 50 µM",
        },
    )
    assert web(world.sponsor_lead).post(edit_url, form).status_code == 302
    content = CharterVersion.objects.get(project=world.project, number=2).content
    assert [m["name"] for m in content["milestones"]] == ["Route scouting"]
    assert content["success_metrics"] == ["IC50 < 100 nM", "Solubility > 50 µM"]


def test_the_first_version_is_written_from_an_empty_form(web, world, edit_url):
    response = web(world.sponsor_lead).post(
        edit_url, {"base_number": 0, "reason": "Kickoff", "meeting_cadence": "weekly"}
    )
    assert response.status_code == 302
    version = CharterVersion.objects.get(project=world.project)
    assert version.number == 1 and version.content["meeting_cadence"] == "weekly"


def test_a_reason_is_required_and_nothing_typed_is_lost(web, world, v1, edit_url):
    response = web(world.sponsor_lead).post(
        edit_url, edit_form(world, reason="", meeting_cadence="Fridays")
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Say why the charter changes." in page
    assert 'value="Fridays"' in page
    assert CharterVersion.objects.filter(project=world.project).count() == 1


def test_bad_fields_are_named_beside_their_inputs(web, world, v1, edit_url):
    response = web(world.sponsor_lead).post(
        edit_url, edit_form(world, **{"milestones-0-due": "", "team-1-role": ""})
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "The charter was not saved" in page
    assert "Milestones › #1 › Due" in page
    assert "Team › #2 › Role" in page
    assert 'value="Paula Partner"' in page  # the rest of the input is kept
    assert CharterVersion.objects.filter(project=world.project).count() == 1


def test_a_timeline_that_ends_before_it_starts_is_refused(web, world, v1, edit_url):
    response = web(world.sponsor_lead).post(edit_url, edit_form(world, end_date="2025-01-01"))
    assert response.status_code == 422
    assert "End date: the project cannot end before it starts" in response.content.decode()


def test_an_edit_based_on_a_stale_version_shows_the_conflict_and_keeps_input(
    web, world, v1, edit_url
):
    # paula opened the form on version 1; meanwhile alice wrote version 2
    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        base_number=1,
        content=world.charter(meeting_cadence="fortnightly"),
        reason="Fewer meetings",
    )
    response = web(world.partner_lead).post(
        edit_url, edit_form(world, attempt_cap_per_compound="3", reason="Tighter cap")
    )
    page = response.content.decode()
    assert response.status_code == 412
    assert "Someone else saved a new version while you were editing" in page
    assert "Nothing you typed is lost" in page
    assert "fortnightly" in page and "Fewer meetings" in page  # what they changed
    assert 'name="attempt_cap_per_compound" id="id_attempt_cap_per_compound" value="3"' in page
    assert "Tighter cap" in page
    assert CharterVersion.objects.filter(project=world.project).count() == 2
    # saving again, having seen their change, is deliberate: it builds on version 2
    assert 'name="base_number" value="2"' in page


def test_two_editors_at_once_never_overwrite_silently(web, world, v1, edit_url):
    alice, paula = web(world.sponsor_lead), web(world.partner_lead)
    assert alice.post(edit_url, edit_form(world, meeting_cadence="A")).status_code == 302
    assert paula.post(edit_url, edit_form(world, meeting_cadence="B")).status_code == 412
    latest = CharterVersion.objects.filter(project=world.project).order_by("-number").first()
    assert latest.number == 2 and latest.content["meeting_cadence"] == "A"


@pytest.mark.parametrize("who", ["auditor", "executive", "sponsor_scientist", "partner_scientist"])
def test_readers_cannot_edit_the_charter(web, world, v1, edit_url, who):
    client = web(getattr(world, who))
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, edit_form(world, meeting_cadence="x")).status_code == 403
    page = client.get(f"/projects/{world.project.id}/charter/").content.decode()
    assert edit_url not in page and "Sign this version" not in page
    assert CharterVersion.objects.filter(project=world.project).count() == 1


def test_compare_shows_each_changed_field(web, world, v1):
    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        base_number=1,
        content=world.charter(meeting_cadence="fortnightly", attempt_cap_per_compound=3),
        reason="Less",
    )
    url = f"/projects/{world.project.id}/charter/compare/"
    page = web(world.auditor).get(url, {"old": 1, "new": 2}).content.decode()
    assert "2</strong> fields differ" in page
    assert "Meeting cadence" in page and "weekly" in page and "fortnightly" in page
    assert "Attempt cap per compound" in page
    partial = web(world.auditor).get(url, {"old": 2, "new": 2}, headers={"HX-Request": "true"})
    assert (
        "<html" not in partial.content.decode()
        and "Pick two different versions" in partial.content.decode()
    )
    assert web(world.auditor).get(url, {"old": 9, "new": 1}).status_code == 404


@pytest.fixture
def sign_url(world, v1):
    return f"/projects/{world.project.id}/charter/{v1.id}/sign/"


def test_both_leads_sign_and_the_page_says_signed(web, world, v1, sign_url):
    alice, paula = web(world.sponsor_lead), web(world.partner_lead)
    r = alice.post(sign_url, {"password": world.password, "meaning": "Approved as sponsor lead"})
    assert r.status_code == 302
    page = alice.get(r["Location"]).content.decode()
    assert "partly signed" in page and "Approved as sponsor lead" in page
    assert "Awaiting:</strong> Northbridge Chemistry" in page
    r = paula.post(sign_url, {"password": world.password, "meaning": "Approved as partner lead"})
    page = paula.get(r["Location"]).content.decode()
    assert "Signed by all parties" in page
    assert "Alice Tester" in page and "Paula Tester" in page and "Helix Bio" in page


def test_a_wrong_password_signs_nothing(web, world, v1, sign_url):
    response = web(world.sponsor_lead).post(sign_url, {"password": "guess", "meaning": "OK"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "The password is not correct" in page
    assert 'value="OK"' in page  # the meaning stays
    assert not v1.signatures.exists()


def test_the_meaning_is_required(web, world, v1, sign_url):
    response = web(world.sponsor_lead).post(sign_url, {"password": world.password, "meaning": " "})
    assert response.status_code == 422 and "This field is required" in response.content.decode()
    assert not v1.signatures.exists()


def test_signing_twice_for_one_organization_is_refused(web, world, v1, sign_url):
    sign_charter(actor=world.sponsor_lead, version=v1, password=world.password, meaning="Yes")
    response = web(world.sponsor_lead).post(
        sign_url, {"password": world.password, "meaning": "Again"}
    )
    assert response.status_code == 409
    assert "Helix Bio has already signed version 1" in response.content.decode()
    assert v1.signatures.count() == 1


def test_a_signed_version_cannot_be_signed_or_changed(web, world, v1, sign_url, edit_url):
    sign_charter(actor=world.sponsor_lead, version=v1, password=world.password, meaning="Yes")
    sign_charter(actor=world.partner_lead, version=v1, password=world.password, meaning="Yes")
    response = web(world.partner_lead).post(sign_url, {"password": world.password, "meaning": "x"})
    assert response.status_code == 409 and "already signed" in response.content.decode()
    page = web(world.sponsor_lead).get(f"/projects/{world.project.id}/charter/").content.decode()
    assert "Amend (new version)" in page and "Sign this version" not in page
    before = v1.content
    v1.refresh_from_db()
    assert v1.content == before and v1.signatures.count() == 2


def test_a_superseded_version_cannot_be_signed(web, world, v1, sign_url):
    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        base_number=1,
        content=world.charter(meeting_cadence="daily"),
        reason="More",
    )
    response = web(world.sponsor_lead).post(sign_url, {"password": world.password, "meaning": "x"})
    assert response.status_code == 409
    assert "superseded by version 2" in response.content.decode()
    page = web(world.sponsor_lead).get(f"/projects/{world.project.id}/charter/{v1.id}/")
    assert "superseded" in page.content.decode()


def test_readers_cannot_sign(web, world, v1, sign_url):
    for who in ["auditor", "executive", "partner_scientist"]:
        client = web(getattr(world, who))
        assert client.get(sign_url).status_code == 403
        assert (
            client.post(sign_url, {"password": world.password, "meaning": "x"}).status_code == 403
        )
    assert not v1.signatures.exists()


def test_the_charter_page_shows_every_version_and_the_completeness_check(web, world, v1):
    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        base_number=1,
        content=world.charter(decision_points=[]),
        reason="Dropped gate",
    )
    page = web(world.executive).get(f"/projects/{world.project.id}/charter/").content.decode()
    assert "Charter version 2" in page and "draft" in page
    assert "1 thing this charter does not answer yet" in page and "No decision points." in page
    assert f"/charter/{v1.id}/" in page
    old = (
        web(world.executive).get(f"/projects/{world.project.id}/charter/{v1.id}/").content.decode()
    )
    assert "Charter version 1" in old and "Lead series chosen" in old and "superseded" in old
