"""What a charter says: the typed content of one version, its completeness and its comparison.

This is the one declaration of what a charter holds: each field's type, limits,
label (`title`) and help (`description`). The pages' layout (`layout.py`) and the
API's schema are both read from it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from cobench.core.permissions import Role
from cobench.core.text import reject_nul

SHORT_TEXT_MAX = 200  # a line; longer texts are written in paragraphs
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=SHORT_TEXT_MAX)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
Name = Annotated[ShortText, StringConstraints(min_length=1)]
Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")
FacilityType = Literal["rd_lab", "kilo_lab", "scale_up", "gmp_suite"]
FACILITY_TYPES: dict[str, str] = {
    "rd_lab": "R&D lab",
    "kilo_lab": "Kilo lab",
    "scale_up": "Scale-up plant",
    "gmp_suite": "GMP suite",
}
MAX_ITEMS = 200


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return reject_nul(value)


class TeamMember(_Part):
    """A named person doing the work, on either side."""

    name: Name = Field(title="Name")
    organization: ShortText = Field(default="", title="Organization")
    role: Role = Field(title="Role")
    responsibility: ShortText = Field(default="", title="Responsibility")


class Milestone(_Part):
    """A dated step of the timeline."""

    name: Name = Field(title="Milestone")
    due: date = Field(title="Due")
    description: LongText = Field(default="", title="Description")


class Site(_Part):
    """Where the work is done, and in what kind of facility."""

    name: Name = Field(title="Site")
    organization: ShortText = Field(default="", title="Organization")
    facility_type: FacilityType = Field(title="Facility")
    location: ShortText = Field(default="", title="Location")


class WorkPackage(_Part):
    """A named part of the work and who owns it."""

    name: Name = Field(title="Work package")
    description: LongText = Field(default="", title="Description")
    owner: ShortText = Field(default="", title="Owner")


NotifyGroup = Literal["leads", "sponsor_lead", "partner_lead", "executives", "leads_and_executives"]
NOTIFY_GROUPS: dict[str, tuple[str, frozenset[Role]]] = {
    "leads": (
        "Project leads (sponsor and partner)",
        frozenset({Role.SPONSOR_LEAD, Role.PARTNER_LEAD}),
    ),
    "sponsor_lead": ("Sponsor lead", frozenset({Role.SPONSOR_LEAD})),
    "partner_lead": ("Partner leads", frozenset({Role.PARTNER_LEAD})),
    "executives": ("Executives", frozenset({Role.EXECUTIVE})),
    "leads_and_executives": (
        "Leads and executives",
        frozenset({Role.SPONSOR_LEAD, Role.PARTNER_LEAD, Role.EXECUTIVE}),
    ),
}


class EscalationLevel(_Part):
    """One rung of the ladder: who is reached, and how fast they must respond per severity.

    `who` names them for people; `notify` says which project roles cobench notifies.
    """

    level: int = Field(ge=1, le=10, title="Level")
    who: Name = Field(title="Who is reached")
    notify: NotifyGroup = Field(default="leads", title="Notify")
    response_hours: dict[Severity, Annotated[int, Field(ge=1, le=24 * 365)]] = Field(
        default={}, title="Response time (h)", description="Hours to respond, per severity."
    )


class DecisionPoint(_Part):
    """A dated decision and the criteria it is taken on."""

    name: Name = Field(title="Decision point")
    due: date = Field(title="Date")
    criteria: LongText = Field(default="", title="Criteria")


# how people read each kind of choice a charter holds
CHOICE_LABELS: dict[Any, dict[str, str]] = {
    Role: {role.value: str(role.label) for role in Role},
    FacilityType: FACILITY_TYPES,
    NotifyGroup: {key: label for key, (label, _) in NOTIFY_GROUPS.items()},
}


class CharterContent(_Part):
    """The framework both sides fall back on: who, when, where, how, and the boundaries."""

    team: list[TeamMember] = Field(
        default=[],
        max_length=MAX_ITEMS,
        title="Team",
        description="The named people doing the work, on both sides.",
    )
    start_date: date | None = Field(default=None, title="Start date")
    end_date: date | None = Field(default=None, title="End date")
    milestones: list[Milestone] = Field(default=[], max_length=MAX_ITEMS, title="Milestones")
    sites: list[Site] = Field(default=[], max_length=MAX_ITEMS, title="Sites and facilities")
    methods: LongText = Field(
        default="", title="Methods", description="Chemistry, scale, analytical methods."
    )
    work_packages: list[WorkPackage] = Field(
        default=[], max_length=MAX_ITEMS, title="Work packages"
    )
    client_responsibilities: LongText = Field(
        default="",
        title="Client responsibilities",
        description="What the sponsor delivers, and when (assays, materials, answers).",
    )
    decision_rights: LongText = Field(
        default="",
        title="Decision rights",
        description="What the sponsor decides, and what the partner may decide alone.",
    )
    meeting_cadence: ShortText = Field(
        default="", title="Meeting cadence", description="e.g. weekly, Tuesdays 15:00 CET"
    )
    status_update_cadence_days: int | None = Field(
        default=None, ge=1, le=365, title="Status update every (days)"
    )
    escalation_ladder: list[EscalationLevel] = Field(
        default=[],
        max_length=10,
        title="Escalation ladder",
        description="Who handles a concern at each level, and within how many hours per severity.",
    )
    fte_budget: Decimal | None = Field(
        default=None, ge=0, le=10_000, decimal_places=2, title="Total FTE budget"
    )
    effort_cap_hours_per_compound: Decimal | None = Field(
        default=None, ge=0, le=100_000, decimal_places=1, title="Effort cap per compound (hours)"
    )
    attempt_cap_per_compound: int | None = Field(
        default=None, ge=1, le=1000, title="Attempt cap per compound"
    )
    success_metrics: list[Annotated[Name, Field(title="Metric")]] = Field(
        default=[], max_length=MAX_ITEMS, title="Success metrics"
    )
    decision_points: list[DecisionPoint] = Field(
        default=[], max_length=MAX_ITEMS, title="Decision points"
    )

    @model_validator(mode="after")
    def _check(self) -> CharterContent:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date: the project cannot end before it starts")
        levels = [step.level for step in self.escalation_ladder]
        if len(set(levels)) != len(levels):
            raise ValueError("escalation_ladder: each level may appear only once")
        return self

    def as_data(self) -> dict[str, Any]:
        """The content as JSON-ready data, the form it is stored in."""
        return self.model_dump(mode="json")


SECTIONS: dict[str, list[str]] = {
    "Who": ["team"],
    "When": ["start_date", "end_date", "milestones"],
    "Where": ["sites"],
    "How": ["methods", "work_packages"],
    "The client": ["client_responsibilities", "decision_rights"],
    "Communication": ["meeting_cadence", "status_update_cadence_days", "escalation_ladder"],
    "Boundaries": [
        "fte_budget",
        "effort_cap_hours_per_compound",
        "attempt_cap_per_compound",
        "success_metrics",
        "decision_points",
    ],
}


def gaps(content: CharterContent) -> list[str]:
    """What the charter does not yet answer, in the words a lead would use."""
    missing: list[str] = []
    roles = {person.role for person in content.team}
    if Role.SPONSOR_LEAD not in roles:
        missing.append("No sponsor lead named in the team.")
    if Role.PARTNER_LEAD not in roles:
        missing.append("No partner lead named in the team.")
    if not (content.start_date and content.end_date):
        missing.append("No timeline: start and end dates are missing.")
    if not content.milestones:
        missing.append("No milestones.")
    if not content.sites:
        missing.append("No site or facility named.")
    if not (content.methods or content.work_packages):
        missing.append("No methods or work packages.")
    if not content.client_responsibilities:
        missing.append("The client's responsibilities are not stated.")
    if not content.decision_rights:
        missing.append("The client's decision rights are not stated.")
    if not content.meeting_cadence:
        missing.append("No meeting cadence.")
    if content.status_update_cadence_days is None:
        missing.append("No status-update cadence.")
    if not content.escalation_ladder:
        missing.append("No escalation ladder.")
    for step in content.escalation_ladder:
        absent = [s for s in SEVERITIES if s not in step.response_hours]
        if absent:
            missing.append(
                f"Escalation level {step.level} has no response time for "
                f"{', '.join(absent)} concerns."
            )
    if content.fte_budget is None:
        missing.append("No total FTE budget.")
    if content.effort_cap_hours_per_compound is None:
        missing.append("No effort cap per compound.")
    if content.attempt_cap_per_compound is None:
        missing.append("No attempt cap per compound.")
    if not content.success_metrics:
        missing.append("No success metrics.")
    if not content.decision_points:
        missing.append("No decision points.")
    return missing


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """`{"milestones[0].due": "2026-03-01", ...}`: every leaf of the content by its path."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(data, list):
        out = {}
        for i, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{i}]"))
        return out
    return {prefix: data}


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field differences between two versions' content, in section order."""
    # the charter's own field order (PostgreSQL's jsonb keeps keys in an order of its own)
    a, b = (flatten(CharterContent.model_validate(c).as_data() if c else {}) for c in (old, new))
    order = [f for fields in SECTIONS.values() for f in fields]

    seen = {path: i for i, path in enumerate([*a, *(p for p in b if p not in a)])}

    def sort_key(path: str) -> tuple[int, int]:
        top = path.split(".")[0].split("[")[0]
        return (order.index(top) if top in order else len(order), seen[path])

    def blank(value: Any) -> Any:  # an empty text and an absent one say the same
        return None if value in ("", [], {}) else value

    return [
        {"field": path, "old": blank(a.get(path)), "new": blank(b.get(path))}
        for path in sorted(a.keys() | b.keys(), key=sort_key)
        if blank(a.get(path)) != blank(b.get(path))
    ]
