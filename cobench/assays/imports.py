"""Import of results from CSV or Excel (.xlsx) files: column mapping, dry run, all-or-nothing.

A job goes: upload (`create_import`: the file read whole, its size, format and sheet
checked, its rows counted, the columns guessed) → dry run (`check_import`: every row
checked exactly as `services.record_result` checks one; nothing written) → import
(`start_import`, then `run_import`, here or in the background worker for large files).

**All-or-nothing**: `run_import` checks every row again and writes the results of the
file in one transaction, with their `result.recorded` events, only if no row is bad;
otherwise nothing is written, the job is refused and its report lists each bad row.

Columns are mapped to targets (`TARGETS`): the compound by registry id, lot number or
structure (a SMILES matched by registration key to a compound of the project), the
assay per file or by a column of assay names, the value (a qualifier may lead it:
"<10"), qualifier, unit (or one unit for the file), run date and experiment id.
Per-row errors: unmatched compounds, compounds of another project, values that are
not numbers, unknown or incompatible units, Excel cells holding formulas (values are
read, never formulas: a formula's cached result may be stale), rows repeated in the
file or already recorded. Mixed but convertible units in one column are reported
(each row is converted to the assay's unit).

Excel: the first sheet is read unless another is chosen; a file of several sheets
says in its report which one was read. Progress: the dry run and the import of
files of more than `COBENCH_IMPORT_INLINE_RECORDS` rows run in the background
worker (as compound imports do), saving `done_through` as they check rows.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cobench import chem
from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.compounds.imports import STALE_AFTER, BadImportFile, decode, import_file
from cobench.compounds.models import Compound, Lot
from cobench.compounds.services import standardize_structures
from cobench.core import attachments, bulk
from cobench.core.errors import CobenchError, Conflict, InvalidInput
from cobench.core.permissions import Action
from cobench.tenancy.access import ensure_can
from cobench.tenancy.models import Project, User

from . import services, summaries, units
from .models import Assay, Result, ResultImport

__all__ = ["import_file"]  # the command line reads its file through it

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_REPORTED = 2_000
PROGRESS_EVERY = 500
TARGETS = (
    "registry_id",
    "lot_number",
    "smiles",
    "assay",
    "value",
    "qualifier",
    "unit",
    "run_date",
    "experiment_id",
)
COMPOUND_TARGETS = ("registry_id", "lot_number", "smiles")
# header names (lower case, without spaces and punctuation) each target is guessed from
GUESSES = {
    "registry_id": ("registryid", "compound", "compoundid", "cbid", "id"),
    "lot_number": ("lot", "lotnumber", "lotid", "batch"),
    "smiles": ("smiles", "structure"),
    "assay": ("assay", "assayname"),
    "value": ("value", "result", "ic50", "ec50", "ki", "kd", "solubility", "clint"),
    "qualifier": ("qualifier", "operator", "prefix", "modifier"),
    "unit": ("unit", "units"),
    "run_date": ("rundate", "date", "testdate", "assaydate"),
    "experiment_id": ("experimentid", "experiment", "expid", "plate", "runid"),
}
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Progress = Callable[[ResultImport], None]


# Reading rows ------------------------------------------------------------------------------


class Formula(str):
    """An Excel cell holding a formula (its text), never taken as a value."""


@dataclass
class Row:
    """One data row: its number in the file (the header is row 1) and its cells by column."""

    number: int
    cells: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    """A file's rows as read: its columns, rows, and (Excel) the sheet read and all sheets."""

    columns: list[str]
    rows: list[Row]
    sheet: str = ""
    sheets: list[str] = field(default_factory=list)


def guess_format(name: str, data: bytes) -> str:
    """ "xlsx" for an Excel workbook (a zip), "csv" for text; a refusal for anything else."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BadImportFile("This is an old Excel file (.xls): save it as .xlsx or CSV.")
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raise BadImportFile("This file is named .xlsx but is not an Excel workbook.")
    return "csv"


def _header(cells: list[Any]) -> list[str]:
    columns = [str(c).strip() if c is not None else "" for c in cells]
    while columns and not columns[-1]:
        columns.pop()
    if not any(columns):
        raise BadImportFile("The first row must name the columns; it is empty.")
    if len(columns) > MAX_COLUMNS:
        raise BadImportFile(f"The file has {len(columns)} columns; at most {MAX_COLUMNS}.")
    named = [c or f"column {i + 1}" for i, c in enumerate(columns)]
    repeated = sorted({c for c in named if named.count(c) > 1})
    if repeated:
        raise BadImportFile(f"Two columns have the same name: {', '.join(repeated)}.")
    return named


def _rows(columns: list[str], lines: Iterator[list[Any]]) -> list[Row]:
    rows: list[Row] = []
    for number, cells in enumerate(lines, start=2):
        values = list(cells)
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue  # blank lines are not rows
        if len(rows) >= MAX_ROWS:
            raise BadImportFile(f"The file has more than {MAX_ROWS:,} rows: split it.")
        rows.append(Row(number, dict(zip(columns, values, strict=False))))
    return rows


def read_csv(data: bytes) -> Table:
    """A CSV (comma, semicolon or tab separated) file's header and rows."""
    text = decode(data)
    if not text.strip():
        raise BadImportFile("The file is empty.")
    delimiter = max(",\t;", key=text.split("\n", 1)[0].count)
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        columns = _header(next(reader, []))
        return Table(columns, _rows(columns, reader))
    except csv.Error as e:
        raise BadImportFile(f"The CSV file cannot be read: {e}.") from e


def read_xlsx(data: bytes, sheet: str = "") -> Table:
    """An Excel workbook's chosen (else first) sheet: header and rows, formulas marked."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as e:
        raise BadImportFile(f"This is not a readable Excel (.xlsx) workbook: {e}.") from e
    try:
        names = list(book.sheetnames)
        if sheet and sheet not in names:
            raise BadImportFile(f"No sheet {sheet!r}; the sheets are {', '.join(names)}.")
        chosen = sheet or names[0]
        lines = (
            [Formula(c.value) if c.data_type == "f" else c.value for c in line]
            for line in book[chosen].iter_rows()
        )
        columns = _header(next(lines, []))
        return Table(columns, _rows(columns, lines), chosen, names)
    finally:
        book.close()


def read_table(fmt: str, data: bytes, sheet: str = "") -> Table:
    return read_xlsx(data, sheet) if fmt == "xlsx" else read_csv(data)


def _key(header: str) -> str:
    return "".join(ch for ch in header.lower() if ch.isalnum())


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Each target whose column is named like it (exactly, ignoring case and punctuation)."""
    mapping: dict[str, str] = {}
    for target, names in GUESSES.items():
        for column in columns:
            if _key(column) in names and column not in mapping.values():
                mapping[target] = column
                break
    return mapping


# Checking rows -------------------------------------------------------------------------------


@dataclass
class Checked:
    """What checking every row found: the results to write and the per-row findings."""

    results: list[Result] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)  # the row of each result
    errors: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        return {
            **self.counts,
            "errors": self.errors[:MAX_REPORTED],
            "notes": self.notes,
            "checked_at": timezone.now().isoformat(),
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"{str(value)[:40]!r} is not a date (YYYY-MM-DD)") from None


def parse_mapping(text: str) -> dict[str, str]:
    """A mapping as typed: JSON (`{"value": "IC50 (nM)"}`) or `target=column` lines."""
    text = (text or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise InvalidInput("The mapping is not JSON.", errors={"mapping": [str(exc)]}) from exc
        if not isinstance(value, dict):
            raise InvalidInput("The mapping is not an object.", errors={"mapping": ["An object."]})
        return {str(k): str(v) for k, v in value.items()}
    pairs = [line.partition("=") for line in text.splitlines() if line.strip()]
    out: dict[str, str] = {}
    for target, sign, column in pairs:
        if not sign:
            raise InvalidInput(
                "Write the mapping as target=column.",
                errors={"mapping": [f"{target.strip()[:40]!r} is not target=column."]},
            )
        out[target.strip()] = column.strip()
    return out


def _clean_mapping(mapping: dict[str, str], columns: list[str], has_assay: bool) -> dict[str, str]:
    mapping = {str(k).strip(): str(v).strip() for k, v in (mapping or {}).items() if v}
    errors = [f"{k!r} is not a target" for k in mapping if k not in TARGETS]
    errors += [f"the file has no column {v!r}" for v in mapping.values() if v not in columns]
    if "value" not in mapping:
        errors.append("map a column to 'value'")
    if not any(t in mapping for t in COMPOUND_TARGETS):
        errors.append("map a column to 'registry_id', 'lot_number' or 'smiles'")
    if not has_assay and "assay" not in mapping:
        errors.append("choose the assay, or map a column of assay names to 'assay'")
    if errors:
        message = (
            f"The mapping is not valid: {'; '.join(errors)}. Targets: {', '.join(TARGETS)}; "
            f"columns: {', '.join(columns)}."
        )
        raise InvalidInput(message, errors={"mapping": [message]})
    return mapping


def _structures(job: ResultImport, actor: User, rows: list[Row]) -> dict[str, str]:
    """SMILES text → registry id of the project's compound `actor` sees with its
    registration key."""
    column = job.mapping.get("smiles")
    if not column:
        return {}
    texts = sorted({_text(r.cells.get(column)) for r in rows} - {""})
    keys: dict[str, str] = {}
    for text, std in zip(texts, standardize_structures(texts), strict=True):
        if not isinstance(std, chem.RecordError):
            keys[text] = std.registration_key
    found = dict(
        Compound.objects.in_project(job.project, seen_by=actor)
        .filter(registration_key__in=set(keys.values()))
        .values_list("registration_key", "registry_id")
    )
    return {text: found[key] for text, key in keys.items() if key in found}


def _identity(result: Result) -> tuple:
    """What makes two results the same measurement."""
    return (
        result.assay_id,
        result.compound_id,
        result.lot_id,
        result.qualifier,
        result.value,
        result.run_date,
        result.experiment_id,
    )


def _already_recorded(checked: Checked) -> list[int]:
    """The rows whose result is recorded already (the same file imported twice)."""
    if not checked.results:
        return []
    stored = Result.objects.filter(
        assay_id__in={r.assay_id for r in checked.results},
        compound_id__in={r.compound_id for r in checked.results},
    ).values_list(
        "assay_id", "compound_id", "lot_id", "qualifier", "value", "run_date", "experiment_id"
    )
    known = set(stored)
    return [
        n for r, n in zip(checked.results, checked.numbers, strict=True) if _identity(r) in known
    ]


def check_rows(
    job: ResultImport, actor: User, table: Table, progress: Progress | None = None
) -> Checked:
    """Every row checked as `services.build_result` checks one (nothing saved)."""
    out = Checked()
    mapping, project, now = job.mapping, job.project, timezone.now()
    assays = {a.name: a for a in Assay.objects.visible_to(actor).filter(project=project)}
    member = ensure_can(actor, project, Action.RECORD_RESULTS)
    structures = _structures(job, actor, table.rows)
    compounds = {c.registry_id: c for c in Compound.objects.in_project(project, seen_by=actor)}
    lots = {
        lot.lot_number: lot
        for lot in Lot.objects.visible_to(actor).filter(project=project).select_related("compound")
    }
    seen: dict[tuple, int] = {}
    units_seen: dict[Assay, set[str]] = {}
    counts = {"rows": len(table.rows), "valid": 0, "bad": 0}

    def get(row: Row, target: str) -> Any:
        return row.cells.get(mapping[target]) if target in mapping else None

    for i, row in enumerate(table.rows, start=1):
        try:
            formulas = [c for c, v in row.cells.items() if isinstance(v, Formula)]
            if formulas:
                raise ValueError(
                    f"column {formulas[0]!r} holds a formula ({str(row.cells[formulas[0]])[:40]}):"
                    " save the sheet with values, not formulas"
                )
            assay = job.assay
            if assay is None:
                name = _text(get(row, "assay"))
                assay = assays.get(name)
                if assay is None:
                    raise ValueError(f"no assay {name[:60]!r} in {project.code}")
            if assay.owner_id != member.organization_id:
                raise ValueError(f"{assay.name} is run by {assay.owner}; its people record it")
            registry_id = _text(get(row, "registry_id"))
            smiles = _text(get(row, "smiles"))
            if smiles and not registry_id:
                registry_id = structures.get(smiles, "")
                if not registry_id:
                    raise ValueError(
                        f"no compound of {project.code} has the structure {smiles[:60]!r}"
                    )
            lot_number = _text(get(row, "lot_number"))
            lot = lots.get(lot_number) if lot_number else None
            if lot_number and lot is None:
                raise ValueError(f"no lot {lot_number[:60]!r} in {project.code}")
            if lot is not None and registry_id and lot.compound.registry_id != registry_id:
                raise ValueError(f"{lot_number} is a lot of {lot.compound.registry_id}")
            compound = lot.compound if lot is not None else compounds.get(registry_id)
            if compound is None:
                raise ValueError(
                    f"no compound {registry_id[:60]!r} in {project.code}"
                    if registry_id
                    else "no compound given"
                )
            unit = _text(get(row, "unit")) or job.unit
            entered = services.Entered(
                value=get(row, "value") if get(row, "value") is not None else "",
                qualifier=_text(get(row, "qualifier")),
                unit=unit,
                run_date=_date(get(row, "run_date")),
                experiment_id=_text(get(row, "experiment_id")),
            )
            result = services.build_result(
                actor=actor, assay=assay, compound=compound, lot=lot, entered=entered, now=now
            )
            same = _identity(result)
            if same in seen:
                raise ValueError(f"the same result as row {seen[same]}")
            seen[same] = row.number
            units_seen.setdefault(assay, set()).add(result.entered_unit)
            out.results.append(result)
            out.numbers.append(row.number)
        except InvalidInput as e:
            why = "; ".join(f"{k}: {' '.join(v)}" for k, v in e.errors.items()) or e.detail
            out.errors.append({"row": row.number, "error": why})
        except ValueError as e:
            out.errors.append({"row": row.number, "error": str(e)})
        if i % PROGRESS_EVERY == 0 and progress:
            job.done_through = i
            progress(job)
    if progress:
        job.done_through = len(table.rows)
        progress(job)
    for number in _already_recorded(out):
        out.errors.append({"row": number, "error": "already recorded (imported before?)"})
    out.errors.sort(key=lambda e: e["row"])
    counts["bad"] = len({e["row"] for e in out.errors})
    counts["valid"] = counts["rows"] - counts["bad"]
    out.counts = counts
    for assay, seen_units in sorted(units_seen.items(), key=lambda item: item[0].name):
        if len(seen_units) > 1:
            out.notes.append(
                f"{assay.name}: the rows are in {', '.join(sorted(seen_units))}; each is "
                f"converted to {assay.unit}."
            )
    if table.sheets and len(table.sheets) > 1:
        out.notes.append(
            f"The workbook has {len(table.sheets)} sheets ({', '.join(table.sheets)}); "
            f"sheet {table.sheet!r} was read."
        )
    return out


# Jobs ----------------------------------------------------------------------------------------


def _read(job: ResultImport) -> Table:
    return read_table(job.format, attachments.path_of(job).read_bytes(), job.sheet)


def _assay_of(actor: User, project: Project, assay: Assay | None) -> Assay | None:
    if assay is not None and assay.project_id != project.pk:
        raise InvalidInput("No such assay.", errors={"assay": ["Not an assay of this project."]})
    if assay is not None:
        services.ensure_recorder(actor, assay)
    return assay


@transaction.atomic
def create_import(
    *,
    actor: User,
    project: Project,
    upload: UploadedFile,
    assay: Assay | None = None,
    mapping: dict[str, str] | None = None,
    unit: str = "",
    sheet: str = "",
) -> ResultImport:
    """Keep an uploaded CSV or Excel file of results as an import job, once it reads as one.

    `mapping` (target → column) defaults to the columns named like targets; `unit` is
    the unit of rows without one (default: the assay's); `sheet` the Excel sheet to read.
    """
    member = ensure_can(actor, project, Action.RECORD_RESULTS)
    assay = _assay_of(actor, project, assay)
    if (upload.size or 0) > MAX_BYTES:
        raise BadImportFile(f"The file is larger than the limit of {MAX_BYTES / 2**20:g} MB.")
    data = upload.read()
    upload.seek(0)
    if not data.strip():
        raise BadImportFile("The file is empty.")
    fmt = guess_format(upload.name or "", data)
    table = read_table(fmt, data, sheet.strip())
    if not table.rows:
        raise BadImportFile("The file holds no rows of results under its header.")
    mapping = _clean_mapping(
        mapping or guess_mapping(table.columns), table.columns, assay is not None
    )
    if unit.strip():
        try:
            units.check(unit)
        except units.UnitError as e:
            raise InvalidInput(str(e), errors={"unit": [str(e)]}) from e
    stored = attachments.store(
        upload, folder="result-imports", content_type=CONTENT_TYPES[fmt], limit=MAX_BYTES
    )
    now = timezone.now()
    try:
        job = ResultImport(
            project=project,
            organization=member.organization,
            assay=assay,
            format=fmt,
            sheet=table.sheet,
            sheets=table.sheets,
            mapping=mapping,
            unit=unit.strip(),
            rows=len(table.rows),
            uploaded_by=actor,
            uploaded_by_label=actor.display_name,
            created_at=now,
            updated_at=now,
            **stored.fields(),
        )
        job.save(force_insert=True)
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.RESULT_IMPORT_CREATED,
            target=job,
            changes={
                "file": [None, job.original_name],
                "size": [None, job.size],
                "sha256": [None, job.sha256],
                "sheet": [None, job.sheet],
                "assay": [None, assay.name if assay else None],
                "mapping": [None, mapping],
                "unit": [None, job.unit],
                "rows": [None, job.rows],
            },
        )
    except Exception:
        attachments.discard(stored.storage_name)
        raise
    return job


def _inline(job: ResultImport) -> bool:
    return job.rows <= settings.COBENCH_IMPORT_INLINE_RECORDS


def _save_progress(job: ResultImport) -> None:
    ResultImport.objects.filter(pk=job.pk).update(
        done_through=job.done_through, updated_at=timezone.now()
    )


def checkable(job: ResultImport, now: datetime | None = None) -> bool:
    """Whether the dry run may run (again): not yet imported, and no worker busy with it.

    A job whose worker went silent for `STALE_AFTER` (a restart) may be checked again:
    its results are written in one transaction, so nothing of it was written.
    """
    if job.state in (ResultImport.State.UPLOADED, ResultImport.State.CHECKED):
        return True
    busy = (ResultImport.State.CHECKING, ResultImport.State.QUEUED, ResultImport.State.RUNNING)
    return job.state in busy and job.updated_at < (now or timezone.now()) - STALE_AFTER


def check_import(
    *,
    actor: User,
    job: ResultImport,
    background: bool | None = None,
    progress: Progress | None = None,
) -> ResultImport:
    """The dry run: every row checked, the report saved, nothing else written.

    Large files (more than `COBENCH_IMPORT_INLINE_RECORDS` rows) are checked by the
    background worker unless `background` says otherwise; the job shows its progress.
    """
    ensure_can(actor, job.project, Action.RECORD_RESULTS)
    if background is None:
        background = not _inline(job)
    with transaction.atomic():
        job = ResultImport.objects.select_for_update().get(pk=job.pk)
        if not checkable(job):
            raise Conflict(f"This import is {job.get_state_display().lower()}: not checked again.")
        if background:
            job.state, job.done_through, job.updated_at = (
                ResultImport.State.CHECKING,
                0,
                timezone.now(),
            )
            job.save(update_fields=["state", "done_through", "updated_at"])
            from .tasks import check_result_import_task

            transaction.on_commit(lambda: check_result_import_task.enqueue(str(job.pk)))
            return job
    return dry_run(job=job, actor=actor, progress=progress)


def dry_run(*, job: ResultImport, actor: User, progress: Progress | None = None) -> ResultImport:
    """Check every row of `job` and save the report (see the module)."""
    job = ResultImport.objects.select_related("project", "assay").get(pk=job.pk)
    checked = check_rows(job, actor, _read(job), progress or _save_progress)
    with transaction.atomic():
        job = (
            ResultImport.objects.select_for_update(of=("self",))
            .select_related("project", "assay")
            .get(pk=job.pk)
        )
        job.check_report = checked.report()
        job.state, job.done_through = ResultImport.State.CHECKED, job.rows
        job.updated_at = timezone.now()
        job.save()
        audit.record(
            actor=actor,
            organization=job.organization,
            event=Event.RESULT_IMPORT_CHECKED,
            target=job,
            changes={name: [None, value] for name, value in checked.counts.items()},
        )
    return job


@transaction.atomic
def start_import(*, actor: User, job: ResultImport, background: bool | None = None) -> ResultImport:
    """Queue a checked import; small files run at once (by the caller), large ones in the worker."""
    ensure_can(actor, job.project, Action.RECORD_RESULTS)
    job = ResultImport.objects.select_for_update().get(pk=job.pk)
    if job.state == ResultImport.State.UPLOADED:
        raise Conflict("Run the dry run first: it shows what the import would do.")
    if job.state != ResultImport.State.CHECKED:
        raise Conflict(f"This import is {job.get_state_display().lower()}: it cannot start.")
    if job.check_report.get("errors"):
        raise Conflict(
            "The dry run found bad rows: correct the file and upload it again "
            "(nothing is imported from a file with bad rows)."
        )
    job.state, job.updated_at = ResultImport.State.QUEUED, timezone.now()
    job.save(update_fields=["state", "updated_at"])
    if background is None:
        background = not _inline(job)
    if background:
        from .tasks import run_result_import_task

        transaction.on_commit(lambda: run_result_import_task.enqueue(str(job.pk)))
    return job


def run_import(*, job: ResultImport, progress: Progress | None = None) -> ResultImport:
    """Check every row again, then write all results in one transaction — or none (refused)."""
    job = ResultImport.objects.select_related("project", "assay", "uploaded_by").get(pk=job.pk)
    if job.state == ResultImport.State.DONE:
        return job
    actor = job.uploaded_by
    if actor is None:
        raise Conflict("The person who uploaded this file has no account any more.")
    ResultImport.objects.filter(pk=job.pk).update(
        state=ResultImport.State.RUNNING, done_through=0, updated_at=timezone.now()
    )
    try:
        checked = check_rows(job, actor, _read(job), progress or _save_progress)
    except CobenchError as e:
        checked = Checked(errors=[{"row": 0, "error": e.detail}], counts={"bad": 1})
    with transaction.atomic():
        job = (
            ResultImport.objects.select_for_update(of=("self",))
            .select_related("project", "assay")
            .get(pk=job.pk)
        )
        job.updated_at = job.finished_at = timezone.now()
        if checked.errors:
            job.state, job.check_report = ResultImport.State.FAILED, checked.report()
            job.message = "Nothing was imported: the file has bad rows (see the report)."
        else:
            bulk.insert(checked.results)
            touched: dict[Assay, set[Any]] = {}
            for r in checked.results:
                touched.setdefault(r.assay, set()).add(r.compound_id)
            for assay, compound_ids in touched.items():
                summaries.refresh(assay, compound_ids)
            audit.record_many(
                actor=actor,
                organization=job.organization,
                events=[
                    (Event.RESULT_RECORDED, r, services.result_changes(r), None)
                    for r in checked.results
                ],
            )
            job.state, job.imported, job.message = ResultImport.State.DONE, len(checked.results), ""
        job.done_through = job.rows
        job.save()
        audit.record(
            actor=actor,
            organization=job.organization,
            event=Event.RESULT_IMPORT_FINISHED,
            target=job,
            changes={"state": [None, job.state], "imported": [None, job.imported]},
        )
    return job


def start_and_run(*, actor: User, job: ResultImport) -> ResultImport:
    """Start an import; a small file is imported here and now, a large one by the worker."""
    job = start_import(actor=actor, job=job)
    if _inline(job):
        job = run_import(job=job)
    return job
