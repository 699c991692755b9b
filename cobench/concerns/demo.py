"""The demo's concerns: one escalated, one raised confidentially, others answered in time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from cobench.core.permissions import Role
from cobench.demo.cast import BOSTON, HYDERABAD, SPONSOR, Demo

from . import services


def load(demo: Demo) -> None:
    """Concerns in several states, built through the services on the demo's own clock."""
    project, orgs = demo.project, demo.organizations
    midnight = datetime.combine(demo.today, time(0), tzinfo=UTC)

    def ago(days: float = 0, hours: float = 0) -> datetime:
        return midnight - timedelta(days=days, hours=hours)

    helena = demo.user(Role.SPONSOR_LEAD)
    stefan = demo.user(Role.SPONSOR_SCIENTIST)
    brian = demo.user(Role.PARTNER_LEAD, BOSTON.name)
    maria = demo.user(Role.PARTNER_SCIENTIST, BOSTON.name)
    priya = demo.user(Role.PARTNER_LEAD, HYDERABAD.name)
    arjun = demo.user(Role.PARTNER_SCIENTIST, HYDERABAD.name)

    # answered in time, resolved and closed
    late_assays = services.raise_concern(
        actor=priya,
        project=project,
        addressed_to=orgs[SPONSOR.name],
        now=ago(20),
        title="Assay results arrive later than the charter's 10 working days",
        description="The last three batches took 15, 17 and 16 working days; we cannot plan "
        "the next round without the CDK2/CDK1 data.",
        category="communication",
        severity="medium",
    )
    services.acknowledge_concern(actor=helena, concern=late_assays, now=ago(19, 14))
    services.start_concern(actor=helena, concern=late_assays, now=ago(19))
    services.comment_on_concern(
        actor=stefan,
        concern=late_assays,
        now=ago(18),
        body="The plate reader was down for a week; a second one is on loan from the Munich site.",
    )
    services.resolve_concern(
        actor=helena,
        concern=late_assays,
        now=ago(15),
        resolution="Second plate reader in place; results now go out within 8 working days, "
        "tracked in the weekly call.",
    )
    services.close_concern(actor=priya, concern=late_assays, now=ago(14))

    # resolved, waiting to be closed
    impurity = services.raise_concern(
        actor=stefan,
        project=project,
        addressed_to=orgs[BOSTON.name],
        now=ago(9),
        title="Des-bromo impurity above 2% in CB-0007 lot 2",
        description="LC-MS shows 2.4% of the des-bromo analogue; it is a CDK1 hitter and "
        "skews the selectivity numbers.",
        category="quality",
        severity="high",
    )
    services.acknowledge_concern(actor=brian, concern=impurity, now=ago(8, 20))
    services.assign_concern(
        actor=brian, concern=impurity, owner=maria, due_date=demo.today - timedelta(days=3)
    )
    services.start_concern(actor=maria, concern=impurity, now=ago(8))
    services.resolve_concern(
        actor=maria,
        concern=impurity,
        now=ago(5),
        resolution="Lot 3 made from recrystallized boronic acid: des-bromo 0.3%. Lot 2 is "
        "withdrawn from testing.",
    )

    # never acknowledged: escalated past level 1
    slipping = services.raise_concern(
        actor=helena,
        project=project,
        addressed_to=orgs[BOSTON.name],
        now=ago(5),
        title="Analogue deliveries two weeks behind the first milestone",
        description="Seven of the first 20 analogues are delivered; the milestone is close. "
        "We need a recovery plan or a new date.",
        category="timeline",
        severity="high",
    )

    # raised confidentially by a partner chemist, acknowledged and being worked on
    pressure = services.raise_concern(
        actor=maria,
        project=project,
        addressed_to=orgs[SPONSOR.name],
        now=ago(1, 6),
        confidential=True,
        title="Pressure to report yields before analysis is complete",
        description="Yields are asked for on the day of the reaction, before NMR and LC-MS "
        "are in. Some reported numbers were later corrected downwards.",
        category="quality",
        severity="medium",
    )
    services.acknowledge_concern(
        actor=helena, concern=pressure, now=ago(hours=20), note="Thank you for raising this."
    )
    services.assign_concern(
        actor=helena, concern=pressure, owner=helena, due_date=demo.today + timedelta(days=7)
    )
    services.start_concern(actor=helena, concern=pressure, now=ago(hours=18))
    services.comment_on_concern(
        actor=maria,
        concern=pressure,
        now=ago(hours=12),
        body="Could yields be reported only with the analytical data attached?",
    )
    services.comment_on_concern(
        actor=helena,
        concern=pressure,
        now=ago(hours=10),
        body="Agreed: from next week the status document asks for analysed yields only.",
    )

    # just raised, well within its response time
    services.raise_concern(
        actor=arjun,
        project=project,
        addressed_to=orgs[HYDERABAD.name],
        now=ago(hours=1),
        title="Exotherm in the kilo-lab Boc deprotection",
        description="At 200 g the TFA addition raised the temperature by 18 K in two minutes. "
        "We paused scale-up until dosing is controlled.",
        category="safety",
        severity="high",
    )

    services.escalate_overdue(now=midnight)
    demo.extra["concerns"] = {"escalated": slipping, "confidential": pressure}
