"""Freshness against the charter's cadence, and the job that tells the leads once."""

from datetime import UTC, datetime, timedelta

from cobench.charters.services import revise_charter
from cobench.notifications.models import Notification
from cobench.status import services
from cobench.status.models import StatusDocument
from cobench.tenancy import services as tenancy

from .conftest import days


def _write(world, when, text="Twelve analogues made"):
    document = StatusDocument.objects.filter(project=world.project).first()
    if document is None:
        return services.start_status(
            actor=world.partner_lead, project=world.project, sections={"progress": text}, now=when
        )
    return services.save_status(
        actor=world.partner_lead,
        document=document,
        sections={"progress": text},
        base_number=document.version,
        now=when,
    )


def _row(world, now):
    (row,) = services.project_freshness(world.project, seen_by=None, now=now)
    return row


def test_a_document_is_fresh_within_the_cadence_and_stale_after_it(world, charter):
    _write(world, days(0))
    assert _row(world, days(13.9)).label == "fresh"
    row = _row(world, days(14.5))
    assert row.is_stale and row.label == "stale"
    assert row.due_at == days(14) and row.stale_for.total_seconds() == 12 * 3600


def test_a_new_version_makes_it_fresh_again(world, charter):
    _write(world, days(0))
    _write(world, days(20), "Fourteen analogues made")
    assert _row(world, days(21)).label == "fresh"


def test_no_cadence_means_never_stale(world):
    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(status_update_cadence_days=None),
        reason="r",
        base_number=0,
    )
    _write(world, days(0))
    row = _row(world, days(400))
    assert not row.is_stale and row.label == "no cadence"


def test_the_signed_charter_sets_the_cadence_not_a_later_draft(world, charter):
    revise_charter(
        actor=world.partner_lead,
        project=world.project,
        content=world.charter(status_update_cadence_days=60),
        reason="Less often",
        base_number=1,
    )
    assert services.cadence_days(world.project) == 14


def test_without_a_signed_charter_the_latest_version_sets_it(world):
    revise_charter(
        actor=world.sponsor_lead,
        project=world.project,
        content=world.charter(status_update_cadence_days=3),
        reason="r",
        base_number=0,
    )
    assert services.cadence_days(world.project) == 3


def test_a_partner_that_never_wrote_is_stale_when_a_cadence_is_set(world, charter):
    row = _row(world, days(0))
    assert row.is_stale and row.label == "not written"


def test_the_job_tells_the_sponsor_lead_and_the_partner_lead_once_per_stale_version(world, charter):
    _write(world, days(0))
    assert services.notify_stale(now=days(10)) == 0
    assert services.notify_stale(now=days(15)) == 2
    assert services.notify_stale(now=days(16)) == 0  # the same episode: nobody told twice
    told = Notification.objects.filter(kind="status_stale")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["alice", "paula"]
    assert "stale" in told.first().title
    _write(world, days(17), "Fourteen analogues made")  # fresh again...
    assert services.notify_stale(now=days(32)) == 2  # ...and stale again: a new episode
    assert told.count() == 4


def test_a_new_partner_has_one_cadence_to_write_its_first_document(world, charter):
    joined = datetime(2026, 1, 5, tzinfo=UTC)  # the partner's start date
    assert not _row(world, joined + timedelta(days=13)).is_stale
    assert _row(world, joined + timedelta(days=15)).is_stale


def test_the_job_reminds_a_partner_that_never_wrote(world, charter):
    assert services.notify_stale(now=days(1)) == 2
    assert services.notify_stale(now=days(2)) == 0


def test_the_job_leaves_closed_projects_alone(world, charter):
    tenancy.update_project(
        actor=world.sponsor_lead,
        project=world.project,
        expected_version=world.project.version,
        status="closed",
    )
    assert services.notify_stale(now=days(30)) == 0


def test_the_periodic_task_runs_the_job(world, charter):
    from cobench.core.periodic import PERIODIC

    job = PERIODIC["cobench.status.tasks.notify_stale_status_documents"]
    assert job.every.total_seconds() == 3600
    assert job.task.call() == 2  # a partner without a document, told now


def test_leads_see_the_stale_documents_they_answer_for(world, charter):
    _write(world, days(0))
    assert [
        r.organization.name for r in services.stale_for_leads(world.sponsor_lead, now=days(20))
    ] == ["Northbridge Chemistry"]
    assert len(services.stale_for_leads(world.partner_lead, now=days(20))) == 1
    assert services.stale_for_leads(world.sponsor_scientist, now=days(20)) == []
    assert services.stale_for_leads(world.partner_lead, now=days(1)) == []
