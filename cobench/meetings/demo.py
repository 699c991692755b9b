"""The demo's meetings: a weekly call whose partner key members drift away by the sixth meeting.

Attendance of the partners' four key members goes 4, 4, 4, 3, 2, 2 (of 4): the sixth
meeting has half of them, so the engagement warning stands on the series and the
project page. Two meetings lie ahead; attending them fully clears it.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from cobench.core.permissions import Role
from cobench.demo.cast import Demo

from . import services

SERIES_NAME = "Weekly chemistry call"
ATTENDEES = ["helena", "stefan", "brian", "maria", "priya", "arjun"]
KEY = ["helena", "brian", "maria", "priya", "arjun"]
# who was absent (a) or excused (e) at each held meeting; everyone else was present
ABSENCES: list[dict[str, str]] = [
    {},
    {},
    {},
    {"maria": "absent"},
    {"maria": "absent", "arjun": "absent", "stefan": "excused"},
    {"maria": "absent", "arjun": "absent"},
]
TOPICS = [
    "Kickoff follow-up: first analogue list and assay turnaround",
    "Aminopyrimidine analogues 1-8: synthesis status",
    "CDK2/CDK1 selectivity of the first batch",
    "Route scouting for the lead: kilo-lab feasibility",
    "Analogues 9-16: solubility problems",
    "Series review before the selection milestone",
    "Scale-up plan for 10 g of the lead",
    "Decision point preparation: series selection",
]


def load(demo: Demo) -> None:
    """Eight weekly meetings (six held, two ahead), attendance, action items and a file."""
    lead = demo.user(Role.SPONSOR_LEAD)
    series = services.create_series(
        actor=lead,
        project=demo.project,
        name=SERIES_NAME,
        description="Joint call of Helix Bio, Beacon Street and Deccan: progress, results, asks.",
        cadence="weekly",
        weekday=1,
        local_time=time(15, 0),
        time_zone="Europe/Berlin",
        attendees=ATTENDEES,
        key_members=KEY,
    )
    # the sixth meeting is the last Tuesday before the load date
    last = demo.today - timedelta(days=(demo.today.weekday() - 1) % 7 or 7)
    now = datetime.combine(demo.today, time(0), tzinfo=UTC)
    meetings = []
    for n, topic in enumerate(TOPICS):
        day = last + timedelta(weeks=n - 5)
        meetings.append(
            services.schedule_meeting(
                actor=lead,
                series=series,
                starts_at=datetime.combine(day, time(15, 0)),
                time_zone="Europe/Berlin",
                agenda=f"1. {topic}\n2. Assay results since last call\n3. Action items",
                now=now,
            )
        )
    partner_lead = demo.user(Role.PARTNER_LEAD, "Beacon Street Chemistry")
    for meeting, absences in zip(meetings, ABSENCES, strict=False):
        services.set_attendance(
            actor=partner_lead,
            meeting=meeting,
            entries={u: absences.get(u, "present") for u in ATTENDEES},
            now=now,
        )
        services.update_meeting(
            actor=partner_lead,
            meeting=meeting,
            expected_version=meeting.version,
            minutes=f"Discussed: {meeting.agenda.splitlines()[0][3:]}. "
            + ("Partner chemists absent; decisions deferred." if absences else "All present."),
        )
    items = [
        (0, "Send the first analogue list with rationale", "helena", -30, "done"),
        (3, "Share kilo-lab feasibility of the lead route", "priya", 14, "open"),
        (4, "Re-measure solubility of analogues 9-16", "maria", -3, "open"),
        (5, "Propose two alternative routes for analogue 12", "arjun", 5, "open"),
        (5, "Confirm the assay schedule for the next batch", "stefan", 2, "open"),
    ]
    for index, title, owner, due, status in items:
        item = services.add_action_item(
            actor=lead,
            meeting=meetings[index],
            title=title,
            owner=owner,
            due_date=demo.today + timedelta(days=due),
        )
        if status == "done":
            services.update_action_item(
                actor=lead, item=item, expected_version=item.version, status="done", now=now
            )
    services.attach_file(
        actor=partner_lead,
        meeting=meetings[5],
        upload=SimpleUploadedFile(
            "analogue-tracker.csv",
            b"analogue,status,purity\nCB-9,made,97.2\nCB-12,failed route,\nCB-16,made,95.8\n",
            content_type="text/csv",
        ),
    )
    demo.extra["meeting_series"] = series
