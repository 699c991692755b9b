"""Administrators register organizations and people from the command line."""

import io

import pytest
from django.core.management.base import CommandError

from cobench.audit.models import AuditEvent
from cobench.tenancy.models import Organization, User
from tests.cli.commands import cobench


@pytest.fixture
def stdin(monkeypatch):
    def feed(text: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

    return feed


def test_register_an_organization_and_a_person(db, stdin, capsys):
    assert (
        cobench(
            "org", "create", "Azure Synthesis", "--country", "Japan", "--time-zone", "Asia/Tokyo"
        )
        == 0
    )
    stdin("a long enough passphrase\n")
    assert (
        cobench(
            "user",
            "create",
            "kenji",
            "--org",
            "Azure Synthesis",
            "--first-name",
            "Kenji",
            "--password-stdin",
        )
        == 0
    )
    kenji = User.objects.get(username="kenji")
    assert kenji.time_zone == "Asia/Tokyo" and kenji.check_password("a long enough passphrase")
    assert list(kenji.organization_memberships.values_list("organization__name", flat=True)) == [
        "Azure Synthesis"
    ]
    events = AuditEvent.objects.values_list("event", "actor_label")
    assert list(events) == [
        ("organization.created", "system"),
        ("user.created", "system"),
        ("organization.joined", "system"),
    ]
    assert "a long enough passphrase" not in str(list(AuditEvent.objects.values("changes")))
    assert cobench("org", "list") == 0
    assert "Azure Synthesis\tJapan\tAsia/Tokyo\t1 people" in capsys.readouterr().out


def test_bad_input_is_named_and_nothing_is_created(db, stdin):
    cobench("org", "create", "Azure Synthesis")
    with pytest.raises(CommandError, match="name"):
        cobench("org", "create", "Azure Synthesis")
    with pytest.raises(CommandError, match="time_zone"):
        cobench("org", "create", "Other", "--time-zone", "Mars/Olympus")
    stdin("short\n")
    with pytest.raises(CommandError, match="password"):
        cobench("user", "create", "kenji", "--org", "Azure Synthesis", "--password-stdin")
    with pytest.raises(CommandError, match="No organization"):
        cobench("user", "create", "kenji", "--org", "Nowhere", "--password-stdin")
    assert Organization.objects.count() == 1 and not User.objects.exists()


def test_a_person_can_work_for_a_second_organization(db, stdin):
    cobench("org", "create", "One")
    cobench("org", "create", "Two")
    stdin("a long enough passphrase\n")
    cobench("user", "create", "kim", "--org", "One", "--password-stdin")
    assert cobench("user", "join", "kim", "--org", "Two") == 0
    with pytest.raises(CommandError, match="already works"):
        cobench("user", "join", "kim", "--org", "Two")
    assert User.objects.get(username="kim").organization_memberships.count() == 2


@pytest.mark.parametrize(
    ("password", "reason"),
    [("pwtest22", "too similar to the username"), ("eleven char", "too short")],
)
def test_a_weak_password_for_a_new_account_is_refused_with_the_reason(db, stdin, password, reason):
    cobench("org", "create", "Azure Synthesis")
    stdin(f"{password}\n")
    with pytest.raises(CommandError, match=reason):
        cobench("user", "create", "pwtest2", "--org", "Azure Synthesis", "--password-stdin")
    assert not User.objects.exists()
