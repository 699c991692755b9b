"""Two-factor sign-in in a browser: set up from the profile (the QR code drawn under the site's
policy), then signing in asks for the app's code after the password."""

import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def test_set_up_then_sign_in_with_the_code(page, log_in, world):
    log_in("alice", world.password)
    page.goto("/profile/")
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("img", name="QR code of your authenticator secret")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Authenticator code").fill(code(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator(".recovery-codes li")).to_have_count(app_settings.RECOVERY_CODE_COUNT)
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_text("On: after your password")).to_be_visible()

    page.context.clear_cookies()
    page.goto("/login/")
    page.get_by_label("User name").fill("alice")
    page.get_by_label("Password").fill(world.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/login/code/")
    time.sleep(max(0, app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD) + 0.5)
    page.get_by_label("Code").fill(code(secret))  # the next window's: the first one is used
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/")
