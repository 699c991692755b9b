"""Password rules, as a person meets them on the password change page."""

import pytest

from cobench.audit.models import AuditEvent

from ..factories import PASSWORD, UserFactory


def _change(web, user, old, new):
    return web(user).post(
        "/profile/password/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short pass1", "This password is too short. It must contain at least 12 characters."),
        ("x" * 129, "This password is too long: it may have at most 128 characters."),
        ("password1234", "This password is too common."),
        ("alice@example", "The password is too similar to the email address."),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(web, world, new, message):
    response = _change(web, world.sponsor_lead, world.password, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    world.sponsor_lead.refresh_from_db()
    assert world.sponsor_lead.check_password(world.password)
    assert not AuditEvent.objects.filter(event="password.changed").exists()


@pytest.mark.parametrize("length", [12, 128])
def test_any_password_from_12_to_128_characters_is_accepted(web, world, length):
    new = ("plum orchard river " * 7)[:length]
    assert _change(web, world.sponsor_lead, world.password, new).status_code == 302
    world.sponsor_lead.refresh_from_db()
    assert world.sponsor_lead.check_password(new)


def test_the_page_states_the_rules(web, world):
    page = web(world.sponsor_lead).get("/profile/password/").content.decode()
    assert "at least 12 characters" in page and "up to 128 characters" in page


def test_a_password_like_ones_username_is_refused(web, world):
    pat = UserFactory(username="pwtest2", organization=world.partner)
    response = _change(web, pat, PASSWORD, "pwtest2222222")
    assert "The password is too similar to the username." in response.content.decode()
