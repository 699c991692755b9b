"""`cobench audit verify` names the first altered, inserted or deleted audit event."""

import pytest
from django.db import connection

from cobench.audit.models import AuditEvent
from tests.cli.commands import cobench

TABLE = AuditEvent._meta.db_table


def _sql(statement: str, params: list | None = None) -> None:
    """Change the trail behind the application's back, as an attacker with SQL access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_event_append_only")
        cursor.execute(statement, params or [])
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_event_append_only")


@pytest.fixture
def events(world):
    return list(AuditEvent.objects.order_by("seq"))


def test_intact_trail_passes_and_counts_every_event(events, capsys):
    assert cobench("audit", "verify") == 0
    assert f"audit trail intact: {len(events)} events" in capsys.readouterr().out


def test_empty_trail_is_intact(db, capsys):
    assert cobench("audit", "verify") == 0
    assert "audit trail intact: 0 events" in capsys.readouterr().out


def test_an_altered_event_is_named(events, capsys):
    victim = events[3]
    _sql(f"UPDATE {TABLE} SET reason = %s WHERE seq = %s", ["nothing to see", victim.seq])
    assert cobench("audit", "verify") == 1
    err = capsys.readouterr().err
    assert f"#{victim.seq}" in err and str(victim.id) in err and "altered" in err


def test_a_deleted_event_is_found_at_the_event_after_it(events, capsys):
    _sql(f"DELETE FROM {TABLE} WHERE seq = %s", [events[2].seq])
    assert cobench("audit", "verify") == 1
    err = capsys.readouterr().err
    assert f"#{events[3].seq}" in err and str(events[3].id) in err


def test_an_inserted_event_is_named(events, capsys):
    _sql(f"UPDATE {TABLE} SET prev_hash = %s WHERE seq = %s", ["f" * 64, events[1].seq])
    assert cobench("audit", "verify") == 1
    assert f"#{events[1].seq}" in capsys.readouterr().err


def test_the_database_refuses_to_rewrite_history(events):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    from django.db import DatabaseError, transaction

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {TABLE} SET reason = 'x' WHERE seq = %s", [events[0].seq])
