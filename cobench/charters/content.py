"""What a charter says: the typed content of one version, its completeness and its comparison."""

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

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")
FACILITY_TYPES = {
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

    name: Annotated[ShortText, StringConstraints(min_length=1)]
    organization: ShortText = ""
    role: Role
    responsibility: ShortText = ""


class Milestone(_Part):
    name: Annotated[ShortText, StringConstraints(min_length=1)]
    due: date
    description: LongText = ""


class Site(_Part):
    name: Annotated[ShortText, StringConstraints(min_length=1)]
    organization: ShortText = ""
    facility_type: Literal["rd_lab", "kilo_lab", "scale_up", "gmp_suite"]
    location: ShortText = ""


class WorkPackage(_Part):
    name: Annotated[ShortText, StringConstraints(min_length=1)]
    description: LongText = ""
    owner: ShortText = ""


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

    level: int = Field(ge=1, le=10)
    who: Annotated[ShortText, StringConstraints(min_length=1)]
    notify: Literal[
        "leads", "sponsor_lead", "partner_lead", "executives", "leads_and_executives"
    ] = "leads"
    response_hours: dict[Severity, Annotated[int, Field(ge=1, le=24 * 365)]] = {}


class DecisionPoint(_Part):
    name: Annotated[ShortText, StringConstraints(min_length=1)]
    due: date
    criteria: LongText = ""


class CharterContent(_Part):
    """The framework both sides fall back on: who, when, where, how, and the boundaries."""

    team: list[TeamMember] = Field(default=[], max_length=MAX_ITEMS)
    start_date: date | None = None
    end_date: date | None = None
    milestones: list[Milestone] = Field(default=[], max_length=MAX_ITEMS)
    sites: list[Site] = Field(default=[], max_length=MAX_ITEMS)
    methods: LongText = ""
    work_packages: list[WorkPackage] = Field(default=[], max_length=MAX_ITEMS)
    client_responsibilities: LongText = ""
    decision_rights: LongText = ""
    meeting_cadence: ShortText = ""
    status_update_cadence_days: int | None = Field(default=None, ge=1, le=365)
    escalation_ladder: list[EscalationLevel] = Field(default=[], max_length=10)
    fte_budget: Decimal | None = Field(default=None, ge=0, le=10_000, decimal_places=2)
    effort_cap_hours_per_compound: Decimal | None = Field(
        default=None, ge=0, le=100_000, decimal_places=1
    )
    attempt_cap_per_compound: int | None = Field(default=None, ge=1, le=1000)
    success_metrics: list[Annotated[ShortText, StringConstraints(min_length=1)]] = Field(
        default=[], max_length=MAX_ITEMS
    )
    decision_points: list[DecisionPoint] = Field(default=[], max_length=MAX_ITEMS)

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
