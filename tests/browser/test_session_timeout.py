"""The idle sign-out in a browser: the warning, "Stay signed in", and unsaved input kept."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cobench.tenancy.models import UserSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _idle_on_the_server(minutes: int) -> None:
    UserSession.objects.update(last_activity_at=timezone.now() - timedelta(minutes=minutes))


def test_the_page_warns_before_signing_out_and_stay_signed_in_keeps_me(page, log_in, world):
    page.clock.install()
    log_in("alice", world.password)
    warning = page.locator("#session-timeout")
    expect(warning).to_be_hidden()
    _idle_on_the_server(29)
    page.clock.run_for("28:30")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("You will be signed out in 2 minutes for inactivity")
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    session = UserSession.objects.get()
    assert timezone.now() - session.last_activity_at < timedelta(seconds=30)


def test_after_the_idle_time_the_page_goes_to_sign_in_with_the_reason(page, log_in, world):
    page.clock.install()
    log_in("alice", world.password)
    _idle_on_the_server(31)
    page.clock.run_for("30:10")
    expect(page).to_have_url("/login/?next=%2F", timeout=10_000)
    expect(page.get_by_role("status")).to_contain_text("signed out after 30 minutes")


def test_unsaved_input_is_kept_through_signing_in_again(page, log_in, world):
    page.clock.install()
    log_in("alice", world.password)
    page.goto("/profile/")
    page.get_by_label("Last name").fill("Sponsor-Weber")
    _idle_on_the_server(31)
    page.clock.run_for("30:10")
    warning = page.locator("#session-timeout")
    expect(warning).to_contain_text("Your unsaved input is kept in this tab")
    assert page.url.endswith("/profile/")  # no navigation away from the typed input
    page.get_by_role("button", name="Save").click()  # goes to sign in, the input kept
    expect(page).to_have_url("/login/?next=%2Fprofile%2F")
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill(world.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/profile/")
    expect(page.get_by_label("Last name")).to_have_value("Sponsor-Weber")
    expect(page.locator(".session-restored")).to_contain_text("Your unsaved input is back")
