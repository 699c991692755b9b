"""Repeated wrong passwords lock sign-in for a while, and bad API tokens likewise, without
telling anyone whether an account exists."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.utils import timezone

LOCKED = "Too many failed sign-ins"


def sign_in(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> list[int]:
    return [sign_in(client, username, "wrong", address).status_code for _ in range(times)]


def test_four_wrong_passwords_still_let_the_right_one_in(world):
    client = Client()
    assert fail(client, "alice", 4) == [200] * 4
    assert sign_in(client, "alice", world.password).status_code == 302


def test_after_five_wrong_passwords_even_the_right_one_is_refused(world):
    client = Client()
    assert fail(client, "alice", 5) == [200] * 4 + [429]
    response = sign_in(client, "alice", world.password)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert client.get("/").status_code == 302  # not signed in


def test_the_cooling_off_page_is_the_sign_in_page_without_a_trace(world):
    client = Client()
    fail(client, "alice", 5)
    response = sign_in(client, "alice", world.password)
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert 'name="password"' in text and "Traceback" not in text
    assert int(response["Retry-After"]) == 15 * 60
    assert "15 minutes" in text


def test_an_unknown_user_reads_the_same_message(world):
    known, unknown = Client(), Client()
    fail(known, "alice", 5, address="10.0.0.1")
    fail(unknown, "nobody", 5, address="10.0.0.2")
    r_known = sign_in(known, "alice", world.password, address="10.0.0.1")
    r_unknown = sign_in(unknown, "nobody", "anything", address="10.0.0.2")
    assert r_known.status_code == r_unknown.status_code == 429
    message = [line for line in r_known.content.decode().splitlines() if LOCKED in line]
    assert message and message == [
        line for line in r_unknown.content.decode().splitlines() if LOCKED in line
    ]


def test_the_lockout_is_per_account_not_for_others_at_that_address(world):
    client = Client()
    fail(client, "alice", 5)
    assert sign_in(Client(), "sam", world.password).status_code == 302


def test_twenty_failures_from_one_address_lock_it_for_every_account(world):
    client = Client()
    for name in ["u1", "u2", "u3", "u4", "u5"]:
        fail(client, name, 4, address="10.9.9.9")  # no account reaches its own limit
    assert sign_in(Client(), "alice", world.password, address="10.9.9.9").status_code == 429
    assert sign_in(Client(), "alice", world.password, address="10.8.8.8").status_code == 302


def test_nineteen_failures_from_one_address_do_not(world):
    client = Client()
    for name in ["u1", "u2", "u3", "u4"]:
        fail(client, name, 4, address="10.9.9.9")
    fail(client, "u5", 3, address="10.9.9.9")
    assert sign_in(Client(), "alice", world.password, address="10.9.9.9").status_code == 302


def test_sign_in_works_again_after_the_cooling_off(world):
    client = Client()
    fail(client, "alice", 5)
    assert sign_in(client, "alice", world.password).status_code == 429
    # the clock moves on 16 minutes for the recorded failures
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert sign_in(client, "alice", world.password).status_code == 302


def test_the_limits_come_from_the_settings(world, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    assert fail(client, "alice", 2) == [200, 429]


def test_behind_a_proxy_the_address_it_saw_is_counted_not_what_the_client_claims(world, settings):
    settings.COBENCH_PROXY_COUNT = 1
    client = Client()
    for n in range(20):  # a different made-up address before the real one each time
        client.post(
            "/login/",
            {"username": f"u{n}", "password": "wrong"},
            REMOTE_ADDR="192.168.0.1",
            headers={"X-Forwarded-For": f"1.1.1.{n}, 10.0.0.5"},
        )
    locked = Client().post(
        "/login/",
        {"username": "alice", "password": world.password},
        REMOTE_ADDR="192.168.0.1",
        headers={"X-Forwarded-For": "10.0.0.5"},
    )
    assert locked.status_code == 429
    other = Client().post(
        "/login/",
        {"username": "alice", "password": world.password},
        REMOTE_ADDR="192.168.0.1",
        headers={"X-Forwarded-For": "10.0.0.6"},
    )
    assert other.status_code == 302


# API tokens ---------------------------------------------------------------------------


def bad_token(address: str = "10.0.0.7", token: str = "cb_nope_nope"):  # noqa: S107
    return Client().get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token}"}, REMOTE_ADDR=address
    )


@pytest.fixture
def good_token(world):
    from cobench.tenancy.services import create_api_token

    return create_api_token(actor=world.sponsor_lead, name="script")[1]


def test_twenty_bad_tokens_from_one_address_then_429_with_retry_after(world, good_token):
    assert {bad_token().status_code for _ in range(20)} == {401}
    response = bad_token(token=good_token)  # even a good one, from there
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 429 and problem["type"].endswith("/too-many-requests")
    assert 0 < int(response["Retry-After"]) <= 15 * 60
    assert bad_token(address="10.0.0.8", token=good_token).status_code == 200


def test_bad_tokens_are_let_through_again_after_the_cooling_off(world, good_token, monkeypatch):
    for _ in range(20):
        bad_token()
    assert bad_token(token=good_token).status_code == 429
    later = timezone.now() + timedelta(minutes=16)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert bad_token(token=good_token).status_code == 200
