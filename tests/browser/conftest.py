"""A real browser (Debian's chromium) against a live server.

Playwright's sync API runs an event loop in the test thread while the browser is
open, which makes Django refuse database access there unless told it is safe: the
tests only touch the database between browser steps, never concurrently with them.
The permission lasts exactly as long as the browser (one test module).

Every page runs under the site's real Content-Security-Policy and Permissions-Policy: anything
the browser refuses or complains about in them (an inline script or style, an eval, a picture
from elsewhere, an unknown feature) fails the test that caused it.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("COBENCH_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Chromium prints its own refusals to the console; the listener also reports those it does not
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.effectiveDirective} refused ${e.blockedURI || "inline"}` +
  ` at ${e.sourceFile}:${e.lineNumber} (${e.sample})`));
"""
POLICY_WORDS = ("CSP violation", "Content Security Policy", "Refused to", "Permissions-Policy")
# The structure editor's hidden iframe (JSME, GWT) sets one inline event handler, which the policy
# refuses and the editor never needs; Chromium names no source for it. A handler in the page
# itself is still reported by the listener above ("CSP violation: script-src-attr ...").
IFRAME_HANDLER = "Executing inline event handler"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"No chromium at {CHROMIUM}: apt-get install -y chromium")
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as p:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """`open_page(**context_options)` opens a page on the live server in a browser context of
    its own; the fixture closes it after the test, which fails if a page broke the policies."""
    opened = []
    violations: list[str] = []

    def open_(**context_options):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, base_url=live_server.url, **context_options
        )
        context.add_init_script(REPORT_VIOLATIONS)
        page = context.new_page()
        page.set_default_timeout(10_000)
        in_flight = set()
        page.on("request", lambda request: in_flight.add(request))
        page.on("requestfinished", lambda request: in_flight.discard(request))
        page.on("requestfailed", lambda request: in_flight.discard(request))

        def on_console(message) -> None:
            text = message.text
            if any(w in text for w in POLICY_WORDS) and not text.startswith(IFRAME_HANDLER):
                violations.append(f"{page.url}: {text}")

        page.on("console", on_console)
        opened.append((page, in_flight))
        return page

    yield open_
    # The live server shares the test's database connection: a picture or htmx request still
    # being served when the test ends would collide with emptying the database for the next.
    for page, in_flight in opened:
        for _ in range(200):
            if not in_flight:
                break
            page.wait_for_timeout(50)
        page.context.close()
    assert not violations, "the page broke its security policy:\n" + "\n".join(violations)


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def screenshot(page):
    """`screenshot(name)` keeps a picture of the page when COBENCH_SCREENSHOTS names a folder."""
    folder = os.environ.get("COBENCH_SCREENSHOTS")

    def take(name: str) -> None:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def log_in(page):
    """`log_in(username, password)` signs in through the login page."""
    from playwright.sync_api import expect

    def sign_in(username: str, password: str) -> None:
        page.goto("/login/")
        page.get_by_label("User name").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Your projects")).to_be_visible()

    return sign_in
