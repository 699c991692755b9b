"""The demo's status documents: Beacon Street's and Rhine's are fresh, Deccan's went stale.

The signed charter asks for an update every 7 days. Beacon Street Chemistry wrote
its third version two days before the load date; Deccan Synthesis Labs last wrote
twelve days before it, so its document shows as stale and the leads are told.
Versions are written in the past through the service's `now`.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from cobench.core.permissions import Role
from cobench.demo.cast import BASEL, BOSTON, HYDERABAD, Demo

from . import services

BEACON = [
    # (days before the load date, local time, writer's role, sections)
    (
        16,
        time(10, 5),
        Role.PARTNER_LEAD,
        {
            "progress": "- 8 aminopyrimidine analogues made (WP1), all >= 95% by LC-MS\n"
            "- CB-0007 and CB-0009 shipped to Helix Bio for the CDK2 assay",
            "next_steps": "Make the next 6 analogues of the hinge-binder series by the end "
            "of next week.",
            "risks": "Boronic ester for the C5 position is back-ordered (supplier says 3 weeks).",
            "asks": "CDK2 IC50s for CB-0007 and CB-0009 so we can pick the next substituents.",
        },
    ),
    (
        9,
        time(16, 40),
        Role.PARTNER_SCIENTIST,
        {
            "progress": "- 14 aminopyrimidine analogues made (WP1), all >= 95% by LC-MS\n"
            "- CB-0007, CB-0009 and CB-0012 shipped to Helix Bio for the CDK2 assay",
            "next_steps": "Make the next 6 analogues of the hinge-binder series by the end "
            "of next week.",
            "risks": "Boronic ester for the C5 position is back-ordered (supplier says 3 weeks). "
            "We switched to the pinacol ester from a second supplier.",
            "asks": "CDK2 IC50s for CB-0007 and CB-0009 so we can pick the next substituents.",
        },
    ),
    (
        2,
        time(9, 15),
        Role.PARTNER_LEAD,
        {
            "progress": "- **20 analogues delivered**: the first milestone is met, four weeks "
            "early\n"
            "- CB-0012 is the best so far: CDK2 IC50 38 nM, 41x over CDK1",
            "next_steps": "1. Six analogues around CB-0012 (C5 aryl variations) by Friday\n"
            "2. Kinetic solubility of the three best, with Helix Bio's DMPK group",
            "risks": "Boronic ester for the C5 position is back-ordered (supplier says 3 weeks). "
            "We switched to the pinacol ester from a second supplier.",
            "asks": "A decision on whether CB-0012 goes to the CDK1 cellular counterscreen "
            "this month.",
        },
    ),
]

DECCAN = [
    (
        26,
        time(11, 30),
        Role.PARTNER_LEAD,
        {
            "progress": "Route scouting for CB-0007 started in the kilo lab: two routes on paper, "
            "route A (Suzuki, 5 steps) tried at 5 g.",
            "next_steps": "Finish route A at 5 g and compare with route B.",
            "risks": "",
            "asks": "The reference sample of CB-0007 (50 mg) for analytical comparison.",
        },
    ),
    (
        12,
        time(18, 5),
        Role.PARTNER_SCIENTIST,
        {
            "progress": "Route A gave CB-0007 in 18% overall yield at 5 g; step 3 turned to tar "
            "twice above 60 °C.",
            "next_steps": "Try route B (SNAr first) at 2 g; repeat step 3 at 45 °C.",
            "risks": "Step 3 looks like degradation rather than the desired coupling: the "
            "10 g target for tox may slip by two weeks.",
            "asks": "The reference sample of CB-0007 (50 mg) for analytical comparison.",
        },
    ),
]


RHINE = [
    (
        3,
        time(14, 20),
        Role.PARTNER_LEAD,
        {
            "progress": "HCT116 proliferation EC50 running on the coded samples received so far; "
            "Z' above 0.6 on every plate.",
            "next_steps": "Read the next batch of plates on Monday.",
            "risks": "",
            "asks": "The next shipment of coded samples, 10 mM in DMSO.",
        },
    ),
]


def _at(demo: Demo, days_before: int, local: time, zone: str) -> datetime:
    day = demo.today - timedelta(days=days_before)
    return datetime.combine(day, local, tzinfo=ZoneInfo(zone))


def _write(demo: Demo, organization: str, plan: list, read_after: int | None = None) -> None:
    """Write `plan`'s versions; the sponsor lead reads version `read_after` when it is current."""
    document = None
    for days_before, local, role, sections in plan:
        writer = demo.user(role, organization)
        when = _at(demo, days_before, local, writer.time_zone)
        if document is None:
            version = services.start_status(
                actor=writer, project=demo.project, sections=sections, now=when
            )
        else:
            version = services.save_status(
                actor=writer,
                document=document,
                sections=sections,
                base_number=document.version,
                now=when,
            )
        document = version.document
        if version.number == read_after:
            services.mark_read(
                user=demo.user(Role.SPONSOR_LEAD), document=document, now=when + timedelta(hours=5)
            )
    demo.extra[f"status:{organization}"] = document


def load(demo: Demo) -> None:
    """Beacon Street's and Rhine's status documents are fresh, Deccan's is older than the
    7-day cadence."""
    _write(demo, BOSTON.name, BEACON, read_after=2)  # her page marks what changed since
    _write(demo, HYDERABAD.name, DECCAN)
    _write(demo, BASEL.name, RHINE)
