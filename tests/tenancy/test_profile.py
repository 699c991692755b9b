"""One's own name, e-mail, time zone and password, from the name in the header."""

from zoneinfo import ZoneInfo

from django.utils.timezone import localtime

from cobench.audit.models import AuditEvent
from cobench.charters.services import revise_charter


def test_my_name_in_the_header_leads_to_my_profile(web, world):
    page = web(world.partner_lead).get("/").content.decode()
    assert 'href="/profile/"' in page
    profile = web(world.partner_lead).get("/profile/").content.decode()
    assert 'value="Paula"' in profile and 'value="paula@example.com"' in profile
    assert 'href="/profile/password/"' in profile


def test_common_time_zones_are_offered_first_then_all_sorted(web, world):
    page = web(world.partner_lead).get("/profile/").content.decode()
    common, rest = page.split('label="All time zones"')
    assert "Europe/Berlin" in common and "Asia/Tokyo" in common
    assert rest.index("Africa/Abidjan") < rest.index("Pacific/Auckland")
    assert "Europe/Berlin" not in rest  # offered once
    assert '<option value="UTC" selected>' in common


def test_i_change_my_details_and_times_show_in_my_new_zone(web, world):
    version = revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(),
        reason="Kickoff",
        base_number=0,
    )
    client = web(world.partner_lead)
    response = client.post(
        "/profile/",
        {
            "first_name": "Paula",
            "last_name": "Nguyen",
            "email": "paula.nguyen@northbridge.example",
            "time_zone": "Asia/Tokyo",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/profile/"
    world.partner_lead.refresh_from_db()
    assert world.partner_lead.last_name == "Nguyen"
    assert world.partner_lead.time_zone == "Asia/Tokyo"
    assert "Times are now shown in Asia/Tokyo" in client.get("/profile/").content.decode()
    page = client.get(f"/projects/{world.project.id}/charter/{version.id}/").content.decode()
    assert localtime(version.created_at, ZoneInfo("Asia/Tokyo")).strftime("%H:%M %Z") in page
    assert "Paula Nguyen" in page
    assert AuditEvent.objects.filter(event="profile.updated").exists()


def test_bad_e_mail_and_unknown_time_zone_are_explained_beside_their_fields(web, world):
    response = web(world.partner_lead).post(
        "/profile/",
        {"first_name": "P", "last_name": "", "email": "not-an-address", "time_zone": "Mars/Base"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "&#x27;Mars/Base&#x27; is not a known time zone" in page
    assert 'value="not-an-address"' in page
    world.partner_lead.refresh_from_db()
    assert world.partner_lead.time_zone == "UTC" and world.partner_lead.first_name == "Paula"


def test_a_time_zone_is_required(web, world):
    response = web(world.partner_lead).post("/profile/", {"first_name": "Paula"})
    assert response.status_code == 422 and "This field is required." in response.content.decode()


def test_the_profile_is_mine_alone(web, world):
    assert web(None).get("/profile/").status_code == 302
    web(world.outsider).post("/profile/", {"first_name": "Oz", "time_zone": "UTC"})
    world.sponsor_lead.refresh_from_db()
    assert world.sponsor_lead.first_name == "Alice"


def test_i_change_my_password_and_stay_signed_in(web, world):
    client = web(world.sponsor_lead)
    assert "Change your password" in client.get("/profile/password/").content.decode()
    response = client.post(
        "/profile/password/",
        {
            "old_password": world.password,
            "new_password1": "a much longer new passphrase",
            "new_password2": "a much longer new passphrase",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/profile/"
    assert "Your password is changed." in client.get("/profile/").content.decode()
    world.sponsor_lead.refresh_from_db()
    assert world.sponsor_lead.check_password("a much longer new passphrase")


def test_a_wrong_old_password_changes_nothing(web, world):
    response = web(world.sponsor_lead).post(
        "/profile/password/",
        {"old_password": "nope", "new_password1": "x" * 20, "new_password2": "x" * 20},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    world.sponsor_lead.refresh_from_db()
    assert world.sponsor_lead.check_password(world.password)
