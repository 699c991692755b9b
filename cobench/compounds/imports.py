"""Bulk import of structures into a project's registry: SDF (V2000/V3000), SMILES files, CSV.

A job goes: upload (`create_import`: the file is read whole, its format, encoding
and size checked, its records counted) → dry run (`check_import`: every record
parsed and standardized in disposable workers; per-record errors and duplicates,
in the file and against the sponsor's registry, reported; nothing written) →
import (`start_import`, then `run_import` in the background worker or in the CLI).

The import is **resumable**, not all-or-nothing: records are written in batches
of `BATCH` records, each batch in one transaction with its compounds, project
links, lots, their audit events and the job's progress (`done_through`, the last
record committed). A record is thus written whole or not at all; a bad record
becomes a per-record error and the rest carry on; a stopped job (crash, restart)
is started again and continues after `done_through`. Each batch is written by one call
of `services.register_many`, the writer of every registration.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from cobench import chem
from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.chem.isolation import default_workers, iter_isolated
from cobench.chem.registration import Prepared, prepare_text, registration_key_of_text
from cobench.core import attachments, bulk
from cobench.core.errors import Conflict, InvalidInput
from cobench.core.permissions import Action
from cobench.tenancy.access import acting_organization, ensure_can
from cobench.tenancy.models import Project, User

from . import services
from .models import Compound, ImportJob, Lot, ProjectCompound

BATCH = 500
"""Records written per transaction: what a resumed import may have to redo at most."""

MAX_REPORTED = 10_000
"""Per-record findings kept in a report; the counts stay exact beyond it."""

STALE_AFTER = timedelta(minutes=10)
"""A running job that has not committed a batch for this long has stopped: it may be resumed."""

TARGETS = (*services.LOT_FIELDS, "name")
"""What a file column (or SDF data field) may fill: a lot field, or the record's name."""

SMILES_HEADERS = ("smiles", "canonical_smiles", "smi", "structure", "mol_smiles")
EXTENSIONS = {
    ".sdf": "sdf",
    ".sd": "sdf",
    ".mol": "sdf",
    ".smi": "smiles",
    ".smiles": "smiles",
    ".txt": "smiles",
    ".csv": "csv",
    ".tsv": "csv",
}
CONTENT_TYPES = {"sdf": "chemical/x-mdl-sdfile", "smiles": "text/plain", "csv": "text/csv"}
_FIELD_HEADER = re.compile(r"^>.*?<([^>]*)>")

Progress = Callable[[ImportJob], None]


class BadImportFile(InvalidInput):
    """A file that cannot be imported at all: wrong format, encoding, size, empty."""

    def __init__(self, message: str) -> None:
        super().__init__(message, errors={"file": [message]})


# Reading records ---------------------------------------------------------------------------


@dataclass
class Record:
    """One record of a file: its 1-based number, name, structure text and data fields."""

    number: int
    name: str
    structure: str
    fields: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # why it cannot be read at all, found before any chemistry


def decode(data: bytes) -> str:
    """The file as text: UTF-8 (with or without a byte-order mark), or a clear refusal."""
    if b"\x00" in data[:65536]:
        raise BadImportFile("This is a binary file, not a text file of structures.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise BadImportFile(
            f"The file is not UTF-8 text: byte 0x{data[e.start]:02X} on line {line} cannot "
            "be read as UTF-8. Save the file as UTF-8 and upload it again."
        ) from e


def guess_format(name: str, text: str) -> str:
    """The format a file's extension says, else what its content looks like."""
    fmt = EXTENSIONS.get(Path(name).suffix.lower())
    if fmt:
        return fmt
    if "M  END" in text:
        return "sdf"
    first = text.lstrip().split("\n", 1)[0]
    if any(d in first for d in ",\t;") and any(h in first.lower() for h in SMILES_HEADERS):
        return "csv"
    return "smiles"


def _check_format(fmt: str, text: str) -> None:
    looks_sdf = "M  END" in text or "$$$$" in text
    if fmt == "sdf" and not looks_sdf:
        raise BadImportFile("This is not an SDF: no record has an 'M  END' line.")
    if fmt in ("smiles", "csv") and looks_sdf:
        raise BadImportFile(f"This looks like an SDF (molfiles), not a {fmt.upper()} file.")


def read_sdf(text: str) -> Iterator[Record]:
    """The records of an SDF, split on `$$$$` lines so one broken record never stops the rest."""
    lines: list[str] = []
    number = 0
    for line in [*text.splitlines(), "$$$$"]:
        if line.rstrip() != "$$$$":
            lines.append(line)
            continue
        if any(x.strip() for x in lines):
            number += 1
            yield _sdf_record(number, lines)
        lines = []


def _sdf_record(number: int, lines: list[str]) -> Record:
    name = lines[0].strip()[:200]
    end = next((i for i, x in enumerate(lines) if x.startswith("M  END")), None)
    if end is None:
        return Record(number, name, "", problem="no 'M  END' line: not a molfile")
    fields: dict[str, str] = {}
    key = None
    for line in lines[end + 1 :]:
        if m := _FIELD_HEADER.match(line):
            key = m.group(1).strip()
            fields[key] = ""
        elif key is not None and line.strip():
            fields[key] = f"{fields[key]}\n{line}" if fields[key] else line
        else:
            key = None
    return Record(number, name, "\n".join(lines[: end + 1]) + "\n", fields)


def read_smiles(text: str) -> Iterator[Record]:
    """A SMILES file: one structure a line, an optional name after whitespace, optional header."""
    number = 0
    first = True
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        smiles, _, name = (
            line.strip().partition(" ") if "\t" not in line else line.strip().partition("\t")
        )
        if first and smiles.lower() in SMILES_HEADERS:
            first = False
            continue
        first = False
        number += 1
        yield Record(number, name.strip()[:200], smiles)


def _dialect(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max(",\t;", key=header.count)


def csv_columns(text: str) -> list[str]:
    """The header row of a CSV file."""
    reader = csv.reader(io.StringIO(text), delimiter=_dialect(text))
    return [c.strip() for c in next(reader, [])]


def smiles_column_of(columns: list[str], chosen: str = "") -> str:
    """The column holding the SMILES: the chosen one, else one named like it; or a refusal."""
    if chosen:
        if chosen not in columns:
            raise BadImportFile(f"No column {chosen!r}; the columns are {', '.join(columns)}.")
        return chosen
    for column in columns:
        if column.lower() in SMILES_HEADERS:
            return column
    raise BadImportFile(
        f"Which column holds the SMILES? Choose one of {', '.join(columns) or '(none)'}."
    )


def read_csv(text: str, smiles_column: str) -> Iterator[Record]:
    """A CSV file's rows: the structure from `smiles_column`, every other cell as a field."""
    reader = csv.DictReader(io.StringIO(text), delimiter=_dialect(text))
    reader.fieldnames = [c.strip() for c in reader.fieldnames or []]
    for number, row in enumerate(reader, start=1):
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        yield Record(number, "", cells.pop(smiles_column, ""), cells)


def read_records(job: ImportJob, text: str) -> Iterator[Record]:
    """The job's file as records, each with the checks no chemistry is needed for."""
    if job.format == "sdf":
        records = read_sdf(text)
    elif job.format == "csv":
        records = read_csv(text, job.smiles_column)
    else:
        records = read_smiles(text)
    for record in records:
        for column, target in job.mapping.items():
            if target == "name" and record.fields.get(column):
                record.name = record.fields[column][:200]
        if not record.problem:
            size = len(record.structure)
            if not record.structure.strip():
                record.problem = "no structure"
            elif size > services.MAX_STRUCTURE_CHARS:
                record.problem = (
                    f"the structure is {size:,} characters; at most "
                    f"{services.MAX_STRUCTURE_CHARS:,} are accepted"
                )
            elif "\x00" in record.structure:
                record.problem = "the structure contains a NUL character"
        yield record


def fields_of(job: ImportJob, text: str, sample: int = 200) -> list[str]:
    """What the file offers to map: a CSV's columns, or the data fields of the first SDF records."""
    if job.format == "csv":
        return [c for c in csv_columns(text) if c != job.smiles_column]
    if job.format == "sdf":
        found: dict[str, None] = {}
        for record in read_sdf(text):
            found.update(dict.fromkeys(record.fields))
            if record.number >= sample:
                break
        return list(found)
    return []


# Lot fields from a record --------------------------------------------------------------------


def _number(value: str, name: str, digits: int) -> Decimal:
    try:
        number = Decimal(value.replace("%", "").replace(",", ".").strip())
    except InvalidOperation:
        raise ValueError(f"{name}: {value[:40]!r} is not a number") from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 9:
        raise ValueError(f"{name}: {value[:40]!r} is not a usable number")
    return number.quantize(Decimal(1).scaleb(-digits))


def lot_fields(job: ImportJob, record: Record) -> dict[str, Any]:
    """The lot fields a record's mapped columns give, checked as a registration checks them."""
    out: dict[str, Any] = {}
    for column, target in job.mapping.items():
        value = record.fields.get(column, "").strip()
        if not value or target == "name":
            continue
        if target == "purity":
            out[target] = _number(value, target, 2)
        elif target == "amount":
            out[target] = _number(value, target, 3)
        elif target == "amount_unit":
            out[target] = value.lower()
        elif target == "produced_on":
            try:
                out[target] = date.fromisoformat(value[:10])
            except ValueError:
                raise ValueError(
                    f"produced_on: {value[:40]!r} is not a date (YYYY-MM-DD)"
                ) from None
        else:
            out[target] = value
    if record.name:
        note = f"External id: {record.name}"
        out["notes"] = f"{out['notes']}\n{note}" if out.get("notes") else note
    try:
        checked = services.clean_lot(out)
    except InvalidInput as e:
        raise ValueError("; ".join(f"{k}: {' '.join(v)}" for k, v in e.errors.items())) from e
    return checked


# Creating and checking a job -------------------------------------------------------------------


def read_file(job: ImportJob) -> str:
    """The job's uploaded file as text."""
    return decode(attachments.path_of(job).read_bytes())


def _clean_mapping(mapping: dict[str, str] | None, offered: list[str] | None) -> dict[str, str]:
    mapping = {str(k).strip(): str(v).strip() for k, v in (mapping or {}).items()}
    errors = [f"{v!r} is not a lot field" for v in mapping.values() if v not in TARGETS]
    if offered is not None:
        errors += [f"the file has no column {k!r}" for k in mapping if k not in offered]
    if errors:
        message = f"The mapping is not valid: {'; '.join(errors)}. Fields: {', '.join(TARGETS)}."
        raise InvalidInput(message, errors={"mapping": [message]})
    return mapping


@transaction.atomic
def create_import(
    *,
    actor: User,
    project: Project,
    upload: UploadedFile,
    format: str = "",
    smiles_column: str = "",
    mapping: dict[str, str] | None = None,
) -> ImportJob:
    """Keep an uploaded file of structures as an import job of `project`, once it reads as one.

    Refuses files over `COBENCH_MAX_IMPORT_BYTES`, empty files, files that are not
    UTF-8 text and files that are not in `format` (guessed from the name when empty).
    """
    member = ensure_can(actor, project, Action.REGISTER_COMPOUND)
    limit = settings.COBENCH_MAX_IMPORT_BYTES
    if (upload.size or 0) > limit:
        raise BadImportFile(f"The file is larger than the limit of {limit / 2**20:g} MB.")
    data = upload.read()
    upload.seek(0)
    text = decode(data)
    if not text.strip():
        raise BadImportFile("The file is empty.")
    fmt = format or guess_format(upload.name or "", text)
    if fmt not in ImportJob.Format.values:
        raise BadImportFile(f"Unknown format {fmt!r}: one of {', '.join(ImportJob.Format.values)}.")
    _check_format(fmt, text)
    if fmt == "csv":
        smiles_column = smiles_column_of(csv_columns(text), smiles_column.strip())
    job = ImportJob(
        project=project, format=fmt, smiles_column=smiles_column if fmt == "csv" else ""
    )
    job.mapping = _clean_mapping(mapping, fields_of(job, text) if mapping else None)
    job.records = sum(1 for _ in read_records(job, text))
    if not job.records:
        raise BadImportFile("The file holds no records.")
    stored = attachments.store(
        upload, folder="imports", content_type=CONTENT_TYPES[fmt], limit=limit
    )
    now = timezone.now()
    try:
        job.__dict__.update(stored.fields())
        job.uploaded_by, job.uploaded_by_label = actor, actor.display_name
        job.created_at = job.updated_at = now
        job.save(force_insert=True)
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.IMPORT_CREATED,
            target=job,
            changes={
                "file": [None, job.original_name],
                "size": [None, job.size],
                "sha256": [None, job.sha256],
                "format": [None, fmt],
                "records": [None, job.records],
                "smiles_column": [None, job.smiles_column],
                "mapping": [None, job.mapping],
            },
        )
    except Exception:
        attachments.discard(stored.storage_name)
        raise
    return job


def import_file(path: Path) -> SimpleUploadedFile:
    """A file on disk as an upload, for the command line."""
    limit = settings.COBENCH_MAX_IMPORT_BYTES
    if path.stat().st_size > limit:
        raise BadImportFile(f"The file is larger than the limit of {limit / 2**20:g} MB.")
    return SimpleUploadedFile(path.name, path.read_bytes())


def offered_fields(job: ImportJob) -> list[str]:
    """The file's columns (CSV) or data fields (SDF) that can be mapped to lot fields."""
    return fields_of(job, read_file(job))


def _standardized(
    job: ImportJob, text: str, records: Iterator[Record], work: Callable[..., Any] = prepare_text
) -> Generator[tuple[Record, Any], None, None]:
    """Each record with what the workers made of it (by default its preparation; None for a
    record unread, a `chem.RecordError` for one that cannot be registered), in order."""
    taken: list[Record] = []

    def tasks() -> Iterator[tuple[str, str]]:
        for record in records:
            taken.append(record)
            # a record with a problem still takes its place in the order, as an empty task
            yield ("", "smiles") if record.problem else (record.structure, _fmt(job))

    results = iter_isolated(
        work,
        tasks(),
        timeout_s=settings.COBENCH_IMPORT_TIMEOUT_S,
        memory_mb=2048,
        workers=settings.COBENCH_IMPORT_WORKERS or default_workers(),
        prefetch=8,
        window=2 * BATCH,
    )
    with closing(results):  # stops the workers at once if the caller stops early
        for i, result in enumerate(results):
            record = taken[i]
            taken[i] = None  # type: ignore[call-overload]  # let it go
            yield record, None if record.problem else result


def _fmt(job: ImportJob) -> str:
    return "molfile" if job.format == "sdf" else "smiles"


def _error(record: Record, message: str) -> dict[str, Any]:
    return {"record": record.number, "name": record.name, "error": message}


def _why(result: chem.RecordError) -> str:
    return "; ".join(dict.fromkeys([result.message, *result.messages]))


def check_import(
    *,
    actor: User,
    job: ImportJob,
    smiles_column: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    background: bool | None = None,
) -> ImportJob:
    """The dry run: every record read, standardized and compared; only the job's report is saved.

    Reports per-record errors, duplicates within the file ("same compound as record
    12") and structures already in the sponsor's registry ("would add a lot to
    CB-000012"). `smiles_column` and `mapping` change the job's options first. Files
    of more than `COBENCH_IMPORT_INLINE_RECORDS` records are checked by the
    background worker (state "checking") unless `background` says otherwise.
    """
    member = ensure_can(actor, job.project, Action.REGISTER_COMPOUND)
    job = ImportJob.objects.select_related("project").get(pk=job.pk)
    _checkable(job)
    text = read_file(job)
    before = {"smiles_column": job.smiles_column, "mapping": job.mapping}
    if job.format == "csv" and smiles_column is not None:
        job.smiles_column = smiles_column_of(csv_columns(text), smiles_column.strip())
    if mapping is not None:
        job.mapping = _clean_mapping(mapping, fields_of(job, text))
    changes = audit.diff(before, {"smiles_column": job.smiles_column, "mapping": job.mapping})
    if background is None:
        background = job.records > settings.COBENCH_IMPORT_INLINE_RECORDS
    with transaction.atomic():
        _checkable(ImportJob.objects.select_for_update().get(pk=job.pk))
        if changes or background:
            state = job.state
            if background:
                job.state, job.done_through = ImportJob.State.CHECKING, 0
            job.updated_at = timezone.now()
            job.save(
                update_fields=["smiles_column", "mapping", "state", "done_through", "updated_at"]
            )
            if job.state != state:
                changes["state"] = [state, job.state]
            audit.record(
                actor=actor,
                organization=member.organization,
                event=Event.IMPORT_CONFIGURED,
                target=job,
                changes=changes,
            )
        if background:
            from .tasks import check_import_task

            transaction.on_commit(lambda: check_import_task.enqueue(str(job.pk)))
            return job
    return dry_run(job=job, actor=actor, progress=progress)


def dry_run(*, job: ImportJob, actor: User, progress: Progress | None = None) -> ImportJob:
    """Check every record of `job` with its current options and save the report (see above)."""
    job = ImportJob.objects.select_related("project").get(pk=job.pk)
    text = read_file(job)
    first_of: dict[str, int] = {}
    findings: list[dict[str, Any]] = []
    counts = {"records": 0, "valid": 0, "errors": 0, "new": 0, "in_file": 0, "known": 0}
    pending: list[tuple[Record, str]] = []  # a record and its registration key

    def compare() -> None:
        keys = {key for _, key in pending}
        known = dict(
            Compound.objects.filter(sponsor_id=job.project.sponsor_id, registration_key__in=keys)
            .order_by()  # unordered: the registry's ordering would walk every compound
            .values_list("registration_key", "registry_id")
        )
        for record, key in pending:
            entry = {"record": record.number, "name": record.name}
            if key in known:
                counts["known"] += 1
                entry["duplicate"] = f"would add a lot to {known[key]}"
                entry["registry_id"] = known[key]
            elif key in first_of:
                counts["in_file"] += 1
                entry["duplicate"] = f"the same compound as record {first_of[key]}"
                entry["of_record"] = first_of[key]
            else:
                counts["new"] += 1
                first_of[key] = record.number
                continue
            if len(findings) < MAX_REPORTED:
                findings.append(entry)
        pending.clear()

    records = read_records(job, text)
    with closing(_standardized(job, text, records, work=registration_key_of_text)) as rows:
        for record, result in rows:
            counts["records"] += 1
            problem = record.problem
            if not problem and isinstance(result, chem.RecordError):
                problem = f"cannot register: {_why(result)}"
            if not problem:
                try:
                    lot_fields(job, record)
                except ValueError as e:
                    problem = str(e)
            if problem:
                counts["errors"] += 1
                if len(findings) < MAX_REPORTED:
                    findings.append(_error(record, problem))
            else:
                counts["valid"] += 1
                pending.append((record, result))
                if len(pending) >= BATCH:
                    compare()
            if counts["records"] % 100 == 0:
                job.done_through = counts["records"]
                if progress:
                    progress(job)
                elif job.state == ImportJob.State.CHECKING:  # for the page that polls it
                    ImportJob.objects.filter(pk=job.pk).update(
                        done_through=job.done_through, updated_at=timezone.now()
                    )
    compare()
    findings.sort(key=lambda f: f["record"])
    with transaction.atomic():  # the chemistry ran outside: save only if nothing started since
        _checkable(ImportJob.objects.select_for_update().get(pk=job.pk), checking=True)
        job.check_report = {
            **counts,
            "findings": findings,
            "checked_at": timezone.now().isoformat(),
        }
        job.state, job.done_through, job.updated_at = ImportJob.State.CHECKED, 0, timezone.now()
        job.save()
        audit.record(
            actor=actor,
            organization=acting_organization(actor, job.project),
            event=Event.IMPORT_CHECKED,
            target=job,
            changes={name: [None, value] for name, value in counts.items()},
        )
    return job


def _checkable(job: ImportJob, checking: bool = False) -> None:
    """Refuse a dry run of a job that started importing, or (unless `checking`) one under way."""
    allowed = [ImportJob.State.UPLOADED, ImportJob.State.CHECKED]
    if checking or job.updated_at < timezone.now() - STALE_AFTER:
        allowed.append(ImportJob.State.CHECKING)
    if job.state not in allowed:
        if job.state == ImportJob.State.CHECKING:
            raise Conflict("The dry run of this import is under way.")
        raise Conflict("This import has started; it cannot be checked again.")


# Importing ---------------------------------------------------------------------------------------


def resumable(job: ImportJob, now: datetime | None = None) -> bool:
    """Whether the job may be started (again): checked, stopped, or running but silent too long."""
    now = now or timezone.now()
    return job.state in (ImportJob.State.CHECKED, ImportJob.State.FAILED) or (
        job.state in (ImportJob.State.RUNNING, ImportJob.State.QUEUED)
        and job.updated_at < now - STALE_AFTER
    )


@transaction.atomic
def start_import(*, actor: User, job: ImportJob, background: bool | None = None) -> ImportJob:
    """Queue a checked (or stopped) import; small files run at once, large ones in the worker.

    `background` forces the choice; by default files of more than
    `COBENCH_IMPORT_INLINE_RECORDS` records go to the background worker.
    """
    member = ensure_can(actor, job.project, Action.REGISTER_COMPOUND)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.state == ImportJob.State.UPLOADED:
        raise Conflict("Run the dry run first: it shows what the import would do.")
    if job.state == ImportJob.State.DONE:
        raise Conflict("This import is done.")
    if not resumable(job):
        raise Conflict("This import is already running.")
    before = job.state
    job.state, job.message, job.updated_at = ImportJob.State.QUEUED, "", timezone.now()
    job.save(update_fields=["state", "message", "updated_at"])
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.IMPORT_STARTED,
        target=job,
        changes={"state": [before, job.state], "done_through": [None, job.done_through]},
    )
    if background is None:
        background = job.records > settings.COBENCH_IMPORT_INLINE_RECORDS
    if background:
        from .tasks import run_import_task

        transaction.on_commit(lambda: run_import_task.enqueue(str(job.pk)))
    return job


def run_import(*, job: ImportJob, progress: Progress | None = None) -> ImportJob:
    """Import the job's records after `done_through`, batch by batch; returns the finished job.

    Runs outside any transaction (each batch is its own). Records are written by the
    job's uploader. An unexpected failure stops the job (state failed, with why);
    starting it again resumes after the last committed batch.
    """
    job = ImportJob.objects.select_related("project", "project__sponsor", "uploaded_by").get(
        pk=job.pk
    )
    if job.state == ImportJob.State.DONE:
        return job
    actor = job.uploaded_by
    if actor is None:
        raise Conflict("The person who uploaded this file has no account any more.")
    ensure_can(actor, job.project, Action.REGISTER_COMPOUND)
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING,
        started_at=job.started_at or timezone.now(),
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    text = read_file(job)
    start = job.done_through
    records = (r for r in read_records(job, text) if r.number > start)
    batch: list[tuple[Record, Prepared | None, dict[str, Any], str]] = []
    try:
        with closing(_standardized(job, text, records)) as rows:
            for record, result in rows:
                problem, fields = record.problem, {}
                if not problem and isinstance(result, chem.RecordError):
                    problem = f"cannot register: {_why(result)}"
                if not problem:
                    try:
                        fields = lot_fields(job, record)
                    except ValueError as e:
                        problem = str(e)
                batch.append((record, None if problem else result, fields, problem))
                if len(batch) >= BATCH:
                    _commit(job, actor, batch)
                    batch = []
                    if progress:
                        progress(job)
        _commit(job, actor, batch, last=True)
    except Exception as e:
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJob.State.FAILED,
            message=f"Stopped after record {job.done_through}: {type(e).__name__}: {e}",
            updated_at=timezone.now(),
        )
        raise
    bulk.analyze(Compound, ProjectCompound, Lot)
    if progress:
        progress(job)
    return job


def _commit(
    job: ImportJob,
    actor: User,
    batch: list[tuple[Record, Prepared | None, dict[str, Any], str]],
    last: bool = False,
) -> None:
    """Write one batch and the job's progress in one transaction; record by record on failure."""
    outcomes: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            outcomes = _write(job, actor, batch)
            _advance(job, actor, batch, outcomes, last)
        return
    except DatabaseError:
        pass  # one record the database refuses (a constraint, a value too long): find it
    with transaction.atomic():
        outcomes = []
        for item in batch:
            try:
                with transaction.atomic():
                    outcomes += _write(job, actor, [item])
            except DatabaseError as e:
                outcomes.append(_error(item[0], f"cannot be stored: {e}"))
        _advance(job, actor, batch, outcomes, last)


def _write(
    job: ImportJob,
    actor: User,
    batch: list[tuple[Record, Prepared | None, dict[str, Any], str]],
) -> list[dict[str, Any]]:
    """The batch's good records registered in one `register_many`; an outcome for each record."""
    outcomes = [_error(r, problem) for r, p, _, problem in batch if p is None]
    good = [(r, p, f) for r, p, f, _ in batch if p is not None]
    if not good:
        return outcomes
    items = [services.Submission(prepared=p, structure=r.structure, lot=f) for r, p, f in good]
    registrations = services.register_many(actor=actor, project=job.project, items=items)
    for (record, _, _), registration in zip(good, registrations, strict=True):
        outcomes.append(
            {
                "record": record.number,
                "name": record.name,
                "registry_id": registration.compound.registry_id,
                "lot": registration.lot.lot_number,
                "new": registration.created,
            }
        )
    return outcomes


def _advance(
    job: ImportJob,
    actor: User,
    batch: list[tuple[Record, Prepared | None, dict[str, Any], str]],
    outcomes: list[dict[str, Any]],
    last: bool,
) -> None:
    """Save the job's progress (and, at the end, its finish) in the batch's transaction."""
    report = job.report or {"errors": [], "lots": []}
    for outcome in sorted(outcomes, key=lambda o: o["record"]):
        if "error" in outcome:
            job.failed += 1
            if len(report["errors"]) < MAX_REPORTED:
                report["errors"].append(outcome)
        else:
            job.imported += 1
            job.new_compounds += outcome["new"]
            if len(report["lots"]) < MAX_REPORTED:
                report["lots"].append(outcome)
    if batch:
        job.done_through = batch[-1][0].number
    job.report, job.updated_at = report, timezone.now()
    if last:
        job.state, job.finished_at = ImportJob.State.DONE, job.updated_at
    job.save()
    if last:
        audit.record(
            actor=actor,
            organization=acting_organization(actor, job.project),
            event=Event.IMPORT_FINISHED,
            target=job,
            changes={
                "state": [ImportJob.State.RUNNING, job.state],
                "imported": [None, job.imported],
                "new_compounds": [None, job.new_compounds],
                "failed": [None, job.failed],
            },
        )


def start_and_run(*, actor: User, job: ImportJob) -> ImportJob:
    """Start an import; a small file is imported here and now, a large one by the worker."""
    job = start_import(actor=actor, job=job)
    if job.records <= settings.COBENCH_IMPORT_INLINE_RECORDS:
        job = run_import(job=job)
    return job
