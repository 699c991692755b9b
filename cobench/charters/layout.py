"""How the charter reads on a page and how its edit form maps to content.

What a charter holds is declared once, in `content.CharterContent`: this module
reads its fields (labels from `title`, help from `description`, the kind of input
from each annotation), groups them by `SECTIONS`, and turns a posted form back
into the raw content the service validates. The charter's rules live in `content`
and `services`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from django.http import QueryDict
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .content import CHOICE_LABELS, SECTIONS, SHORT_TEXT_MAX, CharterContent

PLAIN = "value"  # the one input of a row that is a bare value (a success metric)


@dataclass(frozen=True)
class Column:
    """One input of a repeatable row."""

    name: str
    label: str
    kind: str = "text"  # text, textarea, date, number, select
    choices: list[tuple[str, str]] = field(default_factory=list)
    step: str = "1"
    required: bool = False  # every row holds a value here: none by default, or a set default
    has_default: bool = False  # left blank, the content's default applies


@dataclass(frozen=True)
class Scalar:
    """One single-valued charter field."""

    name: str
    label: str
    kind: str = "text"
    help: str = ""
    step: str = "1"


@dataclass(frozen=True)
class Rows:
    """One list field of the charter: a table of rows, one column per input."""

    name: str
    label: str
    columns: list[Column]
    help: str = ""
    plain: bool = False  # each row is a bare value, not an object


# The layout, read from CharterContent ---------------------------------------------


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The type under `Annotated[...]` and `... | None`, with the Annotated metadata."""
    metadata: list[Any] = []
    while get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        metadata.extend(extra)
    if get_origin(annotation) in (Union, UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        if len(kinds) == 1:
            return _unwrap(kinds[0])[0], metadata
    return annotation, metadata


def _label(name: str, info: FieldInfo) -> str:
    """A field's declared title; its name made readable if it has none."""
    return info.title or name.replace("_", " ").capitalize()


def _unit(title: str | None) -> str:
    """The unit a title ends with in brackets: `Response time (h)` → `(h)`."""
    found = re.search(r"\([^()]+\)$", title or "")
    return found[0] if found else ""


def _choices(kind: Any) -> list[tuple[str, str]]:
    """The options of a choice, in their declared order, as people read them."""
    if isinstance(kind, type) and issubclass(kind, Enum):
        values = [member.value for member in kind]
    else:  # a Literal
        values = list(get_args(kind))
    return [(value, CHOICE_LABELS[kind][value]) for value in values]


def _input(annotation: Any, metadata: list[Any], *, paragraphs: bool) -> dict[str, Any]:
    """How a value of this type is typed in: the kind of input, its step or its options.

    A long text is a textarea where `paragraphs` allows it (not in a table row).
    """
    kind, more = _unwrap(annotation)
    metadata = [*metadata, *more]
    if kind is date:
        return {"kind": "date"}
    if kind is int:
        return {"kind": "number"}
    if kind is Decimal:
        places = next(m.decimal_places for m in metadata if getattr(m, "decimal_places", None))
        return {"kind": "number", "step": str(Decimal(1).scaleb(-places))}
    if get_origin(kind) is Literal or (isinstance(kind, type) and issubclass(kind, Enum)):
        return {"kind": "select", "choices": _choices(kind)}
    if kind is str:
        longest = min(m.max_length for m in metadata if getattr(m, "max_length", None))
        return {"kind": "textarea" if paragraphs and longest > SHORT_TEXT_MAX else "text"}
    raise TypeError(f"The charter form has no input for a field of type {kind!r}.")


def _columns(part: type[BaseModel]) -> list[Column]:
    """One column per field of a row's model; a mapping keyed by choices, one per key."""
    columns = []
    for name, info in part.model_fields.items():
        if get_origin(info.annotation) is dict:
            keys, value = get_args(info.annotation)
            columns += [
                Column(
                    f"{name}.{key}",
                    f"{key.capitalize()} {_unit(info.title)}".strip(),
                    **_input(value, [], paragraphs=False),
                )
                for key in get_args(keys)
            ]
            continue
        has_default = not info.is_required()
        columns.append(
            Column(
                name,
                _label(name, info),
                required=not has_default or info.default not in ("", None),
                has_default=has_default,
                **_input(info.annotation, info.metadata, paragraphs=False),
            )
        )
    return columns


def _rows(name: str, info: FieldInfo) -> Rows:
    """A list field as a table: the columns of its item's model, or one for a bare value."""
    (item,) = get_args(info.annotation)
    label, help_text = _label(name, info), info.description or ""
    if isinstance(item, type) and issubclass(item, BaseModel):
        return Rows(name, label, _columns(item), help_text)
    kind, metadata = _unwrap(item)
    title = next((m.title for m in metadata if isinstance(m, FieldInfo) and m.title), label)
    column = Column(PLAIN, title, required=True, **_input(kind, metadata, paragraphs=False))
    return Rows(name, label, [column], help_text, plain=True)


def _scalar(name: str, info: FieldInfo) -> Scalar:
    """A single-valued field as one input with its label and help."""
    return Scalar(
        name,
        _label(name, info),
        help=info.description or "",
        **_input(info.annotation, info.metadata, paragraphs=True),
    )


_FIELDS = CharterContent.model_fields
ROWS: dict[str, Rows] = {
    name: _rows(name, info) for name, info in _FIELDS.items() if get_origin(info.annotation) is list
}
SCALARS: dict[str, Scalar] = {
    name: _scalar(name, info) for name, info in _FIELDS.items() if name not in ROWS
}
LABELS: dict[str, str] = {name: s.label for name, s in SCALARS.items()} | {
    name: rows.label for name, rows in ROWS.items()
}
_COLUMN_LABELS = {(row.name, c.name): c.label for row in ROWS.values() for c in row.columns}
_CHOICE_LABELS = {
    c.name: dict(c.choices) for row in ROWS.values() for c in row.columns if c.choices
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
    """`milestones[0].due` → `Milestones › #1 › Due`."""
    m = _PATH.match(path)
    if not m:
        return path
    top, index, rest = m["top"], m["index"], m["rest"]
    parts = [LABELS.get(top, top.replace("_", " ").capitalize())]
    if index is not None:
        parts.append(f"#{int(index) + 1}")
    if rest:
        parts.append(_COLUMN_LABELS.get((top, rest), rest.replace("_", " ").capitalize()))
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
                columns = ROWS[name].columns
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
    for row in ROWS.values():
        indexes = sorted(
            {int(m[1]) for key in post if (m := re.fullmatch(rf"{row.name}-(\d+)-.+", key))}
        )
        items = []
        for i in indexes:
            cells = {
                c.name: post.get(_input_name(row.name, i, c.name), "").strip() for c in row.columns
            }
            if not any(cells.values()):
                continue
            items.append(_item(row, cells))
        data[row.name] = items
    return data


def _item(row: Rows, cells: dict[str, str]) -> Any:
    """One posted row as the raw item the content model parses.

    A blank input with a default in the content is left out, so the default applies;
    a blank date or number is None (missing); one key of a mapping is kept only if given.
    """
    if row.plain:
        return cells[PLAIN]
    item: dict[str, Any] = {}
    for column in row.columns:
        value = cells[column.name]
        if "." in column.name:
            mapping, key = column.name.split(".", 1)
            item.setdefault(mapping, {})
            if value:
                item[mapping][key] = value
        elif value or not column.has_default:
            item[column.name] = None if not value and column.kind in ("date", "number") else value
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
    if len(parts) == 2 and parts[0] in ROWS and ROWS[parts[0]].plain and parts[1].isdigit():
        return _input_name(parts[0], parts[1], PLAIN)
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
                spec = ROWS[name]
                columns = spec.columns
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
                fields.append(
                    RowField(name, spec.label, spec.help, columns, rows, blank, row_errors)
                )
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
