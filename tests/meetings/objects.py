"""CDK2's meeting objects for the suites that enumerate every route (isolation, audit)."""

from datetime import date, datetime, time
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from cobench.meetings import services as meetings

from ..conftest import World

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def cdk2_meetings(world: World) -> dict[str, Any]:
    """A series, a held meeting with attendance, an action item and a file of CDK2."""
    series = meetings.create_series(
        actor=world.sponsor_lead,
        project=world.project,
        name="Hinge series sync",
        local_time=time(15, 0),
        time_zone="Europe/Berlin",
    )
    meeting = meetings.schedule_meeting(
        actor=world.sponsor_lead,
        series=series,
        starts_at=datetime(2026, 3, 3, 15, 0),  # noqa: DTZ001  wall-clock time in the series' zone
        agenda="Tar formation in step 3",
    )
    meetings.set_attendance(
        actor=world.partner_lead, meeting=meeting, entries={"paula": "present", "pete": "absent"}
    )
    item = meetings.add_action_item(
        actor=world.sponsor_lead,
        meeting=meeting,
        title="Rerun the Suzuki coupling cold",
        owner="pete",
        due_date=date(2026, 3, 10),
    )
    upload = SimpleUploadedFile("hinge-route.pdf", PDF, content_type="application/pdf")
    attachment = meetings.attach_file(actor=world.partner_lead, meeting=meeting, upload=upload)
    return {
        "series": series,
        "meeting": meeting,
        "action_item": item,
        "meeting_file": attachment,
        "markers": [
            "Hinge series sync",
            "Tar formation in step 3",
            "Rerun the Suzuki coupling cold",
            "hinge-route.pdf",
            str(series.id),
            str(meeting.id),
        ],
    }


# Creators for tests/test_audit_coverage.py ----------------------------------------------


def new_series(w: World):
    return meetings.create_series(
        actor=w.sponsor_lead,
        project=w.project,
        name="Audit sync",
        local_time=time(9, 0),
        time_zone="Europe/Berlin",
    )


def new_meeting(w: World):
    return meetings.schedule_meeting(
        actor=w.sponsor_lead,
        series=new_series(w),
        starts_at=datetime(2026, 3, 3, 9, 0),  # noqa: DTZ001  wall-clock time in the series' zone
    )


def new_attendee(w: World):
    return new_series(w).attendees.get(user=w.partner_scientist)


def new_attendance(w: World):
    meeting = new_meeting(w)
    meetings.set_attendance(actor=w.sponsor_lead, meeting=meeting, entries={"pete": "present"})
    return meeting.attendance.get()


def new_action_item(w: World):
    return meetings.add_action_item(
        actor=w.sponsor_lead,
        meeting=new_meeting(w),
        title="Send NMR",
        owner="pete",
        due_date=date(2026, 3, 10),
    )


def new_file(w: World):
    upload = SimpleUploadedFile("route.pdf", PDF, content_type="application/pdf")
    return meetings.attach_file(actor=w.sponsor_lead, meeting=new_meeting(w), upload=upload)
