"""Escalation along the charter's ladder: once per level, however often the job runs."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cobench.audit.models import AuditEvent
from cobench.charters.services import revise_charter, sign_charter
from cobench.concerns import services
from cobench.concerns.models import Concern, Escalation
from cobench.concerns.tasks import escalate_overdue_concerns
from cobench.core.periodic import PERIODIC
from cobench.notifications.models import Notification

from .conftest import LADDER

pytestmark = pytest.mark.usefixtures("charter")
T0 = timezone.now().replace(microsecond=0) - timedelta(days=30)


def _concern(world, severity="high", who=None, **kw) -> Concern:
    return services.raise_concern(
        actor=who or world.partner_scientist,
        project=world.project,
        title="Late shipment",
        description="Lot 3 is two weeks late.",
        category="timeline",
        severity=severity,
        now=T0,
        **kw,
    )


def _escalated_to(concern):
    return list(Escalation.objects.filter(concern=concern).values_list("to_level", flat=True))


def test_nothing_escalates_before_its_deadline(world):
    c = _concern(world)  # high: 24 h at level 1
    assert services.escalate_overdue(now=T0 + timedelta(hours=24)) == 0
    c.refresh_from_db()
    assert c.level == 1 and not _escalated_to(c)


def test_unacknowledged_concern_escalates_once_per_level_however_often_the_job_runs(world):
    c = _concern(world)
    late = T0 + timedelta(hours=25)
    assert services.escalate_overdue(now=late) == 1
    for _ in range(3):
        assert services.escalate_overdue(now=late) == 0
        assert services.escalate_overdue(now=late + timedelta(minutes=5)) == 0
    c.refresh_from_db()
    assert c.level == 2 and _escalated_to(c) == [2]
    escalation = Escalation.objects.get(concern=c)
    assert escalation.missed == "acknowledgement"
    assert escalation.deadline == T0 + timedelta(hours=24)
    events = AuditEvent.objects.filter(target_id=str(c.pk), event="concern.escalated")
    assert events.count() == 1 and events.get().actor_label == "system"
    assert events.get().changes == {"level": [1, 2]}
    # level 2 notifies leads and executives, each once
    told = Notification.objects.filter(kind="concern_escalated")
    assert sorted(n.recipient.username for n in told) == ["alice", "erin", "paula"]
    # level 2 allows 48 h more for a high concern, counted from the missed deadline
    assert services.escalate_overdue(now=T0 + timedelta(hours=24 + 48)) == 0
    assert services.escalate_overdue(now=T0 + timedelta(hours=24 + 49)) == 1
    assert services.escalate_overdue(now=T0 + timedelta(days=300)) == 0  # top of the ladder
    c.refresh_from_db()
    assert c.level == 3 and _escalated_to(c) == [2, 3]
    assert Notification.objects.filter(kind="concern_escalated").count() == 4  # + erin at 3


def test_after_downtime_it_catches_up_through_every_missed_level(world):
    c = _concern(world)
    assert services.escalate_overdue(now=T0 + timedelta(days=20)) == 2
    c.refresh_from_db()
    assert c.level == 3
    deadlines = list(Escalation.objects.filter(concern=c).values_list("deadline", flat=True))
    assert deadlines == [T0 + timedelta(hours=24), T0 + timedelta(hours=72)]


def test_acknowledged_but_unresolved_concern_escalates_on_the_resolution_clock(world):
    c = _concern(world)
    services.acknowledge_concern(actor=world.sponsor_lead, concern=c, now=T0 + timedelta(hours=2))
    assert services.escalate_overdue(now=T0 + timedelta(hours=25)) == 0
    assert services.escalate_overdue(now=T0 + timedelta(hours=27)) == 1
    assert Escalation.objects.get(concern=c).missed == "resolution"


def test_resolved_and_closed_concerns_do_not_escalate(world):
    c = _concern(world)
    services.acknowledge_concern(actor=world.sponsor_lead, concern=c, now=T0)
    services.resolve_concern(actor=world.sponsor_lead, concern=c, resolution="Shipped", now=T0)
    assert services.escalate_overdue(now=T0 + timedelta(days=25)) == 0


def test_a_reopened_concern_never_escalates_to_a_level_twice(world):
    c = _concern(world)
    services.escalate_overdue(now=T0 + timedelta(hours=25))
    c.refresh_from_db()
    services.acknowledge_concern(actor=world.sponsor_lead, concern=c, now=T0 + timedelta(hours=26))
    services.resolve_concern(
        actor=world.sponsor_lead, concern=c, resolution="ok", now=T0 + timedelta(hours=27)
    )
    services.reopen_concern(
        actor=world.partner_scientist, concern=c, reason="Not ok", now=T0 + timedelta(hours=28)
    )
    assert services.escalate_overdue(now=T0 + timedelta(hours=28 + 47)) == 0
    assert services.escalate_overdue(now=T0 + timedelta(hours=28 + 49)) == 1
    assert _escalated_to(c) == [2, 3]


def test_severity_without_response_time_does_not_escalate_further(world):
    c = _concern(world, severity="low")  # level 3 has no time for low
    assert services.escalate_overdue(now=T0 + timedelta(days=29)) == 2
    c.refresh_from_db()
    assert c.level == 3
    assert services.deadline(c) is None


def test_without_a_ladder_nothing_escalates(world):
    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(escalation_ladder=[]),
        reason="No ladder",
        base_number=1,
    )
    _concern(world)
    assert services.escalate_overdue(now=T0 + timedelta(days=29)) == 0


def test_the_signed_version_s_ladder_applies_over_a_later_draft(world, charter):
    sign_charter(actor=world.sponsor_lead, version=charter, password=world.password, meaning="ok")
    sign_charter(actor=world.partner_lead, version=charter, password=world.password, meaning="ok")
    slow = [dict(rung, response_hours={"high": 500}) for rung in LADDER]
    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(escalation_ladder=slow),
        reason="Slower",
        base_number=1,
    )
    _concern(world)
    assert services.escalate_overdue(now=T0 + timedelta(hours=25)) == 1


def test_the_database_refuses_a_second_escalation_to_the_same_level(world):
    c = _concern(world)
    services.escalate_overdue(now=T0 + timedelta(hours=25))
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.create(
            concern=c,
            from_level=1,
            to_level=2,
            missed="acknowledgement",
            deadline=T0,
            escalated_at=T0,
        )


def test_the_periodic_task_runs_every_five_minutes(world):
    job = PERIODIC["cobench.concerns.tasks.escalate_overdue_concerns"]
    assert job.every == timedelta(minutes=5)
    _concern(world)
    assert escalate_overdue_concerns.call() == 2  # raised 30 days ago: levels 2 and 3
    assert escalate_overdue_concerns.call() == 0
