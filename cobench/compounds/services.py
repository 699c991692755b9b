"""Registering compounds and lots, their analytical files, shipments, and exports.

Registration is two steps so that untrusted text never reaches the writer:
`standardize_structures` parses and standardizes it in disposable worker processes
(a pathological structure cannot hang the web process), and `register_many` files
prepared structures, a batch at a time: for each, the existing compound of the
sponsor's registry when its registration key is known, else a new one with the next
registry id; in both cases a new lot. A person's one structure (`register_structure`),
a request's made compound, a bulk import's batch and the demo all go through it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from rdkit import Chem

from cobench import chem
from cobench.audit import services as audit
from cobench.audit.events import Event
from cobench.chem.registration import Prepared, prepare
from cobench.core import attachments, bulk
from cobench.core.concurrency import check_version
from cobench.core.errors import Conflict, Forbidden, InvalidInput
from cobench.core.permissions import Action
from cobench.core.text import NUL_MESSAGE, TOO_LONG_BRIEF, clean_text, contains_nul, neutralise
from cobench.tenancy.access import ensure_can
from cobench.tenancy.models import Organization, Project, User

from .models import Compound, Lot, LotFile, ProjectCompound, RegistrySequence, Shipment
from .querysets import coded_for, whole_projects

__all__ = ["coded_for"]  # the rule of blinded sharing, asked by every door that shows structures

MAX_STRUCTURE_CHARS = 200_000
MAX_SHORT, MAX_NOTES = 200, 20_000
LOT_FIELDS = ("produced_on", "purity", "amount", "amount_unit", "appearance", "salt_form", "notes")


# Standardizing untrusted input ------------------------------------------------------------


def standardize_structures(structures: list[str]) -> list[chem.Standardized | chem.RecordError]:
    """Each structure (SMILES or molfile) standardized in a worker process, in input order."""
    return chem.parse_and_standardize_many(structures, timeout_s=10.0, memory_mb=2048, workers=1)


def as_submitted(structure: str) -> str:
    """The structure's text as parsed: a SMILES trimmed, a molfile kept line for line.

    A molfile's first three lines are its header, and the first may be blank.
    """
    text = structure or ""
    return text.rstrip() + "\n" if "\n" in text.strip() else text.strip()


def standardize_one(structure: str, *, field: str = "structure") -> chem.Standardized:
    """One structure standardized in isolation, or InvalidInput with RDKit's own messages."""
    text = as_submitted(structure)
    if not text.strip():
        raise InvalidInput("Give a structure.", errors={field: ["Give a SMILES or a molfile."]})
    if contains_nul(text):
        raise InvalidInput(NUL_MESSAGE, errors={field: [NUL_MESSAGE]})
    if len(text) > MAX_STRUCTURE_CHARS:
        message = f"The structure is longer than {MAX_STRUCTURE_CHARS:,} characters."
        raise InvalidInput(message, errors={field: [message]})
    (result,) = standardize_structures([text])
    if isinstance(result, chem.RecordError):
        # RDKit may log one finding twice (parse and sanitize): each is shown once
        messages = list(dict.fromkeys([result.message, *result.messages]))
        detail = f"The structure cannot be registered: {result.message}"
        raise InvalidInput(detail, errors={field: messages})
    return result


# Registration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    """What a registration did: the compound (new or found), the new lot, and the warnings."""

    compound: Compound
    lot: Lot
    created: bool
    warnings: list[str]


def registry_id(number: int) -> str:
    return f"{settings.COBENCH_REGISTRY_PREFIX}-{number:06d}"


def warnings_of(std: chem.Standardized | Prepared) -> list[str]:
    """The pipeline's findings as sentences a chemist reads beside the compound."""
    found = [f"{issue.message} (penalty {issue.penalty})" for issue in std.issues]
    found += [f"InChI: {w}" for w in std.inchi_warnings]
    if std.excluded:
        found.append("The ChEMBL pipeline excludes this structure from parent generation.")
    return found


def clean_lot(fields: dict[str, Any]) -> dict[str, Any]:
    """Lot fields checked: lengths, no NUL, purity 0–100, a positive amount, a known unit."""
    errors: dict[str, list[str]] = {}
    out = dict(fields)
    for name, limit in (("appearance", MAX_SHORT), ("salt_form", MAX_SHORT), ("notes", MAX_NOTES)):
        if name not in out:
            continue
        value = (out[name] or "").strip()
        if contains_nul(value):
            errors[name] = [NUL_MESSAGE]
        elif len(value) > limit:
            errors[name] = [f"At most {limit:,} characters."]
        out[name] = value
    purity = out.get("purity")
    if purity is not None and not (Decimal(0) <= Decimal(str(purity)) <= Decimal(100)):
        errors["purity"] = ["A percentage between 0 and 100."]
    amount = out.get("amount")
    if amount is not None and Decimal(str(amount)) <= 0:
        errors["amount"] = ["A positive amount."]
    if "amount_unit" in out and out["amount_unit"] not in Lot.Unit.values:
        errors["amount_unit"] = [f"One of {', '.join(Lot.Unit.values)}."]
    if "produced_on" in out and not isinstance(out["produced_on"], date):
        errors["produced_on"] = ["A date."]
    if errors:
        raise InvalidInput("The lot's details are not valid.", errors=errors)
    return out


def _lot_changes(lot: Lot) -> dict[str, Any]:
    return {name: getattr(lot, name) for name in LOT_FIELDS}


@dataclass(frozen=True)
class Submission:
    """One structure to register: its preparation, its text as submitted, its lot's fields."""

    prepared: Prepared
    structure: str
    lot: Mapping[str, Any] = field(default_factory=dict)


@transaction.atomic
def register_many(
    *,
    actor: User,
    project: Project,
    items: Sequence[Submission],
    now: datetime | None = None,
) -> list[Registration]:
    """File each item in the project's sponsor registry with a new lot: one Registration an item.

    A registration key already known to the sponsor gives the existing compound
    (linked to `project` if it was not yet); a new one becomes a compound with the next
    registry id, which later items of the same key share. Every lot is made by the
    actor's organization. Compounds, links, lots and their events are written in bulk,
    so a bulk import calls this once per batch and a single registration is a batch of one.
    """
    member = ensure_can(actor, project, Action.REGISTER_COMPOUND)
    if not items:
        return []
    now = now or timezone.now()
    values = [lot_values(item.lot, item.prepared, now) for item in items]
    compounds, fresh = _compounds_for(actor, project.sponsor, items, now)
    ids = [c.pk for c in compounds.values()]
    linked = set(
        ProjectCompound.objects.filter(project=project, compound_id__in=ids).values_list(
            "compound_id", flat=True
        )
    )
    lot_numbers = dict(
        Lot.objects.filter(compound_id__in=ids)
        .values("compound_id")
        .annotate(n=Max("number"))
        .values_list("compound_id", "n")
    )
    links: list[ProjectCompound] = []
    lots: list[Lot] = []
    events: list[tuple[Event, Any, dict[str, Any], Project | None]] = []
    registrations: list[Registration] = []
    created = {c.pk for c in fresh}
    for item, fields in zip(items, values, strict=True):
        compound = compounds[item.prepared.registration_key]
        new = compound.pk in created
        if new:
            created.discard(compound.pk)
            events.append(
                (Event.COMPOUND_REGISTERED, compound, compound_changes(compound), project)
            )
        if compound.pk not in linked:
            linked.add(compound.pk)
            link = ProjectCompound(project=project, compound=compound, added_at=now)
            links.append(link)
            events.append((Event.COMPOUND_LINKED, link, link_changes(link), None))
        number = lot_numbers.get(compound.pk, 0) + 1
        lot_numbers[compound.pk] = number
        lot = Lot(
            project=project,
            compound=compound,
            number=number,
            lot_number=f"{compound.registry_id}-{number:03d}",
            producer=member.organization,
            removed_fragments=list(item.prepared.removed_fragments),
            structure=as_submitted(item.structure),
            registered_by=actor,
            registered_by_label=actor.display_name,
            created_at=now,
            **fields,
        )
        lots.append(lot)
        events.append((Event.LOT_REGISTERED, lot, lot_changes(lot), None))
        registrations.append(
            Registration(
                compound=compound, lot=lot, created=new, warnings=warnings_of(item.prepared)
            )
        )
    bulk.insert(links)
    bulk.insert(lots)
    audit.record_many(actor=actor, organization=member.organization, events=events)
    return registrations


def lot_values(lot: Mapping[str, Any], prepared: Prepared, now: datetime) -> dict[str, Any]:
    """A new lot's fields, checked: made today in mg unless they say otherwise, and of the
    salt form the standardizer removed unless one is given."""
    unknown = set(lot) - set(LOT_FIELDS)
    if unknown:
        raise InvalidInput("Unknown fields.", errors={n: ["Not a lot field."] for n in unknown})
    values = clean_lot(
        {
            "amount_unit": Lot.Unit.MG,
            **lot,
            "produced_on": lot.get("produced_on") or timezone.localdate(now),
        }
    )
    if not values.get("salt_form") and prepared.removed_fragments:
        values["salt_form"] = ".".join(prepared.removed_fragments)[:MAX_SHORT]
    return values


def _compounds_for(
    actor: User,
    sponsor: Organization,
    items: Sequence[Submission],
    now: datetime,
    retry: bool = True,
) -> tuple[dict[str, Compound], list[Compound]]:
    """The compound of each item's registration key, and which of them are new: the
    registry's own, locked for the lots to come, else a new one numbered and inserted."""
    firsts: dict[str, Prepared] = {}
    for item in items:
        firsts.setdefault(item.prepared.registration_key, item.prepared)
    compounds = {
        c.registration_key: c
        # unordered: the registry's ordering (by sponsor name and number) would have SQLite
        # walk every compound of the sponsor instead of looking the keys up
        for c in Compound.objects.select_for_update()
        .filter(sponsor=sponsor, registration_key__in=list(firsts))
        .order_by()
    }
    new = [prepared for key, prepared in firsts.items() if key not in compounds]
    if not new:
        return compounds, []
    try:
        with transaction.atomic():
            fresh = [
                new_compound(
                    sponsor=sponsor, number=number, prepared=prepared, actor=actor, now=now
                )
                for number, prepared in zip(_take_numbers(sponsor, len(new)), new, strict=True)
            ]
            bulk.insert(fresh)
    except IntegrityError:
        if not retry:
            raise
        # a concurrent registration of one of these structures committed first: the
        # numbers go back, and its compound is found (and locked) now
        return _compounds_for(actor, sponsor, items, now, retry=False)
    compounds.update((c.registration_key, c) for c in fresh)
    return compounds, fresh


def _take_numbers(sponsor: Organization, count: int) -> range:
    """The next `count` registry numbers of `sponsor`: its one row updated under its lock."""
    RegistrySequence.objects.get_or_create(sponsor=sponsor)
    RegistrySequence.objects.filter(sponsor=sponsor).update(last=F("last") + count)
    last = RegistrySequence.objects.get(sponsor=sponsor).last
    return range(last - count + 1, last + 1)


def sees_all_compounds(user: Any, project: Project) -> bool:
    """Whether `user` sees every compound of `project`: the sponsor's people, everyone on an
    open consortium, and the people of a partner the sponsor shares all of them with."""
    return bool(whole_projects(user).filter(project=project).exists())


# Coded samples: what a partner shared compounds blinded does not see of them --------------

CODED = "coded"  # shown where the structure would be
STRUCTURE_FIELDS = ("smiles", "molblock", "inchi", "inchikey", "registration_key", "svg")
PROPERTY_FIELDS = (
    "formula",
    "mw",
    "exact_mass",
    "clogp",
    "tpsa",
    "hbd",
    "hba",
    "rotatable_bonds",
    "rings",
    "lipinski_violations",
)


def code(compound: Compound) -> Compound:
    """`compound` as a coded sample, in memory only (`Compound.save` refuses it): its registry
    id and dates kept, its structure, identifiers and computed properties emptied."""
    compound.coded = True  # type: ignore[attr-defined]  # read by the templates and schemas
    for name in STRUCTURE_FIELDS:
        setattr(compound, name, "")
    for name in PROPERTY_FIELDS:
        setattr(compound, name, "" if name == "formula" else None)
    compound.stereo, compound.warnings = {}, []
    return compound


def blind(user: Any, compounds: Iterable[Compound]) -> list[Compound]:
    """The compounds as `user` sees them: those it sees coded (`coded_for`) made coded
    samples, each marked `coded` True or False; one query for most people."""
    rows = list(compounds)
    coded = coded_for(user, [c.pk for c in rows])
    for compound in rows:
        if compound.pk in coded:
            code(compound)
        else:
            compound.coded = False  # type: ignore[attr-defined]
    return rows


def blind_lots(user: Any, lots: Iterable[Lot]) -> list[Lot]:
    """The lots as `user` sees them: a coded compound's lot without the structure submitted
    (and its compound coded, when loaded)."""
    rows = list(lots)
    coded = coded_for(user, [lot.compound_id for lot in rows])
    for lot in rows:
        lot.coded = lot.compound_id in coded  # type: ignore[attr-defined]
        if lot.coded:  # type: ignore[attr-defined]
            lot.structure = ""
            if Lot.compound.is_cached(lot):
                code(lot.compound)
    return rows


def registered_count(project: Project, seen_by: Any) -> int:
    """How many compounds of `project` `seen_by` sees. For one who sees them all, by counting
    the project's links (one index range): counting the compounds themselves checks each
    one's links, seconds at a million; a partner that sees only some counts those."""
    if sees_all_compounds(seen_by, project):
        return ProjectCompound.objects.filter(project=project).count()
    return Compound.objects.theirs(seen_by, project).count()


def link_changes(link: ProjectCompound) -> dict[str, Any]:
    """What `compound.linked` records."""
    return {"compound": [None, link.compound.registry_id], "project": [None, link.project.code]}


def lot_changes(lot: Lot) -> dict[str, Any]:
    """What `lot.registered` records."""
    return {
        "lot_number": [None, lot.lot_number],
        "compound": [None, lot.compound.registry_id],
        "producer": [None, str(lot.producer)],
        "removed_fragments": [None, lot.removed_fragments],
        "structure": [None, lot.structure[:2000]],
        **{name: [None, value] for name, value in _lot_changes(lot).items()},
    }


def compound_changes(compound: Compound) -> dict[str, Any]:
    """What `compound.registered` records."""
    return {
        "registry_id": [None, compound.registry_id],
        "registration_key": [None, compound.registration_key],
        "smiles": [None, compound.smiles],
        "formula": [None, compound.formula],
        "versions": [None, compound.versions],
    }


def new_compound(
    *, sponsor: Organization, number: int, prepared: Prepared, actor: User, now: datetime
) -> Compound:
    """The (unsaved) compound row for a prepared structure given registry number `number`."""
    props = prepared.properties
    return Compound(
        sponsor=sponsor,
        number=number,
        registry_id=registry_id(number),
        smiles=prepared.parent_smiles,
        molblock=prepared.molblock,
        inchi=prepared.inchi,
        inchikey=prepared.inchikey,
        registration_key=prepared.registration_key,
        formula=props.formula,
        mw=props.mw,
        exact_mass=props.exact_mass,
        clogp=props.clogp,
        tpsa=props.tpsa,
        hbd=props.hbd,
        hba=props.hba,
        rotatable_bonds=props.rotatable_bonds,
        rings=props.rings,
        lipinski_violations=props.lipinski_violations,
        stereo=prepared.stereo,
        warnings=warnings_of(prepared),
        versions=dict(prepared.versions),
        svg=prepared.svg,
        created_by=actor,
        created_by_label=actor.display_name,
        created_at=now,
    )


def register_structure(
    *, actor: User, project: Project, structure: str, **lot_fields: Any
) -> Registration:
    """Register one structure typed or pasted by a person, standardized in isolation first."""
    ensure_can(actor, project, Action.REGISTER_COMPOUND)
    prepared = prepare(standardize_one(structure))
    item = Submission(prepared=prepared, structure=structure, lot=lot_fields)
    (registration,) = register_many(actor=actor, project=project, items=[item])
    return registration


# Lots ------------------------------------------------------------------------------------


@transaction.atomic
def update_lot(*, actor: User, lot: Lot, expected_version: int, **fields: Any) -> Lot:
    """Change a lot's date, purity, amount, appearance, salt form or notes."""
    member = ensure_can(actor, lot.project, Action.REGISTER_COMPOUND)
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    check_version(current=lot.version, expected=expected_version)
    unknown = set(fields) - set(LOT_FIELDS)
    if unknown:
        raise InvalidInput("Unknown fields.", errors={n: ["Not a lot field."] for n in unknown})
    fields = clean_lot({k: v for k, v in fields.items() if v is not None or k in ("purity",)})
    before = _lot_changes(lot)
    for name, value in fields.items():
        setattr(lot, name, value)
    changes = audit.diff(before, _lot_changes(lot))
    if changes:
        lot.version += 1
        lot.save()
        audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.LOT_UPDATED,
            target=lot,
            changes=changes,
        )
        lot.refresh_from_db()  # decimals as stored
    return lot


@transaction.atomic
def attach_lot_file(
    *, actor: User, lot: Lot, upload: UploadedFile, kind: str = LotFile.Kind.OTHER
) -> LotFile:
    """Attach an analytical file (NMR, LC-MS, certificate) to a lot; size and type checked."""
    member = ensure_can(actor, lot.project, Action.REGISTER_COMPOUND)
    if kind not in LotFile.Kind.values:
        raise InvalidInput("Unknown kind.", errors={"kind": [f"One of {LotFile.Kind.values}."]})
    return attachments.attach(
        actor=actor,
        upload=upload,
        folder="lots",
        model=LotFile,
        project=lot.project,
        lot=lot,
        kind=kind,
        record=lambda attachment, changes: audit.record(
            actor=actor,
            organization=member.organization,
            event=Event.LOT_FILE_ADDED,
            target=attachment,
            changes={**changes, "kind": [None, kind], "lot": [None, lot.lot_number]},
        ),
    )


# Shipments -------------------------------------------------------------------------------


def custodian(lot: Lot) -> Organization:
    """Who answers for the lot: its producer, then each receiver; the sender while in transit."""
    last = lot.shipments.order_by("-number").first()
    if last is None:
        return lot.producer
    holder: Organization = last.to_org if last.received_at else last.from_org
    return holder


def destinations(project: Project) -> list[Organization]:
    """Where a lot of the project may go: the sponsor and the project's partners."""
    partners = Organization.objects.filter(partnerships__project=project).distinct()
    return [project.sponsor, *[o for o in partners.order_by("name") if o != project.sponsor]]


@transaction.atomic
def send_lot(
    *,
    actor: User,
    lot: Lot,
    to_org: Organization,
    carrier: str,
    tracking_number: str = "",
    sent_at: datetime | None = None,
    now: datetime | None = None,
) -> Shipment:
    """Send a lot on from where it is now to the sponsor or a partner of the project."""
    member = ensure_can(actor, lot.project, Action.SHIP_LOT)
    Lot.objects.select_for_update().filter(pk=lot.pk).first()
    now = now or timezone.now()
    sent_at = sent_at or now
    last = lot.shipments.order_by("-number").first()
    if last and last.received_at is None:
        raise Conflict(
            f"{lot.lot_number} is on its way to {last.to_org}: record its receipt before "
            "sending it on."
        )
    holder = last.to_org if last else lot.producer
    if member.organization_id != holder.pk:
        raise Forbidden(f"{lot.lot_number} is held by {holder}; only its people can send it.")
    errors: dict[str, list[str]] = {}
    carrier = clean_text(
        errors, "carrier", carrier, limit=100, required=True, too_long=TOO_LONG_BRIEF
    )
    tracking_number = clean_text(
        errors, "tracking_number", tracking_number, limit=100, too_long=TOO_LONG_BRIEF
    )
    if to_org not in destinations(lot.project):
        errors["to_org"] = ["The sponsor or a partner of this project."]
    elif to_org.pk == holder.pk:
        errors["to_org"] = [f"{holder} holds the lot already."]
    if sent_at > now + timedelta(minutes=5):
        errors["sent_at"] = ["Not in the future."]
    elif last and last.received_at and sent_at < last.received_at:
        errors["sent_at"] = ["Not before the lot arrived from its previous shipment."]
    if errors:
        raise InvalidInput("The shipment is not valid.", errors=errors)
    shipment = Shipment.objects.create(
        project=lot.project,
        lot=lot,
        number=(last.number if last else 0) + 1,
        from_org=holder,
        to_org=to_org,
        carrier=carrier,
        tracking_number=tracking_number,
        sent_at=sent_at,
        sent_by_label=actor.display_name,
    )
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.SHIPMENT_SENT,
        target=shipment,
        changes={
            "lot": [None, lot.lot_number],
            "from": [None, str(holder)],
            "to": [None, str(to_org)],
            "carrier": [None, carrier],
            "tracking_number": [None, tracking_number],
            "sent_at": [None, sent_at],
        },
    )
    return shipment


@transaction.atomic
def receive_shipment(
    *,
    actor: User,
    shipment: Shipment,
    condition: str,
    condition_notes: str = "",
    received_at: datetime | None = None,
    now: datetime | None = None,
) -> Shipment:
    """Record that a sent shipment arrived, and in what condition; by the receiving side."""
    member = ensure_can(actor, shipment.project, Action.SHIP_LOT)
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if member.organization_id != shipment.to_org_id:
        raise Forbidden(f"Only people of {shipment.to_org} record the receipt of this shipment.")
    if shipment.received_at is not None:
        raise Conflict("This shipment was received already.")
    now = now or timezone.now()
    received_at = received_at or now
    errors: dict[str, list[str]] = {}
    notes = clean_text(
        errors, "condition_notes", condition_notes, limit=5000, too_long=TOO_LONG_BRIEF
    )
    if condition not in Shipment.Condition.values:
        errors["condition"] = [f"One of {', '.join(Shipment.Condition.values)}."]
    elif condition != Shipment.Condition.GOOD and not notes:
        errors["condition_notes"] = ["Say what was wrong on arrival."]
    if received_at < shipment.sent_at:
        errors["received_at"] = ["Not before it was sent."]
    elif received_at > now + timedelta(minutes=5):
        errors["received_at"] = ["Not in the future."]
    if errors:
        raise InvalidInput("The receipt is not valid.", errors=errors)
    shipment.received_at, shipment.received_by_label = received_at, actor.display_name
    shipment.condition, shipment.condition_notes = condition, notes
    shipment.save()
    audit.record(
        actor=actor,
        organization=member.organization,
        event=Event.SHIPMENT_RECEIVED,
        target=shipment,
        changes={
            "received_at": [None, received_at],
            "condition": [None, condition],
            "condition_notes": [None, notes],
        },
    )
    return shipment


# Export ----------------------------------------------------------------------------------

EXPORT_COLUMNS = ("registry_id", "smiles", "inchikey", *PROPERTY_FIELDS)


def _export_rows(compounds: Any, project: Project) -> list[dict[str, Any]]:
    rows = []
    for compound in compounds:
        lots = [lot for lot in compound.lots.all() if lot.project_id == project.pk]
        row = {name: getattr(compound, name) for name in EXPORT_COLUMNS}
        row["lots"] = "; ".join(lot.lot_number for lot in lots)
        row["salt_forms"] = "; ".join(sorted({lot.salt_form for lot in lots if lot.salt_form}))
        row["warnings"] = "; ".join(compound.warnings)
        rows.append(row)
    return rows


def export_csv(compounds: Any, project: Project) -> str:
    """The compounds as CSV, one row each; text cells never start a spreadsheet formula."""
    out = io.StringIO()
    rows = _export_rows(compounds, project)
    writer = csv.DictWriter(out, fieldnames=[*EXPORT_COLUMNS, "lots", "salt_forms", "warnings"])
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return out.getvalue()


def export_sdf(compounds: Any, project: Project) -> str:
    """The compounds as an SDF (V2000 where possible): the parent with its data as fields."""
    out = io.StringIO()
    writer = Chem.SDWriter(out)
    for compound, row in zip(compounds, _export_rows(compounds, project), strict=True):
        # a coded sample is a record without atoms
        mol = Chem.MolFromMolBlock(compound.molblock) if compound.molblock else Chem.Mol()
        mol.SetProp("_Name", compound.registry_id)
        for key, value in row.items():
            mol.SetProp(key, "" if value is None else " ".join(str(value).splitlines()))
        writer.write(mol)
    writer.close()
    return out.getvalue()
