"""Every model holding project data writes an audit event on create, update and delete.

The models are found automatically (those whose manager restricts by project);
each must say here how its services create, change and delete it — or why a
step never happens. A new project-data model fails this test until declared.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps

from cobench.assays import imports as assay_imports
from cobench.assays import services as assays
from cobench.assays.models import Result, Summary
from cobench.assays.sar import series as chem_series
from cobench.audit.models import AuditEvent
from cobench.charters import services as charters
from cobench.charters.models import CharterVersion
from cobench.compound_requests import services as compound_requests
from cobench.compounds import imports
from cobench.compounds import services as compounds
from cobench.concerns import services as concerns
from cobench.core.querysets import ProjectScopedQuerySet
from cobench.meetings import services as meetings
from cobench.status import services as status
from cobench.tenancy import services as tenancy
from cobench.tenancy.models import ProjectMember

from .assays import objects as assay_objects
from .assays import series_objects
from .compound_requests import objects as request_objects
from .compounds import objects as compound_objects
from .conftest import World
from .factories import UserFactory
from .meetings import objects as meeting_objects

Step = Callable[[World, Any], Any] | str  # a service call, or why it never happens


@dataclass
class Coverage:
    create: Callable[[World], Any]
    update: Step
    delete: Step
    audited_as: Callable[[Any], Any] = lambda obj: obj  # the object its events name


def _version(w: World) -> CharterVersion:
    return charters.revise_charter(
        actor=w.sponsor_lead, project=w.project, content=w.charter(), reason="r", base_number=0
    )


def _summary(result: Result) -> Summary:
    return Summary.objects.get(assay=result.assay, compound=result.compound)


def _signature(w: World):
    return charters.sign_charter(
        actor=w.sponsor_lead, version=_version(w), password=w.password, meaning="Approved"
    )


def _status(w: World):
    return status.start_status(
        actor=w.partner_lead, project=w.project, sections={"progress": "Started"}
    )


def _new_member(w: World) -> ProjectMember:
    UserFactory(username="nina", organization=w.partner)
    return tenancy.add_member(
        actor=w.sponsor_lead, project=w.project, username="nina", role="partner_scientist"
    )


def _concern(w: World, raised_at: Any = None):
    return concerns.raise_concern(
        actor=w.partner_scientist,
        project=w.project,
        title="Late",
        description="Lot 3 late",
        category="timeline",
        severity="high",
        now=raised_at,
    )


def _escalation(w: World):
    from datetime import timedelta

    from django.utils import timezone

    concern = _concern(w, raised_at=timezone.now() - timedelta(days=3))
    charters.revise_charter(
        actor=w.sponsor_lead,
        project=w.project,
        reason="two levels",
        base_number=0,
        content=w.charter(
            escalation_ladder=[
                {"level": 1, "who": "Leads", "response_hours": {"high": 1}},
                {
                    "level": 2,
                    "who": "Executives",
                    "notify": "executives",
                    "response_hours": {"high": 1},
                },
            ]
        ),
    )
    concerns.escalate_overdue()
    return concern.escalations.get()


def _sharing_rule(w: World):
    from cobench.assays import sharing

    return sharing.set_rule(
        actor=w.sponsor_lead,
        assay=assay_objects.new_assay(w),
        partner=w.partner,
        mode="full",
        reason="Potency is shared with the chemists",
    )


COVERAGE: dict[str, Coverage] = {
    "assays.assay": Coverage(
        create=assay_objects.new_assay,
        update=lambda w, a: assays.update_assay(
            actor=w.sponsor_lead, assay=a, expected_version=a.version, target="CDK2/cyclin A"
        ),
        delete="assays are never deleted: their results refer to them",
    ),
    "assays.assayfile": Coverage(
        create=assay_objects.new_file,
        update="a file never changes: another one is attached",
        delete="an assay's protocols are kept with it",
    ),
    "assays.result": Coverage(
        create=assay_objects.new_result,
        update=lambda w, r: assays.flag_result(
            actor=w.sponsor_scientist, result=r, flag="outlier", reason="Edge well"
        ),
        delete="results are never deleted: a wrong one is flagged invalid, with a reason",
    ),
    "assays.resultimport": Coverage(
        create=assay_objects.new_import,
        update=lambda w, job: assay_imports.check_import(actor=w.sponsor_scientist, job=job),
        delete="import jobs are kept: they record where imported results came from",
    ),
    "assays.summary": Coverage(
        create=lambda w: _summary(assay_objects.new_result(w)),
        update="a summary is rewritten with its results: the change is the result's own event",
        delete="a summary goes when its last valid result is flagged invalid: the flag's event",
        audited_as=lambda s: Result.objects.filter(assay=s.assay, compound=s.compound).first(),
    ),
    "assays.sharingrule": Coverage(
        create=_sharing_rule,
        update="a rule never changes: a new rule with its own start replaces it",
        delete="rules are kept: they say what a partner saw when",
    ),
    "assays.series": Coverage(
        create=series_objects.new_series,
        update=lambda w, s: chem_series.update_series(
            actor=w.sponsor_lead, series=s, description="Hinge binders"
        ),
        delete="series are kept: a series without members stays as a name and a core",
    ),
    "assays.seriesmember": Coverage(
        create=series_objects.new_member,
        update="a tag never changes: it is removed, or added again",
        delete=lambda w, m: chem_series.untag_compound(
            actor=w.sponsor_lead, series=m.series, compound=m.compound
        ),
        audited_as=lambda m: m.series,
    ),
    "compound_requests.compoundrequest": Coverage(
        create=request_objects.new_request,
        update=lambda w, r: compound_requests.accept_request(actor=w.partner_lead, request=r),
        delete="requests are abandoned (a state, with a reason), never deleted",
    ),
    "compound_requests.requestmessage": Coverage(
        create=request_objects.new_message,
        update="a message in a request's thread never changes",
        delete="a request's thread is its record: messages are never removed",
        audited_as=lambda m: m.request,
    ),
    "compounds.compound": Coverage(
        create=lambda w: compound_objects.register(w).compound,
        update="a compound never changes: its structure is its identity; lots change",
        delete="compounds are never deleted: lots, exports and search refer to them",
    ),
    "compounds.projectcompound": Coverage(
        create=lambda w: compound_objects.register(w).compound.project_links.get(),
        update="a compound's registration in a project never changes",
        delete="a compound stays registered in its projects",
    ),
    "compounds.lot": Coverage(
        create=lambda w: compound_objects.register(w).lot,
        update=lambda w, lot: compounds.update_lot(
            actor=w.partner_lead, lot=lot, expected_version=lot.version, purity=Decimal("97.5")
        ),
        delete="lots are never deleted: they are physical batches with a chain of custody",
    ),
    "compounds.lotfile": Coverage(
        create=compound_objects.new_file,
        update="a file never changes: another one is attached",
        delete="a lot's analytical files are kept with the lot",
    ),
    "compounds.shipment": Coverage(
        create=compound_objects.new_shipment,
        update=lambda w, s: compounds.receive_shipment(
            actor=w.sponsor_lead, shipment=s, condition="good"
        ),
        delete="shipments are never deleted: they are the lot's chain of custody",
    ),
    "compounds.importjob": Coverage(
        create=compound_objects.new_import,
        update=lambda w, job: imports.check_import(actor=w.partner_scientist, job=job),
        delete="import jobs are kept: they record where each imported lot came from",
    ),
    "concerns.concern": Coverage(
        create=_concern,
        update=lambda w, c: concerns.acknowledge_concern(actor=w.sponsor_lead, concern=c),
        delete="concerns are closed, never deleted: their record must stay",
    ),
    "concerns.comment": Coverage(
        create=lambda w: concerns.comment_on_concern(
            actor=w.sponsor_lead, concern=_concern(w), body="On it"
        ),
        update="comments are never edited",
        delete="comments are never removed",
        audited_as=lambda c: c.concern,
    ),
    "concerns.escalation": Coverage(
        create=_escalation,
        update="an escalation is a fact: it never changes",
        delete="escalations are never removed",
        audited_as=lambda e: e.concern,
    ),
    "status.statusdocument": Coverage(
        create=lambda w: _status(w).document,
        update=lambda w, d: status.save_status(
            actor=w.partner_lead, document=d, sections={"progress": "More"}, base_number=d.version
        ),
        delete="status documents are never deleted: their versions are the record",
    ),
    "status.statusversion": Coverage(
        create=_status,
        update="a version never changes: a change is a new version",
        delete="versions are never deleted",
        audited_as=lambda v: v.document,
    ),
    "meetings.meetingseries": Coverage(
        create=meeting_objects.new_series,
        update=lambda w, s: meetings.update_series(
            actor=w.sponsor_lead, series=s, expected_version=s.version, name="Renamed"
        ),
        delete="series stay with their meetings: their record must stay",
    ),
    "meetings.seriesattendee": Coverage(
        create=meeting_objects.new_attendee,
        update=lambda w, a: meetings.update_series(
            actor=w.sponsor_lead,
            series=a.series,
            expected_version=a.series.version,
            key_members=["pete"],
        ),
        delete=lambda w, a: meetings.update_series(
            actor=w.sponsor_lead, series=a.series, expected_version=None, attendees=["alice"]
        ),
        audited_as=lambda a: a.series,
    ),
    "meetings.meeting": Coverage(
        create=meeting_objects.new_meeting,
        update=lambda w, m: meetings.update_meeting(
            actor=w.sponsor_lead, meeting=m, expected_version=m.version, minutes="Done"
        ),
        delete="meetings are cancelled (status), never deleted",
    ),
    "meetings.attendance": Coverage(
        create=meeting_objects.new_attendance,
        update=lambda w, a: meetings.set_attendance(
            actor=w.sponsor_lead, meeting=a.meeting, entries={"pete": "excused"}
        ),
        delete="attendance is corrected, never deleted",
        audited_as=lambda a: a.meeting,
    ),
    "meetings.actionitem": Coverage(
        create=meeting_objects.new_action_item,
        update=lambda w, i: meetings.update_action_item(
            actor=w.sponsor_lead, item=i, expected_version=i.version, status="done"
        ),
        delete="action items are cancelled (status), never deleted",
    ),
    "meetings.meetingattachment": Coverage(
        create=meeting_objects.new_file,
        update="a file never changes: another one is attached",
        delete=lambda w, f: meetings.remove_file(actor=w.sponsor_lead, attachment=f, reason="Dup"),
    ),
    "meetings.engagementthresholds": Coverage(
        create=lambda w: meetings.set_engagement_thresholds(
            actor=w.sponsor_lead, project=w.project, fraction=Decimal("0.6"), missed_of_latest=2
        ),
        update=lambda w, t: meetings.set_engagement_thresholds(
            actor=w.sponsor_lead,
            project=w.project,
            fraction=Decimal("0.5"),
            missed_of_latest=3,
            expected_version=t.version,
        ),
        delete="a project's thresholds are changed, never deleted",
    ),
    "tenancy.project": Coverage(
        create=lambda w: tenancy.create_project(
            actor=w.sponsor_lead, code="PRJ-NEW", name="New", sponsor=w.sponsor
        ),
        update=lambda w, p: tenancy.update_project(
            actor=w.sponsor_lead, project=p, expected_version=p.version, status="on_hold"
        ),
        delete="projects are closed (status), never deleted: their record must stay",
    ),
    "tenancy.projectpartner": Coverage(
        create=lambda w: tenancy.add_partner(
            actor=w.sponsor_lead,
            project=w.project,
            organization=w.other_partner,
            start_date=date(2026, 5, 1),
        ),
        update=lambda w, p: tenancy.update_partner(
            actor=w.sponsor_lead, partner=p, expected_version=p.version, scope_of_work="Kilo lab"
        ),
        delete=lambda w, p: tenancy.remove_partner(actor=w.sponsor_lead, partner=p, reason="Done"),
    ),
    "tenancy.projectmember": Coverage(
        create=_new_member,
        update=lambda w, m: tenancy.update_member(
            actor=w.sponsor_lead, member=m, expected_version=m.version, is_key=True
        ),
        delete=lambda w, m: tenancy.remove_member(actor=w.sponsor_lead, member=m, reason="Left"),
    ),
    "charters.charterversion": Coverage(
        create=_version,
        update=lambda w, v: charters.sign_charter(
            actor=w.sponsor_lead, version=v, password=w.password, meaning="Approved"
        ),
        delete="charter versions are never deleted: a change is a new version",
    ),
    "charters.signature": Coverage(
        create=_signature,
        update="signatures are never changed",
        delete="signatures are never removed",
        audited_as=lambda s: s.version,
    ),
}


def project_data_models() -> list[str]:
    return sorted(
        m._meta.label_lower
        for m in apps.get_models()
        if isinstance(m._default_manager.all(), ProjectScopedQuerySet)
        and m._meta.label_lower != "audit.auditevent"
    )


def test_every_project_data_model_is_declared():
    assert project_data_models() == sorted(COVERAGE)


def _events(label: str, pk: Any) -> list[str]:
    events = AuditEvent.objects.filter(target_type=label, target_id=str(pk))
    return list(events.values_list("event", flat=True))


@pytest.mark.parametrize("label", sorted(COVERAGE))
def test_services_audit_every_change(world, label):
    spec = COVERAGE[label]
    obj = spec.create(world)
    target = spec.audited_as(obj)
    key = (target._meta.label_lower, target.pk)  # kept: a deleted object loses its pk
    assert len(_events(*key)) >= 1, f"{label}: creating it wrote no audit event"
    for step in (spec.update, spec.delete):
        if isinstance(step, str):
            continue
        before = len(_events(*key))
        step(world, obj)
        assert len(_events(*key)) == before + 1, f"{label}: a change wrote no audit event"
