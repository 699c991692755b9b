"""Where one is signed in: each session listed on the profile, and ended at will or by rule."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from cobench.audit.models import AuditEvent
from cobench.tenancy.models import UserSession

from ..cli.commands import cobench

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def sign_in(user, password, agent=FIREFOX, address="203.0.113.7") -> Client:
    """A browser that signed in through the sign-in page."""
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post("/login/", {"username": user.username, "password": password})
    assert response.status_code == 302, "signed in"
    return client


def signed_in(client: Client) -> bool:
    return client.get("/profile/").status_code == 200


def session_of(client: Client) -> UserSession:
    return UserSession.objects.get(session_key=client.session.session_key)


@pytest.fixture
def laptop(world):
    return sign_in(world.sponsor_lead, world.password)


@pytest.fixture
def phone(world):
    return sign_in(world.sponsor_lead, world.password, agent=IPHONE, address="198.51.100.23")


def test_i_see_where_i_am_signed_in_and_which_session_is_this_one(laptop, phone):
    page = laptop.get("/profile/sessions/").content.decode()
    assert "Firefox on Linux" in page and "203.0.113.7" in page
    assert "Safari on iOS" in page and "198.51.100.23" in page

    def row(client: Client) -> str:
        return page.split(f'id="session-{session_of(client).id}"')[1].split("</tr>")[0]

    assert "this session" in row(laptop) and "this session" not in row(phone)
    assert 'href="/profile/sessions/"' in laptop.get("/profile/").content.decode()


def test_ending_a_session_signs_it_out_at_once(laptop, phone):
    ended = session_of(phone)
    response = laptop.post(f"/profile/sessions/{ended.id}/end/")
    assert response.status_code == 302 and response["Location"] == "/profile/sessions/"
    assert "Signed out Safari on iOS" in laptop.get("/profile/sessions/").content.decode()
    assert not signed_in(phone) and signed_in(laptop)
    assert not Session.objects.filter(session_key=ended.session_key).exists()
    event = AuditEvent.objects.get(event="session.ended")
    assert event.target_id == str(ended.id) and "Safari on iOS" in event.target_label


def test_ending_all_other_sessions_keeps_this_one(world, laptop, phone):
    tablet = sign_in(world.sponsor_lead, world.password, agent="curl/8.5.0")
    assert laptop.post("/profile/sessions/end-others/").status_code == 302
    assert "Signed out 2 other sessions" in laptop.get("/profile/sessions/").content.decode()
    assert signed_in(laptop) and not signed_in(phone) and not signed_in(tablet)
    assert AuditEvent.objects.filter(event="session.ended").count() == 2


def test_ending_this_session_signs_me_out(laptop):
    this = session_of(laptop)
    assert (
        "Sign out of this session?"
        in laptop.get(f"/profile/sessions/{this.id}/end/").content.decode()
    )
    assert laptop.post(f"/profile/sessions/{this.id}/end/")["Location"] == "/login/"
    assert not signed_in(laptop) and not UserSession.objects.exists()


def test_signing_out_removes_the_session_from_the_list(laptop, phone):
    phone.post("/logout/")
    assert UserSession.objects.get().session_key == laptop.session.session_key


def test_someone_elses_session_is_not_found_and_not_ended(world, laptop, api):
    paula = sign_in(world.partner_lead, world.password)
    hers = session_of(paula)
    assert laptop.get(f"/profile/sessions/{hers.id}/end/").status_code == 404
    assert laptop.post(f"/profile/sessions/{hers.id}/end/").status_code == 404
    r = api(world.sponsor_lead).delete(f"/api/v1/sessions/{hers.id}")
    assert (
        r.status_code == 404 and r.json()["detail"] == "No such session, or it has ended already."
    )
    assert signed_in(paula) and not AuditEvent.objects.filter(event="session.ended").exists()


def test_an_ended_session_cannot_be_ended_again(laptop, phone):
    ended = session_of(phone)
    assert laptop.post(f"/profile/sessions/{ended.id}/end/").status_code == 302
    assert laptop.post(f"/profile/sessions/{ended.id}/end/").status_code == 404
    assert laptop.delete(f"/api/v1/sessions/{ended.id}").status_code == 404
    assert AuditEvent.objects.filter(event="session.ended").count() == 1


def test_a_malformed_session_id_is_refused(world, laptop, api):
    assert laptop.post("/profile/sessions/not-a-session/end/").status_code == 404
    r = api(world.sponsor_lead).delete("/api/v1/sessions/not-a-session")
    assert r.status_code == 422 and r["Content-Type"] == "application/problem+json"


def test_the_api_lists_and_ends_my_sessions(world, laptop, phone, api):
    listed = laptop.get("/api/v1/sessions").json()["items"]
    assert {s["device"] for s in listed} == {"Firefox on Linux", "Safari on iOS"}
    assert [s["current"] for s in listed if s["device"] == "Firefox on Linux"] == [True]
    assert "session_key" not in listed[0]
    phones = next(s["id"] for s in listed if s["device"] == "Safari on iOS")
    assert api(world.sponsor_lead).delete(f"/api/v1/sessions/{phones}").status_code == 204
    assert not signed_in(phone)


# A password change ends the other sessions (ASVS 7.4.3) ---------------------------------


def test_changing_my_password_signs_out_my_other_sessions(world, laptop, phone):
    new = "a much longer new passphrase"
    response = laptop.post(
        "/profile/password/",
        {"old_password": world.password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    page = laptop.get("/profile/").content.decode()
    assert "Your other sessions are signed out." in page
    assert signed_in(laptop) and not signed_in(phone)
    assert [s.device for s in UserSession.objects.all()] == ["Firefox on Linux"]
    assert AuditEvent.objects.filter(event="password.changed").count() == 1
    ended = AuditEvent.objects.get(event="session.ended")
    assert ended.reason == "The password was changed." and "Safari on iOS" in ended.target_label
    assert new not in str(list(AuditEvent.objects.values("changes")))


def test_an_administrator_sets_a_password_and_every_session_ends(world, laptop, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("an administrator's new passphrase\n"))
    assert cobench("user", "password", "alice", "--password-stdin") == 0
    assert not signed_in(laptop)
    world.sponsor_lead.refresh_from_db()
    assert world.sponsor_lead.check_password("an administrator's new passphrase")
    assert AuditEvent.objects.filter(event="password.changed", actor_label="system").exists()


# A deactivated person is refused at once -------------------------------------------------


def test_a_deactivated_persons_session_stops_working(world, laptop):
    world.sponsor_lead.is_active = False
    world.sponsor_lead.save(update_fields=["is_active"])
    assert laptop.get("/profile/")["Location"].startswith("/login/")
    assert laptop.get("/api/v1/me").status_code == 401


def test_a_deactivated_persons_token_stops_working(world, api):
    alice = api(world.sponsor_lead)
    assert alice.get("/api/v1/me").status_code == 200
    world.sponsor_lead.is_active = False
    world.sponsor_lead.save(update_fields=["is_active"])
    r = alice.get("/api/v1/me")
    assert r.status_code == 401 and r["Content-Type"] == "application/problem+json"


# Idle and absolute timeouts ---------------------------------------------------------------


def _idle(client: Client, **ago: float) -> None:
    UserSession.objects.filter(session_key=client.session.session_key).update(
        last_activity_at=timezone.now() - timedelta(**ago)
    )


def test_after_30_idle_minutes_the_next_page_signs_out_with_a_message(laptop):
    _idle(laptop, minutes=31)
    response = laptop.get("/profile/", follow=True)
    assert response.redirect_chain[0][0] == "/login/?next=/profile/"
    assert "signed out after 30 minutes without activity" in response.content.decode()
    assert not UserSession.objects.exists() and not signed_in(laptop)


def test_an_idle_session_calling_the_api_gets_401_problem_details(laptop):
    _idle(laptop, minutes=31)
    r = laptop.get("/api/v1/me")
    assert r.status_code == 401 and r.json()["title"] == "Unauthorized"


def test_the_idle_timeout_is_a_setting(laptop, settings):
    settings.COBENCH_IDLE_TIMEOUT_MINUTES = 5
    _idle(laptop, minutes=6)
    assert not signed_in(laptop)


def test_activity_keeps_a_session_going_and_is_written_at_most_once_a_minute(laptop):
    _idle(laptop, minutes=29)
    assert signed_in(laptop)
    seen = session_of(laptop).last_activity_at
    assert timezone.now() - seen < timedelta(seconds=5)
    assert signed_in(laptop) and session_of(laptop).last_activity_at == seen


def test_stay_signed_in_counts_as_activity(laptop):
    _idle(laptop, minutes=29)
    assert laptop.post("/session/ping/").status_code == 204
    assert timezone.now() - session_of(laptop).last_activity_at < timedelta(seconds=5)
    _idle(laptop, minutes=31)
    assert laptop.post("/session/ping/").status_code == 401


def test_a_sign_in_lasts_12_hours_however_active(laptop):
    UserSession.objects.update(signed_in_at=timezone.now() - timedelta(hours=12, minutes=1))
    response = laptop.get("/profile/", follow=True)
    assert "Your sign-in lasted its 12 hours" in response.content.decode()


def test_sessions_that_timed_out_are_not_listed_and_go_at_the_next_sign_in(world, laptop, phone):
    _idle(phone, minutes=31)
    dead = session_of(phone)
    listed = laptop.get("/api/v1/sessions").json()["items"]
    assert [s["device"] for s in listed] == ["Firefox on Linux"]
    assert laptop.post(f"/profile/sessions/{dead.id}/end/").status_code == 404
    sign_in(world.sponsor_lead, world.password)
    assert not UserSession.objects.filter(pk=dead.pk).exists()
