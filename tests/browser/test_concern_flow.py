"""A concern from the browser: a partner chemist raises it, the sponsor lead acknowledges and
resolves it, and the page shows each step."""

import pytest
from playwright.sync_api import expect

from cobench.charters.services import revise_charter
from cobench.concerns.models import Concern

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_raise_acknowledge_and_resolve_a_concern(page, log_in, world, screenshot):
    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(),
        reason="Kickoff",
        base_number=0,
    )

    # pete, the partner chemist, raises a concern for the sponsor
    log_in("pete", world.password)
    page.get_by_role("link", name="PRJ-CDK2 · CDK2 inhibitors").click()
    page.get_by_role("link", name="Concerns", exact=True).click()
    expect(page.get_by_text("No concern has been raised")).to_be_visible()
    page.get_by_role("button", name="Raise a concern").click()
    page.get_by_label("Title").fill("Starting material arrives degraded")
    page.get_by_label("Description").fill("Two drums of the aminopyrimidine were brown on arrival.")
    page.get_by_label("Category").select_option("quality")
    page.get_by_label("Severity").select_option("high")
    expect(page.get_by_label("Who should respond")).to_have_value(str(world.sponsor.id))
    expect(page.locator("#confidential-help")).to_contain_text("will not see that it was you")
    screenshot("concern-raise")
    page.get_by_role("button", name="Raise the concern").click()
    expect(page.get_by_role("status")).to_contain_text("Concern #1 is raised")
    expect(page.locator("#concern-state")).to_have_text("Open")
    expect(page.locator("#raised-by")).to_contain_text("Pete Tester")
    expect(page.locator("#escalation")).to_contain_text("Acknowledgement due")
    expect(page.locator("#actions")).to_have_count(0)  # a chemist does not answer concerns
    page.get_by_label("Comment").fill("Photos are on the shared drive.")
    page.get_by_role("button", name="Add comment").click()  # htmx: the thread alone is swapped
    expect(page.locator("#comments")).to_contain_text("Photos are on the shared drive.")
    page.get_by_role("button", name="Log out").click()

    # alice, the sponsor lead, acknowledges it
    log_in("alice", world.password)
    page.get_by_role("link", name="PRJ-CDK2 · CDK2 inhibitors").click()
    expect(page.locator("#concerns")).to_contain_text("Starting material arrives degraded")
    page.get_by_role("button", name="All concerns").click()
    page.get_by_role("link", name="Starting material arrives degraded").click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_contain_text("Concern #1 is acknowledged")
    expect(page.locator("#concern-state")).to_have_text("Acknowledged")
    expect(page.locator("#escalation")).to_contain_text("Resolution due")
    expect(page.locator("#timeline")).to_contain_text("A concern was acknowledged by Alice Tester")

    # she tries to resolve without a resolution, then writes one
    page.get_by_text("Resolve…").click()
    page.locator("#resolve-form").get_by_role("button", name="Resolve").click()
    expect(page.locator("#concern-state")).to_have_text("Acknowledged")  # the browser refused
    page.get_by_label("Resolution").fill("Supplier changed; drums now shipped under nitrogen.")
    screenshot("concern-resolve")
    page.locator("#resolve-form").get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("status")).to_contain_text("Concern #1 is resolved")
    expect(page.locator("#concern-state")).to_have_text("Resolved")
    expect(page.locator("#resolution")).to_contain_text("shipped under nitrogen")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("A concern was raised")
    expect(timeline).to_contain_text("A concern was resolved with a written resolution")
    screenshot("concern-resolved")

    concern = Concern.objects.get()
    assert concern.state == "resolved" and concern.acknowledged_at and concern.resolved_at
