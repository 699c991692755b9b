"""CDK2's weekly call: a series of alice, sam, paula and pete (all key) with meetings."""

from datetime import UTC, datetime, time, timedelta

import pytest

from cobench.meetings import services as meetings

# the first meeting: Tuesday 3 March 2026, 15:00 in Berlin (14:00 UTC)
FIRST = datetime(2026, 3, 3, 15, 0)  # noqa: DTZ001  wall-clock time in the series' zone
AFTER_ALL = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def series(world):
    return meetings.create_series(
        actor=world.sponsor_lead,
        project=world.project,
        name="Weekly chemistry call",
        local_time=time(15, 0),
        time_zone="Europe/Berlin",
        attendees=["alice", "sam", "paula", "pete"],
    )


@pytest.fixture
def schedule(world, series):
    """`schedule(n)` makes meetings 1..n of the weekly call (a week apart)."""

    def make(n: int):
        return [
            meetings.schedule_meeting(
                actor=world.sponsor_lead, series=series, starts_at=FIRST + timedelta(weeks=i)
            )
            for i in range(n)
        ]

    return make


def attend(world, meeting, absent=(), excused=(), now=AFTER_ALL):
    """Everyone of the series present at `meeting` but those named."""
    entries = {u: "present" for u in ("alice", "sam", "paula", "pete")}
    entries |= dict.fromkeys(absent, "absent") | dict.fromkeys(excused, "excused")
    meetings.set_attendance(actor=world.sponsor_lead, meeting=meeting, entries=entries, now=now)
