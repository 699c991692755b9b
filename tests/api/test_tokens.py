"""Personal API tokens: shown once, stored hashed, expiring and revocable; created only from
a recently signed-in session, never with a token."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cobench.audit.models import AuditEvent
from cobench.tenancy.models import ApiToken, UserSession


@pytest.fixture
def new_token(web):
    """`new_token(user, body)` creates a token through the API from `user`'s web session."""

    def create(user, body):
        return web(user).post("/api/v1/tokens", body, content_type="application/json")

    return create


def test_a_token_is_shown_once_and_stored_only_as_a_hash(world, api, new_token):
    r = new_token(world.sponsor_lead, {"name": "notebook", "days": 30})
    assert r.status_code == 201
    secret = r.json()["token"]
    stored = ApiToken.objects.get(pk=r.json()["id"])
    assert secret not in (stored.digest, stored.prefix) and len(stored.digest) == 64
    listed = api(world.sponsor_lead).get("/api/v1/tokens").json()["items"]
    assert all("token" not in t for t in listed)
    assert (
        api(None)
        .get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        .json()["username"]
        == "alice"
    )
    assert ApiToken.objects.get(pk=stored.pk).last_used_at is not None


def test_a_revoked_token_stops_working_at_once(world, api, new_token):
    alice = api(world.sponsor_lead)
    created = new_token(world.sponsor_lead, {"name": "ci"}).json()
    assert alice.delete(f"/api/v1/tokens/{created['id']}").json()["revoked_at"]
    r = api(None).get("/api/v1/me", headers={"Authorization": f"Bearer {created['token']}"})
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_an_expired_token_is_refused(world, api, new_token):
    created = new_token(world.sponsor_lead, {"name": "old"}).json()
    ApiToken.objects.filter(pk=created["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    r = api(None).get("/api/v1/me", headers={"Authorization": f"Bearer {created['token']}"})
    assert r.status_code == 401


def test_a_forged_token_is_refused(world, api, new_token):
    created = new_token(world.sponsor_lead, {"name": "x"}).json()
    forged = created["token"][:-4] + "AAAA"
    for value in (forged, "cb_", "nonsense", "cb_abc_def"):
        assert (
            api(None).get("/api/v1/me", headers={"Authorization": f"Bearer {value}"}).status_code
            == 401
        )


def test_someone_elses_token_cannot_be_revoked(world, api, new_token):
    created = new_token(world.partner_lead, {"name": "mine"}).json()
    assert api(world.sponsor_lead).delete(f"/api/v1/tokens/{created['id']}").status_code == 404
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is None


def test_token_lifetime_is_bounded(world, api, new_token):
    r = new_token(world.sponsor_lead, {"name": "forever", "days": 10_000})
    assert r.status_code == 422 and "days" in r.json()["errors"]


def test_a_token_cannot_create_tokens(world, api):
    r = api(world.sponsor_lead).post("/api/v1/tokens", {"name": "longer", "days": 366})
    assert r.status_code == 403 and r["Content-Type"] == "application/problem+json"
    assert "A token cannot create tokens" in r.json()["detail"]
    assert ApiToken.objects.filter(name="longer").count() == 0
    assert not AuditEvent.objects.filter(event="token.created", target_label__contains="longer")


def test_creating_a_token_needs_a_recent_sign_in(world, web):
    client = web(world.sponsor_lead)
    UserSession.objects.update(signed_in_at=timezone.now() - timedelta(minutes=16))
    r = client.post("/api/v1/tokens", {"name": "late"}, content_type="application/json")
    assert r.status_code == 403
    assert r.json()["detail"] == (
        "Creating a token needs a sign-in within the last 15 minutes: sign in again, then "
        "try again."
    )
    assert not ApiToken.objects.filter(name="late").exists()


def test_the_tokens_page_asks_to_sign_in_again_after_15_minutes(world, web, settings):
    client = web(world.sponsor_lead)
    UserSession.objects.update(signed_in_at=timezone.now() - timedelta(minutes=16))
    page = client.get("/tokens/").content.decode()
    assert "needs a sign-in within the last 15 minutes" in page
    assert 'value="/login/?next=/tokens/"' in page and "Create token" not in page
    refused = client.post("/tokens/", {"name": "late", "days": 30})
    assert refused.status_code == 403 and not ApiToken.objects.filter(name="late").exists()
    # signing in again (out, then in) lets it create the token
    assert client.post("/logout/", {"next": "/login/?next=/tokens/"})["Location"] == (
        "/login/?next=/tokens/"
    )
    signed_in = client.post(
        "/login/?next=/tokens/", {"username": "alice", "password": world.password}
    )
    assert signed_in["Location"] == "/tokens/"
    assert client.post("/tokens/", {"name": "fresh", "days": 30}).status_code == 201
    settings.COBENCH_RECENT_SIGN_IN_MINUTES = 0
    assert client.post("/tokens/", {"name": "too late", "days": 30}).status_code == 403
