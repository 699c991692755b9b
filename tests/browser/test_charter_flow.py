"""The kickoff charter from the browser: edit, compare, and sign by both leads."""

import re

import pytest
from playwright.sync_api import expect

from cobench.charters.models import CharterVersion
from cobench.charters.services import revise_charter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leads_edit_compare_and_sign_the_charter(page, log_in, world, screenshot):
    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(),
        reason="Kickoff",
        base_number=0,
    )

    # alice opens the project and its charter
    log_in("alice", world.password)
    screenshot("projects")
    page.get_by_role("link", name="PRJ-CDK2 · CDK2 inhibitors").click()
    expect(page.get_by_role("heading", name="PRJ-CDK2 · CDK2 inhibitors")).to_be_visible()
    screenshot("project-home")
    page.get_by_role("button", name="Open the charter").click()
    expect(page.locator("#charter-state")).to_have_text("draft")

    # she edits it: another meeting slot, one more milestone, and says why
    page.get_by_role("button", name="Edit", exact=True).click()
    page.get_by_label("Meeting cadence").fill("weekly, Tuesdays 15:00 CET")
    page.get_by_role("button", name="+ Add milestones row").click()
    page.get_by_label("Milestones Milestone").last.fill("Route scouting done")
    page.get_by_label("Milestones Due").last.fill("2026-02-15")
    screenshot("charter-edit")
    page.get_by_role("button", name="Save as new version").click()
    expect(page.locator(".form-errors")).to_contain_text("Say why the charter changes")
    expect(page.get_by_label("Meeting cadence")).to_have_value("weekly, Tuesdays 15:00 CET")
    page.get_by_label("Reason for this change").fill("Fixed the meeting slot; added route scouting")
    page.get_by_role("button", name="Save as new version").click()
    expect(page.get_by_role("status")).to_contain_text("Version 2 written")
    expect(page.locator("#charter-state")).to_have_text("draft")
    assert CharterVersion.objects.get(project=world.project, number=2).content["milestones"][1] == {
        "name": "Route scouting done",
        "due": "2026-02-15",
        "description": "",
    }

    # she compares version 1 with version 2
    page.get_by_role("button", name="Compare versions").click()
    table = page.locator("#differences")
    expect(table).to_contain_text("Meeting cadence")
    expect(table).to_contain_text("weekly, Tuesdays 15:00 CET")
    expect(table).to_contain_text("Route scouting done")
    screenshot("charter-compare")

    # she signs it; a mistyped password first
    page.get_by_role("link", name="Charter", exact=True).click()
    page.get_by_role("button", name="Sign this version").click()
    page.get_by_role("button", name="Approved as sponsor lead").click()
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Sign version 2").click()
    expect(page.get_by_role("alert").first).to_contain_text("The password is not correct")
    page.get_by_label("Your password").fill(world.password)
    screenshot("charter-sign")
    page.get_by_role("button", name="Sign version 2").click()
    expect(page.locator("#charter-state")).to_have_text("partly signed")
    expect(page.locator("#signatures")).to_contain_text("Approved as sponsor lead")
    page.get_by_role("button", name="Log out").click()

    # paula, the partner lead, signs too
    log_in("paula", world.password)
    page.get_by_role("link", name="PRJ-CDK2 · CDK2 inhibitors").click()
    page.get_by_role("link", name="Charter", exact=True).click()
    page.get_by_role("button", name="Sign this version").click()
    page.get_by_label("Meaning of your signature").fill("Approved as partner lead")
    page.get_by_label("Your password").fill(world.password)
    page.get_by_role("button", name="Sign version 2").click()

    expect(page.locator("#charter-state")).to_have_text("signed")
    expect(page.locator("#signed-notice")).to_contain_text("Signed by all parties")
    signatures = page.locator("#signatures")
    expect(signatures).to_contain_text("Alice Tester")
    expect(signatures).to_contain_text("Paula Tester")
    expect(signatures).to_contain_text(re.compile("Approved as partner lead"))
    screenshot("charter-signed")
    assert CharterVersion.objects.get(project=world.project, number=2).signed_at is not None
