"""How the charter reads on a page and how its edit form maps to content.

The charter's rules live in `content` (what a charter holds, its gaps) and
`services`; this module only names fields for people, lays out the edit form and turns a
posted form back into the raw content the service validates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import QueryDict

from cobench.core.permissions import Role

from .content import FACILITY_TYPES, NOTIFY_GROUPS, SECTIONS, SEVERITIES

ROLE_CHOICES = [(r.value, r.label) for r in Role]
FACILITY_CHOICES = list(FACILITY_TYPES.items())
NOTIFY_CHOICES = [(key, label) for key, (label, _) in NOTIFY_GROUPS.items()]


@dataclass(frozen=True)
class Column:
    """One input of a repeatable row."""

    name: str
    label: str
    kind: str = "text"  # text, textarea, date, number, select
    choices: list[tuple[str, str]] = field(default_factory=list)
    step: str = "1"
    required: bool = False


@dataclass(frozen=True)
class Scalar:
    """One single-valued charter field."""

    name: str
    label: str
    kind: str = "text"
    help: str = ""
    step: str = "1"


_RESPONSE_COLUMNS = [
    Column(f"response_hours.{s}", f"{s.capitalize()} (h)", "number") for s in SEVERITIES
]

ROWS: dict[str, tuple[str, list[Column], str]] = {
    # name: (label, columns, help)
    "team": (
        "Team",
        [
            Column("name", "Name", required=True),
            Column("organization", "Organization"),
            Column("role", "Role", "select", ROLE_CHOICES, required=True),
            Column("responsibility", "Responsibility"),
        ],
        "The named people doing the work, on both sides.",
    ),
    "milestones": (
        "Milestones",
        [
            Column("name", "Milestone", required=True),
            Column("due", "Due", "date", required=True),
            Column("description", "Description"),
        ],
        "",
    ),
    "sites": (
        "Sites and facilities",
        [
            Column("name", "Site", required=True),
            Column("organization", "Organization"),
            Column("facility_type", "Facility", "select", FACILITY_CHOICES, required=True),
            Column("location", "Location"),
        ],
        "",
    ),
    "work_packages": (
        "Work packages",
        [
            Column("name", "Work package", required=True),
            Column("description", "Description"),
            Column("owner", "Owner"),
        ],
        "",
    ),
    "escalation_ladder": (
        "Escalation ladder",
        [
            Column("level", "Level", "number", required=True),
            Column("who", "Who is reached", required=True),
            Column("notify", "Notify", "select", NOTIFY_CHOICES, required=True),
            *_RESPONSE_COLUMNS,
        ],
        "Who handles a concern at each level, and within how many hours per severity.",
    ),
    "success_metrics": ("Success metrics", [Column("value", "Metric", required=True)], ""),
    "decision_points": (
        "Decision points",
        [
            Column("name", "Decision point", required=True),
            Column("due", "Date", "date", required=True),
            Column("criteria", "Criteria"),
        ],
        "",
    ),
}

SCALARS: dict[str, Scalar] = {
    s.name: s
    for s in [
        Scalar("start_date", "Start date", "date"),
        Scalar("end_date", "End date", "date"),
        Scalar("methods", "Methods", "textarea", "Chemistry, scale, analytical methods."),
        Scalar(
            "client_responsibilities",
            "Client responsibilities",
            "textarea",
            "What the sponsor delivers, and when (assays, materials, answers).",
        ),
        Scalar(
            "decision_rights",
            "Decision rights",
            "textarea",
            "What the sponsor decides, and what the partner may decide alone.",
        ),
        Scalar("meeting_cadence", "Meeting cadence", "text", "e.g. weekly, Tuesdays 15:00 CET"),
        Scalar("status_update_cadence_days", "Status update every (days)", "number"),
        Scalar("fte_budget", "Total FTE budget", "number", step="0.01"),
        Scalar(
            "effort_cap_hours_per_compound", "Effort cap per compound (hours)", "number", step="0.1"
        ),
        Scalar("attempt_cap_per_compound", "Attempt cap per compound", "number"),
    ]
}

LABELS: dict[str, str] = {name: s.label for name, s in SCALARS.items()} | {
    name: spec[0] for name, spec in ROWS.items()
}
_COLUMN_LABELS = {(row, c.name): c.label for row, spec in ROWS.items() for c in spec[1]}
_CHOICE_LABELS = {
    "role": dict(ROLE_CHOICES),
    "facility_type": dict(FACILITY_TYPES),
    "notify": dict(NOTIFY_CHOICES),
}


# Reading --------------------------------------------------------------------------


def display_value(key: str, value: Any) -> str:
    """A stored leaf value as a person reads it (role and facility codes by their names)."""
    if value is None or value == "":
        return "—"
    if key in _CHOICE_LABELS:
        return _CHOICE_LABELS[key].get(value, str(value))
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value).strftime("%-d %b %Y")
    return str(value)


_PATH = re.compile(r"^(?P<top>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<rest>.+))?$")


def path_label(path: str) -> str:
    """`milestones[0].due` → `Milestones › 1 › Due`."""
    m = _PATH.match(path)
    if not m:
        return path
    top, index, rest = m["top"], m["index"], m["rest"]
    parts = [LABELS.get(top, top.replace("_", " ").capitalize())]
    if index is not None:
        parts.append(f"#{int(index) + 1}")
    if rest:
        column = rest if not rest.startswith("response_hours.") else rest
        parts.append(_COLUMN_LABELS.get((top, column), rest.replace("_", " ").capitalize()))
    return " › ".join(parts)


def leaf_key(path: str) -> str:
    """The last name in a content path, which says how to display its value."""
    return path.rsplit(".", 1)[-1].split("[")[0]


@dataclass
class ShownField:
    name: str
    label: str
    value: str = ""
    columns: list[Column] | None = None
    rows: list[list[str]] | None = None


def sections_for_display(content: dict[str, Any]) -> list[tuple[str, list[ShownField]]]:
    """The content grouped by SECTIONS, with every value ready to print."""
    out = []
    for title, names in SECTIONS.items():
        fields = []
        for name in names:
            value = content.get(name)
            if name in ROWS:
                columns = ROWS[name][1]
                rows = [
                    [display_value(c.name, _cell(item, c.name)) for c in columns]
                    for item in value or []
                ]
                fields.append(ShownField(name, LABELS[name], columns=columns, rows=rows))
            else:
                fields.append(ShownField(name, LABELS[name], display_value(name, value)))
        out.append((title, fields))
    return out


def _cell(item: Any, column: str) -> Any:
    if not isinstance(item, dict):  # success metrics are plain strings
        return item
    value: Any = item
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def comparison_rows(diff: list[dict[str, Any]]) -> list[dict[str, str]]:
    """`compare_versions` output with labels and printable values.

    A row that reads the same on both sides (an empty text becoming absent when
    its row is dropped) says nothing to a reader and is left out.
    """
    rows = [
        {
            "field": row["field"],
            "label": path_label(row["field"]),
            "old": display_value(leaf_key(row["field"]), row["old"]),
            "new": display_value(leaf_key(row["field"]), row["new"]),
            "change": "added"
            if row["old"] is None
            else "removed"
            if row["new"] is None
            else "changed",
        }
        for row in diff
    ]
    return [row for row in rows if row["old"] != row["new"]]


# Editing --------------------------------------------------------------------------


def _input_name(row: str, index: int | str, column: str) -> str:
    return f"{row}-{index}-{column}"


def content_from_post(post: QueryDict) -> dict[str, Any]:
    """The raw charter content a posted edit form describes (blank rows dropped).

    Values stay strings: the charter's content model parses and checks them, so
    its messages are the ones the user sees.
    """
    data: dict[str, Any] = {}
    for name in SCALARS:
        value = post.get(name, "").strip()
        data[name] = value if value else None
        if SCALARS[name].kind in ("text", "textarea"):
            data[name] = value
    for row, (_, columns, _) in ROWS.items():
        indexes = sorted(
            {int(m[1]) for key in post if (m := re.fullmatch(rf"{row}-(\d+)-.+", key))}
        )
        items = []
        for i in indexes:
            cells = {c.name: post.get(_input_name(row, i, c.name), "").strip() for c in columns}
            if not any(cells.values()):
                continue
            items.append(_item(row, cells))
        data[row] = items
    return data


def _item(row: str, cells: dict[str, str]) -> Any:
    if row == "success_metrics":
        return cells["value"]
    item: dict[str, Any] = {}
    for name, value in cells.items():
        if name.startswith("response_hours."):
            if value:
                item.setdefault("response_hours", {})[name.split(".", 1)[1]] = value
            continue
        item[name] = value
    if row == "escalation_ladder":
        item.setdefault("response_hours", {})
        if not item.get("notify"):
            item.pop("notify", None)  # the content's default: the project leads
    for name in ("due", "level"):
        if name in item and item[name] == "":
            item[name] = None
    return item


@dataclass
class Cell:
    column: Column
    input_name: str
    value: str
    errors: list[str]


@dataclass
class RowField:
    name: str
    label: str
    help: str
    columns: list[Column]
    rows: list[list[Cell]]
    blank: list[Cell]  # the template for "add a row"
    errors: list[str]


@dataclass
class ScalarField:
    spec: Scalar
    value: str
    errors: list[str]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def error_key(path: str) -> str:
    """A service error path (`team.0.name`) as the form input it belongs to (`team-0-name`)."""
    parts = path.split(".")
    if len(parts) >= 3 and parts[0] in ROWS and parts[1].isdigit():
        return _input_name(parts[0], parts[1], ".".join(parts[2:]))
    if len(parts) == 2 and parts[0] == "success_metrics" and parts[1].isdigit():
        return _input_name(parts[0], parts[1], "value")
    return path


def form_sections(
    content: dict[str, Any], errors: dict[str, list[str]] | None = None
) -> list[tuple[str, list[ScalarField | RowField]]]:
    """The edit form: every section's inputs filled from `content`, with errors beside them."""
    errors = {error_key(k): v for k, v in (errors or {}).items()}
    out: list[tuple[str, list[ScalarField | RowField]]] = []
    for title, names in SECTIONS.items():
        fields: list[ScalarField | RowField] = []
        for name in names:
            if name in ROWS:
                label, columns, help_text = ROWS[name]
                rows = []
                for i, item in enumerate(content.get(name) or []):
                    rows.append(
                        [
                            Cell(
                                c,
                                _input_name(name, i, c.name),
                                _text(_cell(item, c.name)),
                                errors.get(_input_name(name, i, c.name), []),
                            )
                            for c in columns
                        ]
                    )
                blank = [Cell(c, _input_name(name, "__i__", c.name), "", []) for c in columns]
                row_errors = [
                    msg
                    for key, msgs in errors.items()
                    if key == name or key.startswith(f"{name}.")
                    for msg in msgs
                ]
                fields.append(RowField(name, label, help_text, columns, rows, blank, row_errors))
            else:
                fields.append(
                    ScalarField(SCALARS[name], _text(content.get(name)), errors.get(name, []))
                )
        out.append((title, fields))
    return out


def error_summary(errors: dict[str, list[str]]) -> list[str]:
    """Each error as `Field › row › column: message`, for the top of the form."""
    return [f"{path_label(_as_path(key))}: {msg}" for key, msgs in errors.items() for msg in msgs]


def _as_path(key: str) -> str:
    parts = key.split(".")
    if len(parts) >= 2 and parts[1].isdigit():
        rest = ".".join(parts[2:])
        return f"{parts[0]}[{parts[1]}]" + (f".{rest}" if rest else "")
    return key
