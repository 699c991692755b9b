"""Every sign-in, failure, lockout, sign-out, API token and refused access is in the security
log, with its request id and address; an organization's leads and QA auditors read their own
people's entries, nobody else's."""

import csv
import io
import re
from pathlib import Path
from typing import get_args

import pytest
from django.test import Client

from cobench.security.api import KindName
from cobench.security.models import Kind, SecurityEvent
from tests.cli.commands import cobench

ADDRESS = "10.1.2.3"


def last(kind: str) -> SecurityEvent:
    entry = SecurityEvent.objects.filter(kind=kind).order_by("-seq").first()
    assert entry is not None, f"no {kind} entry"
    return entry


def post_login(client: Client, username: str, password: str, rid: str = "req-1"):
    return client.post(
        "/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=ADDRESS,
        headers={"X-Request-ID": rid},
    )


def test_a_sign_in_is_logged_with_its_request_id_and_address(world):
    post_login(Client(), "alice", world.password, rid="sign-in-1")
    entry = last(Kind.SIGN_IN)
    assert entry.user_id == world.sponsor_lead.pk and entry.username == "alice"
    assert entry.request_id == "sign-in-1" and entry.address == ADDRESS
    assert (entry.method, entry.path) == ("POST", "/login/")


def test_a_failed_sign_in_is_logged_for_the_account_or_the_name_given(world):
    post_login(Client(), "alice", "wrong", rid="fail-1")
    entry = last(Kind.SIGN_IN_FAILED)
    assert (entry.user_id, entry.request_id, entry.address) == (
        world.sponsor_lead.pk,
        "fail-1",
        ADDRESS,
    )
    post_login(Client(), "nobody", "wrong", rid="fail-2")
    entry = last(Kind.SIGN_IN_FAILED)
    assert (entry.user_id, entry.username, entry.request_id) == (None, "nobody", "fail-2")


def test_a_lockout_is_logged_at_its_start_and_at_each_refused_try(world):
    client = Client()
    for n in range(5):
        post_login(client, "alice", "wrong", rid=f"try-{n}")
    post_login(client, "alice", world.password, rid="try-6")
    lockouts = SecurityEvent.objects.filter(kind=Kind.LOCKOUT).order_by("seq")
    assert [e.request_id for e in lockouts] == ["try-4", "try-6"]
    assert {(e.user_id, e.address, e.status) for e in lockouts} == {
        (world.sponsor_lead.pk, ADDRESS, 429)
    }


def test_a_sign_out_is_logged(world):
    client = Client()
    post_login(client, "alice", world.password)
    client.post("/logout/", REMOTE_ADDR=ADDRESS, headers={"X-Request-ID": "out-1"})
    entry = last(Kind.SIGN_OUT)
    assert (entry.user_id, entry.request_id, entry.address) == (
        world.sponsor_lead.pk,
        "out-1",
        ADDRESS,
    )


def test_creating_and_revoking_an_api_token_are_logged(world, web):
    client = web(world.partner_scientist)
    created = client.post(
        "/api/v1/tokens",
        {"name": "nightly", "days": 30},
        content_type="application/json",
        REMOTE_ADDR=ADDRESS,
        headers={"X-Request-ID": "tok-1"},
    ).json()
    entry = last(Kind.TOKEN_CREATED)
    assert (entry.user_id, entry.request_id, entry.address) == (
        world.partner_scientist.pk,
        "tok-1",
        ADDRESS,
    )
    assert "nightly" in entry.detail and created["token"] not in entry.detail
    client.delete(
        f"/api/v1/tokens/{created['id']}", REMOTE_ADDR=ADDRESS, headers={"X-Request-ID": "tok-2"}
    )
    entry = last(Kind.TOKEN_REVOKED)
    assert (entry.user_id, entry.request_id) == (world.partner_scientist.pk, "tok-2")


def test_a_bad_api_token_is_logged(world):
    Client().get(
        "/api/v1/me",
        headers={"Authorization": "Bearer cb_nope_nope", "X-Request-ID": "bad-1"},
        REMOTE_ADDR=ADDRESS,
    )
    entry = last(Kind.TOKEN_REFUSED)
    assert (entry.request_id, entry.address, entry.status) == ("bad-1", ADDRESS, 401)


def test_a_403_is_logged_with_the_person(world, api):
    response = api(world.sponsor_scientist).patch(
        f"/api/v1/projects/{world.project.id}",
        {"name": "Mine now"},
        headers={"X-Request-ID": "no-1", "If-Match": '"1"'},
    )
    assert response.status_code == 403
    entry = last(Kind.ACCESS_REFUSED)
    assert (entry.user_id, entry.request_id, entry.status) == (
        world.sponsor_scientist.pk,
        "no-1",
        403,
    )
    assert entry.address == "127.0.0.1" and entry.path == "/api/v1/projects/<project_id>"


def test_a_refused_access_records_the_route_not_the_ids_in_it(world, web):
    web(world.outsider).get(f"/projects/{world.project.id}/members/")
    entry = last(Kind.ACCESS_REFUSED)
    assert entry.path == "/projects/<uuid:project_id>/members/"
    assert str(world.project.id) not in entry.path


def test_a_404_for_someone_elses_object_is_logged_on_pages_and_the_api(world, api, web):
    web(world.outsider).get(f"/projects/{world.project.id}/", headers={"X-Request-ID": "hid-1"})
    api(world.other_member).get(
        f"/api/v1/projects/{world.project.id}", headers={"X-Request-ID": "hid-2"}
    )
    entries = SecurityEvent.objects.filter(kind=Kind.ACCESS_REFUSED, status=404)
    assert {(e.user_id, e.request_id) for e in entries} == {
        (world.outsider.pk, "hid-1"),
        (world.other_member.pk, "hid-2"),
    }


def test_a_404_for_a_page_that_does_not_exist_is_not_logged(world, web):
    assert web(world.outsider).get("/no-such-page/").status_code == 404
    assert not SecurityEvent.objects.filter(kind=Kind.ACCESS_REFUSED).exists()


# Who reads it -------------------------------------------------------------------------


@pytest.fixture
def entries(world):
    """A failed sign-in by each of alice (sponsor), pete (partner) and olga (other partner)."""
    for name in ("alice", "pete", "olga"):
        post_login(Client(), name, "wrong", rid=f"fail-{name}")


def usernames(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["username"] for item in response.json()["items"]}


def test_a_partner_lead_reads_only_their_own_organizations_people(world, api, entries):
    seen = usernames(api(world.partner_lead).get("/api/v1/security-log?kind=sign_in_failed"))
    assert seen == {"pete"}


def test_a_qa_auditor_reads_their_own_organizations_people(world, api, entries):
    seen = usernames(api(world.auditor).get("/api/v1/security-log?kind=sign_in_failed"))
    assert seen == {"alice"}


@pytest.mark.parametrize("who", ["sponsor_scientist", "partner_scientist", "executive"])
def test_others_are_refused_on_the_api_and_the_page(world, api, web, who):
    response = api(getattr(world, who)).get("/api/v1/security-log")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert web(getattr(world, who)).get("/security-log/").status_code == 403
    assert "Security log" not in web(getattr(world, who)).get("/profile/").content.decode()


def test_the_page_lists_the_entries_and_is_linked_from_the_profile(world, web, entries):
    client = web(world.partner_lead)
    assert 'href="/security-log/"' in client.get("/profile/").content.decode()
    text = client.get("/security-log/?kind=sign_in_failed").content.decode()
    assert "pete" in text and "olga" not in text and "fail-pete" in text


def test_the_list_is_paginated_and_filtered_by_user_kind_and_time(world, api, entries):
    client = api(world.sponsor_lead)
    page = client.get("/api/v1/security-log?limit=1").json()
    assert page["count"] > 1 and len(page["items"]) == 1
    assert usernames(client.get("/api/v1/security-log?user=alice&kind=sign_in_failed")) == {"alice"}
    assert usernames(client.get("/api/v1/security-log?since=2999-01-01T00:00:00Z")) == set()
    assert usernames(client.get("/api/v1/security-log?until=2000-01-01T00:00:00Z")) == set()


def test_the_log_exports_as_csv(world, api, entries):
    response = api(world.partner_lead).get("/api/v1/security-log/export?kind=sign_in_failed")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["username"], r["request_id"], r["address"]) for r in rows] == [
        ("pete", "fail-pete", ADDRESS)
    ]


@pytest.mark.parametrize(
    "query, field",
    [
        ("kind=everything", "kind"),
        ("since=yesterday", "since"),
        ("limit=0", "limit"),
        ("until=0001-01-01T00:00:00%2B05:00", "until"),  # before year 1 once in UTC
    ],
)
def test_malformed_filters_are_422_problems(world, api, query, field):
    response = api(world.partner_lead).get(f"/api/v1/security-log?{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


@pytest.mark.parametrize("query", ["kind=everything", "since=yesterday"])
def test_malformed_filters_on_the_page_are_422(world, web, query):
    assert web(world.partner_lead).get(f"/security-log/?{query}").status_code == 422


def test_a_time_with_any_offset_filters_in_utc(world, api, entries):
    """PostgreSQL refuses offsets beyond 16 hours: the time is read as UTC first."""
    response = api(world.partner_lead).get(
        "/api/v1/security-log?since=0284-06-25T20:59:13.408200-23:36"
    )
    assert response.status_code == 200 and response.json()["count"] >= 1


def test_the_command_line_lists_every_entry(world, entries, capsys):
    assert cobench("security-log", "--kind", "sign_in_failed") == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ("alice", "pete", "olga")) and ADDRESS in out
    assert cobench("security-log", "--user", "olga", "--csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["username"] for r in rows} == {"olga"}


def test_the_api_names_every_kind():
    assert set(get_args(KindName)) == set(Kind.values)


def test_every_kind_is_documented():
    text = (Path(__file__).resolve().parents[2] / "docs" / "audit-events.md").read_text()
    section = text[text.index("## Security log") :]
    assert set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M)) == set(Kind.values)
