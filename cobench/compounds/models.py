"""The compound registry: compounds per sponsor, the projects they are in, lots, files, shipments.

A sponsor's registry is shared by its projects, so a partner on one project and a
partner on another find the same compound for the same structure; a user still
sees a compound only through a project they are a member of (`ProjectCompound`).
Lots, their files and shipments belong to the project they were registered in.
"""

import uuid

from django.conf import settings
from django.db import models

from cobench.core.attachments import StoredFile
from cobench.tenancy.models import Organization, Project

from .querysets import (
    CompoundQuerySet,
    ImportJobQuerySet,
    LotFileQuerySet,
    LotQuerySet,
    ProjectCompoundQuerySet,
    ShipmentQuerySet,
)


class RegistrySequence(models.Model):
    """The last registry number given out in a sponsor's registry (allocated under a row lock)."""

    sponsor = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.sponsor}: {self.last}"


class Compound(models.Model):
    """A registered structure: the standardized parent, its registry id, properties and warnings.

    Two registrations with the same `registration_key` (see `cobench.chem.standardize`)
    in one sponsor's registry are the same compound; each physical batch is a `Lot`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sponsor = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="compounds")
    number = models.PositiveIntegerField(help_text="Per sponsor: 1, 2, ...")
    registry_id = models.CharField(max_length=40, help_text="Unique in the sponsor's registry")
    smiles = models.TextField(help_text="Canonical SMILES of the standardized parent")
    molblock = models.TextField(help_text="The parent as a molfile")
    inchi = models.TextField()
    inchikey = models.CharField(max_length=27, db_index=True)
    registration_key = models.CharField(max_length=64)
    formula = models.CharField(max_length=200)
    mw = models.FloatField()
    exact_mass = models.FloatField()
    clogp = models.FloatField()
    tpsa = models.FloatField()
    hbd = models.PositiveIntegerField()
    hba = models.PositiveIntegerField()
    rotatable_bonds = models.PositiveIntegerField()
    rings = models.PositiveIntegerField()
    lipinski_violations = models.PositiveIntegerField()
    stereo = models.JSONField(default=dict, help_text="Defined and undefined stereo counts")
    warnings = models.JSONField(default=list, help_text="The ChEMBL checker's findings")
    versions = models.JSONField(default=dict, help_text="RDKit and pipeline versions that made it")
    svg = models.TextField(help_text="The parent's picture, drawn once")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    objects = CompoundQuerySet.as_manager()

    class Meta:
        ordering = ["sponsor", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["sponsor", "number"], name="compound_number_per_sponsor"
            ),
            models.UniqueConstraint(
                fields=["sponsor", "registration_key"], name="compound_key_per_sponsor"
            ),
            # each sponsor numbers its own registry: two sponsors may both have CB-000001
            models.UniqueConstraint(
                fields=["sponsor", "registry_id"], name="registry_id_per_sponsor"
            ),
        ]

    def __str__(self) -> str:
        return self.registry_id

    def save(self, *args, **kwargs) -> None:
        if getattr(self, "coded", False):  # emptied for a blinded partner's eyes only
            raise ValueError(f"{self.registry_id} is a coded sample, not to be saved.")
        super().save(*args, **kwargs)


class ProjectCompound(models.Model):
    """A compound is registered in a project: the project's members may see it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="compound_links")
    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="project_links")
    added_at = models.DateTimeField()

    objects = ProjectCompoundQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "compound"], name="compound_once_per_project"
            )
        ]

    def __str__(self) -> str:
        return f"{self.compound} in {self.project.code}"


class Lot(models.Model):
    """One physical batch of a compound, made by one organization for one project."""

    class Unit(models.TextChoices):
        MG = "mg", "mg"
        G = "g", "g"
        KG = "kg", "kg"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lots")
    compound = models.ForeignKey(Compound, on_delete=models.PROTECT, related_name="lots")
    number = models.PositiveIntegerField(help_text="Per compound: 1, 2, ...")
    lot_number = models.CharField(
        max_length=50, db_index=True, help_text="Unique in the sponsor's registry"
    )
    # indexed with its project and compound (Meta): a partner's own lots, read by their index
    producer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    produced_on = models.DateField()
    purity = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    amount_unit = models.CharField(max_length=4, choices=Unit.choices, default=Unit.MG)
    appearance = models.CharField(max_length=200, blank=True)
    salt_form = models.CharField(max_length=200, blank=True)
    removed_fragments = models.JSONField(default=list, help_text="Salts and solvents stripped")
    structure = models.TextField(help_text="The structure as it was submitted")
    notes = models.TextField(max_length=20_000, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = LotQuerySet.as_manager()

    class Meta:
        ordering = ["compound__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "number"], name="lot_number_per_compound")
        ]
        # what makes compounds a partner's own (compounds.querysets.their_numbers), read from
        # the index alone: with one producer behind most lots, SQLite otherwise reads them all
        indexes = [
            models.Index(fields=["producer", "project", "compound"], name="lot_producer_project")
        ]

    def __str__(self) -> str:
        return self.lot_number


class LotFile(StoredFile):
    """An analytical file of a lot: NMR, LC-MS, a certificate of analysis."""

    class Kind(models.TextChoices):
        NMR = "nmr", "NMR"
        LCMS = "lcms", "LC-MS"
        CERTIFICATE = "certificate", "Certificate"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)

    objects = LotFileQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]


class Shipment(models.Model):
    """One leg of a lot's chain of custody: sent by one organization, received by the next."""

    class Condition(models.TextChoices):
        GOOD = "good", "Good"
        DAMAGED = "damaged", "Damaged packaging"
        TEMPERATURE = "temperature_excursion", "Temperature excursion"
        LEAKED = "leaked", "Leaked or lost material"
        OTHER = "other", "Other (see notes)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="shipments")
    number = models.PositiveIntegerField(help_text="Per lot: the leg's place in the chain")
    from_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    to_org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    carrier = models.CharField(max_length=100)
    tracking_number = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField()
    sent_by_label = models.CharField(max_length=200)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by_label = models.CharField(max_length=200, blank=True)
    condition = models.CharField(max_length=30, choices=Condition.choices, blank=True)
    condition_notes = models.TextField(max_length=5000, blank=True)

    objects = ShipmentQuerySet.as_manager()

    class Meta:
        ordering = ["lot", "number"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "number"], name="shipment_number_per_lot")
        ]

    def __str__(self) -> str:
        return f"{self.lot} shipment {self.number}"


class ImportJob(StoredFile):
    """A file of structures imported into a project's registry: its options, progress and report.

    Resumable: records are written in batches, each in one transaction together with
    `done_through` (the last record committed), so a stopped job starts again after it.
    """

    class Format(models.TextChoices):
        SDF = "sdf", "SDF (V2000 or V3000)"
        SMILES = "smiles", "SMILES file"
        CSV = "csv", "CSV with a SMILES column"

    class State(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        CHECKING = "checking", "Dry run under way"
        CHECKED = "checked", "Checked (dry run)"
        QUEUED = "queued", "Waiting to run"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=10, choices=Format.choices)
    smiles_column = models.CharField(max_length=200, blank=True)
    mapping = models.JSONField(default=dict, help_text="File column or SDF field → lot field")
    state = models.CharField(max_length=10, choices=State.choices, default=State.UPLOADED)
    records = models.PositiveIntegerField(default=0, help_text="Records in the file")
    done_through = models.PositiveIntegerField(
        default=0, help_text="The last record committed: a resumed import starts after it"
    )
    imported = models.PositiveIntegerField(default=0, help_text="Records written as lots")
    new_compounds = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0, help_text="Records refused")
    check_report = models.JSONField(default=dict, help_text="The dry run's counts and findings")
    report = models.JSONField(default=dict, help_text="The import's per-record errors and lots")
    message = models.TextField(blank=True, help_text="Why the job stopped, if it did")
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import of {self.original_name}"

    @property
    def percent(self) -> int:
        return round(100 * self.done_through / self.records) if self.records else 100
