"""Two-factor sign-in: set up from the profile, asked for after the password, required by an
organization; every change and refused code in the security log."""

import re
import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client

from cobench.audit.models import AuditEvent
from cobench.security.models import Kind, SecurityEvent

from ..cli.commands import cobench

# allauth reports set-up changes once they are committed
pytestmark = pytest.mark.django_db(transaction=True)


def code(secret: str, windows_ago: int = 0) -> str:
    """The code an authenticator app shows for `secret` now (or `windows_ago` windows ago)."""
    counter = int(time.time()) // app_settings.TOTP_PERIOD - windows_ago
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(user, password) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": password})
    assert response.status_code == 302
    return client


def set_up(client: Client) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on from the profile; the secret and the recovery codes shown."""
    page = client.get("/profile/two-factor/set-up/")
    assert page.status_code == 200 and b'src="data:image/svg+xml;base64,' in page.content
    secret = client.session["mfa.totp.secret"]
    response = client.post("/profile/two-factor/set-up/", {"code": code(secret)})
    assert response.status_code == 302
    shown = client.get(response["Location"])
    recovery = re.findall(r"<li><code>(\w+)</code></li>", shown.content.decode())
    assert len(recovery) == app_settings.RECOVERY_CODE_COUNT
    return secret, recovery


@pytest.fixture(autouse=True)
def fresh_limits(db):
    """Every test starts with allauth's rate limits unspent: the cache is a table that a
    transactional test's flush leaves alone."""
    cache.clear()


def kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user_id=user.pk).values_list("kind", flat=True))


@pytest.fixture
def alice(world):
    """alice, signed in with her password, has just set up two-factor sign-in."""
    client = sign_in(world.sponsor_lead, world.password)
    secret, recovery = set_up(client)
    client.post("/logout/")
    return secret, recovery


def test_profile_offers_to_set_it_up(world):
    page = sign_in(world.sponsor_lead, world.password).get("/profile/")
    assert b"Two-factor sign-in" in page.content and b"/profile/two-factor/set-up/" in page.content


def test_recovery_codes_are_shown_once(world):
    client = sign_in(world.sponsor_lead, world.password)
    _, recovery = set_up(client)
    again = client.get("/profile/two-factor/recovery-codes/").content.decode()
    assert not any(c in again for c in recovery)


def test_setting_it_up_ends_other_sessions_and_is_logged(world):
    elsewhere = sign_in(world.sponsor_lead, world.password)
    set_up(sign_in(world.sponsor_lead, world.password))
    assert elsewhere.get("/profile/").status_code == 302
    assert Kind.MFA_ACTIVATED in kinds(world.sponsor_lead)


def test_password_then_code_signs_in(world, alice):
    secret, _ = alice
    client = Client()
    response = client.post("/login/", {"username": "alice", "password": world.password})
    assert response["Location"] == "/login/code/"
    assert client.get("/profile/").status_code == 302, "not signed in by the password alone"
    response = client.post("/login/code/", {"code": code(secret)})
    assert response.status_code == 302
    assert client.get("/profile/").status_code == 200
    assert kinds(world.sponsor_lead)[0] == Kind.SIGN_IN


def test_wrong_code_is_refused_and_logged(world, alice):
    secret, _ = alice
    client = Client()
    client.post("/login/", {"username": "alice", "password": world.password})
    wrong = f"{(int(code(secret)) + 1) % 10**6:06d}"
    assert client.post("/login/code/", {"code": wrong}).status_code == 200
    assert client.get("/profile/").status_code == 302
    assert kinds(world.sponsor_lead)[0] == Kind.MFA_FAILED


def test_reused_code_is_refused(world, alice):
    secret, _ = alice
    used = code(secret)
    first = Client()
    first.post("/login/", {"username": "alice", "password": world.password})
    assert first.post("/login/code/", {"code": used}).status_code == 302
    second = Client()
    second.post("/login/", {"username": "alice", "password": world.password})
    assert second.post("/login/code/", {"code": used}).status_code == 200
    assert second.get("/profile/").status_code == 302
    assert kinds(world.sponsor_lead)[0] == Kind.MFA_FAILED


def test_code_of_an_earlier_window_is_refused(world, alice):
    secret, _ = alice
    client = Client()
    client.post("/login/", {"username": "alice", "password": world.password})
    stale = code(secret, windows_ago=2)
    assert stale != code(secret)
    assert client.post("/login/code/", {"code": stale}).status_code == 200
    assert client.get("/profile/").status_code == 302


def test_recovery_code_works_once(world, alice):
    _, recovery = alice
    first = Client()
    first.post("/login/", {"username": "alice", "password": world.password})
    assert first.post("/login/code/", {"code": recovery[0]}).status_code == 302
    assert first.get("/profile/").status_code == 200
    assert Kind.RECOVERY_CODE_USED in kinds(world.sponsor_lead)
    second = Client()
    second.post("/login/", {"username": "alice", "password": world.password})
    assert second.post("/login/code/", {"code": recovery[0]}).status_code == 200


def test_regenerating_and_turning_off_are_logged(world, alice):
    secret, _ = alice
    client = Client()
    client.post("/login/", {"username": "alice", "password": world.password})
    client.post("/login/code/", {"code": code(secret)})
    assert client.post("/profile/two-factor/recovery-codes/new/").status_code == 302
    assert client.post("/profile/two-factor/turn-off/").status_code == 302
    assert {Kind.RECOVERY_CODES_REGENERATED, Kind.MFA_DEACTIVATED} <= set(kinds(world.sponsor_lead))
    assert sign_in(world.sponsor_lead, world.password).get("/profile/").status_code == 200


def test_lead_requires_it_of_the_organization(world, web):
    response = web(world.sponsor_lead).post(
        "/profile/organizations/", {"organization": world.sponsor.id, "require_mfa": "on"}
    )
    assert response.status_code == 302
    world.sponsor.refresh_from_db()
    assert world.sponsor.require_mfa
    assert AuditEvent.objects.filter(event="organization.mfa_changed").exists()


def test_member_without_it_is_sent_to_set_it_up(world):
    world.sponsor.require_mfa = True
    world.sponsor.save()
    client = sign_in(world.sponsor_scientist, world.password)
    response = client.get(f"/projects/{world.project.id}/")
    assert response.status_code == 302 and response["Location"] == "/profile/two-factor/set-up/"
    assert client.get("/profile/two-factor/set-up/").status_code == 200
    set_up(client)
    assert client.get(f"/projects/{world.project.id}/").status_code == 200


def test_other_organizations_are_not_asked(world):
    world.sponsor.require_mfa = True
    world.sponsor.save()
    client = sign_in(world.partner_lead, world.password)
    assert client.get(f"/projects/{world.project.id}/").status_code == 200


def test_a_scientist_cannot_require_it(world, web):
    response = web(world.sponsor_scientist).post(
        "/profile/organizations/", {"organization": world.sponsor.id, "require_mfa": "on"}
    )
    assert response.status_code == 404
    world.sponsor.refresh_from_db()
    assert not world.sponsor.require_mfa


def test_administrator_requires_it_at_the_command_line(world):
    cobench("org", "require-mfa", "Helix Bio", "on")
    world.sponsor.refresh_from_db()
    assert world.sponsor.require_mfa


def test_guessing_codes_is_paused_after_five_wrong_ones(world, alice):
    secret, _ = alice
    client = Client()
    client.post("/login/", {"username": "alice", "password": world.password})
    wrong = f"{(int(code(secret)) + 1) % 10**6:06d}"
    for _ in range(5):
        client.post("/login/code/", {"code": wrong})
    assert client.post("/login/code/", {"code": code(secret)}).status_code == 200
    assert client.get("/profile/").status_code == 302


def test_the_admin_signs_in_through_the_sign_in_page(world):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_api_tokens_are_unaffected(world, api):
    world.sponsor.require_mfa = True
    world.sponsor.save()
    assert (
        api(world.sponsor_scientist).get(f"/api/v1/projects/{world.project.id}").status_code == 200
    )


def test_the_api_by_session_waits_for_the_set_up(world):
    world.sponsor.require_mfa = True
    world.sponsor.save()
    client = sign_in(world.sponsor_scientist, world.password)
    response = client.get(f"/api/v1/projects/{world.project.id}")
    assert response.status_code == 403 and "two-factor" in response.json()["detail"]
