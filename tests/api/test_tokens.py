"""Personal API tokens: shown once, stored hashed, expiring and revocable."""

from datetime import timedelta

from django.utils import timezone

from cobench.tenancy.models import ApiToken


def test_a_token_is_shown_once_and_stored_only_as_a_hash(world, api):
    r = api(world.sponsor_lead).post("/api/v1/tokens", {"name": "notebook", "days": 30})
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


def test_a_revoked_token_stops_working_at_once(world, api):
    alice = api(world.sponsor_lead)
    created = alice.post("/api/v1/tokens", {"name": "ci"}).json()
    assert alice.delete(f"/api/v1/tokens/{created['id']}").json()["revoked_at"]
    r = api(None).get("/api/v1/me", headers={"Authorization": f"Bearer {created['token']}"})
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_an_expired_token_is_refused(world, api):
    created = api(world.sponsor_lead).post("/api/v1/tokens", {"name": "old"}).json()
    ApiToken.objects.filter(pk=created["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    r = api(None).get("/api/v1/me", headers={"Authorization": f"Bearer {created['token']}"})
    assert r.status_code == 401


def test_a_forged_token_is_refused(world, api):
    created = api(world.sponsor_lead).post("/api/v1/tokens", {"name": "x"}).json()
    forged = created["token"][:-4] + "AAAA"
    for value in (forged, "cb_", "nonsense", "cb_abc_def"):
        assert (
            api(None).get("/api/v1/me", headers={"Authorization": f"Bearer {value}"}).status_code
            == 401
        )


def test_someone_elses_token_cannot_be_revoked(world, api):
    created = api(world.partner_lead).post("/api/v1/tokens", {"name": "mine"}).json()
    assert api(world.sponsor_lead).delete(f"/api/v1/tokens/{created['id']}").status_code == 404
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is None


def test_token_lifetime_is_bounded(world, api):
    r = api(world.sponsor_lead).post("/api/v1/tokens", {"name": "forever", "days": 10_000})
    assert r.status_code == 422 and "days" in r.json()["errors"]
