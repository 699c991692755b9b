"""Defining assays, attaching their protocols, recording and flagging results.

A result is checked once, by `build_result`, whether it is typed into a form, sent to
the API or read from a row of an imported file: the compound (by registry id) and
lot (by lot number) must be registered in the assay's project, the value a finite
number with an optional qualifier, the unit one pint converts to the assay's unit.
Results are never deleted or edited: a wrong one is flagged invalid (or outlier)
with a reason, and the flag can be lifted again, each change audited.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.compounds.models import Compound, Lot
from cobench.compounds.services import destinations
from cobench.core import attachments
from cobench.core.concurrency import check_version
from cobench.core.errors import Conflict, Forbidden, InvalidInput
from cobench.core.permissions import Action
from cobench.core.text import TOO_LONG_BRIEF, clean_text, contains_nul
from cobench.tenancy.access import ensure_can
from cobench.tenancy.models import Organization, Project, ProjectMember, User

from . import summaries, units
from .models import Assay, AssayFile, Result

ASSAY_FIELDS = (
    "name",
    "target",
    "kind",
    "endpoint",
    "unit",
    "concentration",
    "better",
    "owner",
    "description",
)
TEXT_LIMITS = {"name": 200, "target": 200, "concentration": 40, "description": 20_000}
MAX_ENTERED = 60
QUALIFIERS = {"": "", "=": "=", "<": "<", ">": ">", "~": "~", "<=": "<", ">=": ">", "≤": "<"}
QUALIFIERS |= {"≥": ">", "≈": "~"}
_VALUE = re.compile(r"^\s*(<=|>=|[<>=~≤≥≈])?\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$")


# Assays ------------------------------------------------------------------------------------


def _assay_values(assay: Assay) -> dict[str, Any]:
    values = {name: getattr(assay, name) for name in ASSAY_FIELDS}
    values["owner"] = assay.owner.name
    return values


def _clean_assay(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    """The assay's fields checked: lengths, choices, a unit pint knows, an owner on the project."""
    errors: dict[str, list[str]] = {}
    out = dict(fields)
    for name, limit in TEXT_LIMITS.items():
        out[name] = clean_text(
            errors,
            name,
            out.get(name),
            limit=limit,
            required=name == "name",
            too_long=TOO_LONG_BRIEF,
        )
    for name, choices in (
        ("kind", Assay.Kind),
        ("endpoint", Assay.Endpoint),
        ("better", Assay.Better),
    ):
        if out.get(name) not in choices.values:
            errors[name] = [f"One of {', '.join(choices.values)}."]
    try:
        out["unit"] = units.check(out.get("unit") or "", endpoint=out.get("endpoint") or "")
    except units.UnitError as e:
        errors["unit"] = [str(e)]
    owner = out.get("owner")
    if not isinstance(owner, Organization) or owner not in destinations(project):
        errors["owner"] = ["The sponsor or a partner organization of this project."]
    if errors:
        raise InvalidInput("The assay is not valid.", errors=errors)
    return out


@transaction.atomic
def create_assay(
    *,
    actor: User,
    project: Project,
    name: str,
    kind: str,
    endpoint: str,
    unit: str,
    better: str,
    owner: Organization | None = None,
    target: str = "",
    concentration: str = "",
    description: str = "",
    now: datetime | None = None,
) -> Assay:
    """Define an assay of `project`, run by `owner` (the sponsor unless said otherwise)."""
    member = ensure_can(actor, project, Action.MANAGE_ASSAYS)
    fields = _clean_assay(
        project,
        {
            "name": name,
            "target": target,
            "kind": kind,
            "endpoint": endpoint,
            "unit": unit,
            "concentration": concentration,
            "better": better,
            "owner": owner or project.sponsor,
            "description": description,
        },
    )
    if Assay.objects.filter(project=project, name=fields["name"]).exists():
        raise InvalidInput(
            "An assay of this name exists.", errors={"name": ["Already used in this project."]}
        )
    assay = Assay.objects.create(
        project=project,
        created_by=actor,
        created_by_label=actor.display_name,
        created_at=now or timezone.now(),
        **fields,
    )
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.ASSAY_CREATED,
        target=assay,
        changes={k: [None, v] for k, v in _assay_values(assay).items()},
    )
    return assay


@transaction.atomic
def update_assay(*, actor: User, assay: Assay, expected_version: int, **fields: Any) -> Assay:
    """Change an assay's fields; its unit only while it has no results (they are stored in it)."""
    member = ensure_can(actor, assay.project, Action.MANAGE_ASSAYS)
    assay = (
        Assay.objects.select_for_update(of=("self",))
        .select_related("owner", "project")
        .get(pk=assay.pk)
    )
    check_version(current=assay.version, expected=expected_version)
    unknown = set(fields) - set(ASSAY_FIELDS)
    if unknown:
        raise InvalidInput(
            "Unknown fields.", errors={n: ["Not an assay field."] for n in sorted(unknown)}
        )
    before = _assay_values(assay)
    current = {name: getattr(assay, name) for name in ASSAY_FIELDS}
    given = {k: v for k, v in fields.items() if v is not None}
    cleaned = _clean_assay(assay.project, {**current, **given})
    if cleaned["unit"] != assay.unit and assay.results.exists():
        raise Conflict(
            "This assay has results stored in its unit: the unit cannot change any more."
        )
    clash = Assay.objects.filter(project=assay.project, name=cleaned["name"]).exclude(pk=assay.pk)
    if clash.exists():
        raise InvalidInput(
            "An assay of this name exists.", errors={"name": ["Already used in this project."]}
        )
    potency = assay.endpoint in units.POTENCY_ENDPOINTS
    for name, value in cleaned.items():
        setattr(assay, name, value)
    changes = audit.diff(before, _assay_values(assay))
    if changes:
        assay.version += 1
        assay.save()
        if potency != (assay.endpoint in units.POTENCY_ENDPOINTS):  # another mean
            try:
                summaries.refresh(assay)
            except ValueError as e:
                raise Conflict(f"The results cannot be read as {assay.endpoint}: {e}") from None
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.ASSAY_UPDATED,
            target=assay,
            changes=changes,
        )
    return assay


@transaction.atomic
def attach_assay_file(*, actor: User, assay: Assay, upload: UploadedFile) -> AssayFile:
    """Attach a protocol (or another document) to an assay; size and type checked."""
    member = ensure_can(actor, assay.project, Action.MANAGE_ASSAYS)
    return attachments.attach(
        actor=actor,
        upload=upload,
        folder="assays",
        model=AssayFile,
        project=assay.project,
        assay=assay,
        record=lambda attachment, changes: audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.ASSAY_FILE_ADDED,
            target=attachment,
            changes={"assay": [None, assay.name], **changes},
        ),
    )


# Results -----------------------------------------------------------------------------------


def ensure_recorder(actor: User, assay: Assay) -> ProjectMember:
    """`actor`'s membership when they may record results of `assay`: its owner's people only."""
    member = ensure_can(actor, assay.project, Action.RECORD_RESULTS)
    if member.organization_id != assay.owner_id:
        raise Forbidden(f"{assay.name} is run by {assay.owner}: only its people record results.")
    return member


def parse_value(value: Any, qualifier: str = "") -> tuple[str, float]:
    """`(qualifier, number)` from a number or a text like "12.5", "<10", "> 1e4"; else ValueError.

    A qualifier may come with the value, separately, or both when they agree.
    """
    if isinstance(value, bool):
        raise ValueError("not a number")
    given = QUALIFIERS.get((qualifier or "").strip())
    if given is None:
        raise ValueError(f"unknown qualifier {str(qualifier)[:10]!r} (use =, <, > or ~)")
    if isinstance(value, int | float):
        prefix, number = "", float(value)
    else:
        match = _VALUE.match(str(value or "")[:MAX_ENTERED])
        if not match or len(str(value)) > MAX_ENTERED:
            raise ValueError(f"{str(value)[:40]!r} is not a number")
        prefix, number = QUALIFIERS[match.group(1) or ""], float(match.group(2))
    if prefix and given and prefix != given:
        raise ValueError(f"the value says {prefix!r} but the qualifier says {given!r}")
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return prefix or given or "=", number


def find_compound(
    actor: User, project: Project, registry_id: str = "", lot_number: str = ""
) -> Any:
    """`(compound, lot)` of `project` that `actor` sees, by registry id and/or lot number;
    else InvalidInput.

    A compound of the sponsor's registry that is not registered in `project` is refused
    like an unknown one: a result belongs to the project whose compound it measures.
    """
    registry_id, lot_number = (registry_id or "").strip(), (lot_number or "").strip()
    lot = None
    if lot_number:
        lot = (
            Lot.objects.visible_to(actor)
            .select_related("compound")
            .filter(project=project, lot_number=lot_number)
            .first()
        )
        if lot is None:
            raise InvalidInput(
                "No such lot.", errors={"lot": [f"No lot {lot_number[:60]!r} in {project.code}."]}
            )
        if registry_id and lot.compound.registry_id != registry_id:
            raise InvalidInput(
                "The lot is of another compound.",
                errors={"lot": [f"{lot_number} is a lot of {lot.compound.registry_id}."]},
            )
        return lot.compound, lot
    if not registry_id:
        raise InvalidInput("Which compound?", errors={"compound": ["Give a registry id."]})
    compound = (
        Compound.objects.in_project(project, seen_by=actor).filter(registry_id=registry_id).first()
    )
    if compound is None:
        raise InvalidInput(
            "No such compound.",
            errors={"compound": [f"No compound {registry_id[:60]!r} in {project.code}."]},
        )
    return compound, None


@dataclass(frozen=True)
class Entered:
    """A result as someone gave it, before any check."""

    value: Any
    qualifier: str = ""
    unit: str = ""
    run_date: date | None = None
    experiment_id: str = ""


def build_result(
    *,
    actor: User,
    assay: Assay,
    compound: Compound,
    lot: Lot | None,
    entered: Entered,
    now: datetime,
) -> Result:
    """The (unsaved) result of `entered`, converted to the assay's unit; else InvalidInput."""
    errors: dict[str, list[str]] = {}
    qualifier, number = "=", 0.0
    try:
        qualifier, number = parse_value(entered.value, entered.qualifier)
    except ValueError as e:
        errors["value"] = [str(e)[:1].upper() + str(e)[1:] + "."]
    unit = (entered.unit or "").strip() or assay.unit
    value = number
    try:
        value = units.convert(number, unit, assay.unit)
    except units.UnitError as e:
        errors["unit"] = [str(e)]
    if "value" not in errors and value <= 0 and assay.endpoint in units.POTENCY_ENDPOINTS:
        errors["value"] = [f"An {assay.endpoint} is a positive concentration."]
    run_date = entered.run_date or timezone.localdate(now)
    if not isinstance(run_date, date):
        errors["run_date"] = ["A date."]
    elif run_date > timezone.localdate(now):
        errors["run_date"] = ["Not in the future."]
    experiment_id = (entered.experiment_id or "").strip()
    if len(experiment_id) > 100 or contains_nul(experiment_id):
        errors["experiment_id"] = ["At most 100 characters of text."]
    if errors:
        raise InvalidInput("The result is not valid.", errors=errors)
    return Result(
        project=assay.project,
        assay=assay,
        compound=compound,
        lot=lot,
        qualifier=qualifier,
        value=value,
        entered_value=str(entered.value).strip()[:MAX_ENTERED],
        entered_unit=unit,
        run_date=run_date,
        experiment_id=experiment_id,
        created_by=actor,
        created_by_label=actor.display_name,
        created_at=now,
    )


def result_changes(result: Result) -> dict[str, Any]:
    """What `result.recorded` records."""
    return {
        "assay": [None, result.assay.name],
        "compound": [None, result.compound.registry_id],
        "lot": [None, result.lot.lot_number if result.lot else None],
        "qualifier": [None, result.qualifier],
        "value": [None, result.value],
        "unit": [None, result.assay.unit],
        "entered": [None, f"{result.entered_value} {result.entered_unit}"],
        "run_date": [None, result.run_date],
        "experiment_id": [None, result.experiment_id],
    }


@transaction.atomic
def record_result(
    *,
    actor: User,
    assay: Assay,
    value: Any,
    registry_id: str = "",
    lot_number: str = "",
    qualifier: str = "",
    unit: str = "",
    run_date: date | None = None,
    experiment_id: str = "",
    now: datetime | None = None,
) -> Result:
    """Record one result of a compound (by registry id) or lot (by lot number) of the project.

    `value` may carry its qualifier ("<10"); `unit` defaults to the assay's and is
    converted to it.
    """
    member = ensure_recorder(actor, assay)
    compound, lot = find_compound(actor, assay.project, registry_id, lot_number)
    entered = Entered(value, qualifier, unit, run_date, experiment_id)
    result = build_result(
        actor=actor,
        assay=assay,
        compound=compound,
        lot=lot,
        entered=entered,
        now=now or timezone.now(),
    )
    result.save(force_insert=True)
    summaries.refresh(assay, [compound.pk])
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.RESULT_RECORDED,
        target=result,
        changes=result_changes(result),
    )
    return result


@transaction.atomic
def flag_result(
    *,
    actor: User,
    result: Result,
    flag: str,
    reason: str,
    expected_version: int | None = None,
) -> Result:
    """Flag a result invalid or outlier (`flag` "" lifts the flag), always with a reason.

    The result stays: aggregates leave invalid results out; outliers stay in the
    list, marked, for the reader to judge.
    """
    result = Result.objects.select_related("assay", "assay__project").get(pk=result.pk)
    member = ensure_recorder(actor, result.assay)
    result = Result.objects.select_for_update().get(pk=result.pk)
    check_version(current=result.version, expected=expected_version)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if flag not in Result.Flag.values:
        errors["flag"] = [f"One of {', '.join(v or '(none)' for v in Result.Flag.values)}."]
    elif flag == result.flag:
        errors["flag"] = [f"The result is flagged {result.get_flag_display().lower()} already."]
    if not reason:
        errors["reason"] = ["Say why."]
    elif len(reason) > 5000 or contains_nul(reason):
        errors["reason"] = ["At most 5,000 characters of text."]
    if errors:
        raise InvalidInput("The flag is not valid.", errors=errors)
    before = result.flag
    result.flag, result.flag_reason, result.version = flag, reason, result.version + 1
    result.save(update_fields=["flag", "flag_reason", "version"])
    summaries.refresh(result.assay, [result.compound_id])
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.RESULT_FLAGGED,
        target=result,
        changes={"flag": [before, flag]},
        reason=reason,
    )
    return result
