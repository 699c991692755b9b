"""Biological data of a project: assays, their results, the sponsor's sharing rules, series.

Values are stored in the assay's canonical unit (`Result.value`), beside what was
entered (`entered_value`, `entered_unit`), so aggregation never mixes units. A
result is never deleted: invalidating it is a flagged change with a reason, kept in
the audit trail. Sharing rules are rows that are never edited: a change is a new
rule with its own start, and the rule in force for an assay and a partner is the
latest one that has started (none: hidden).
"""

import uuid

from django.conf import settings
from django.db import models

from cobench.core.attachments import StoredFile
from cobench.tenancy.models import Organization, Project

from .aggregate import number
from .querysets import (
    BINNED,
    FULL,
    HIDDEN,
    AssayFileQuerySet,
    AssayQuerySet,
    ResultImportQuerySet,
    ResultQuerySet,
    SeriesMemberQuerySet,
    SeriesQuerySet,
    SharingRuleQuerySet,
)


class Assay(models.Model):
    """One measurement a project makes of its compounds, in one canonical unit."""

    class Kind(models.TextChoices):
        BIOCHEMICAL = "biochemical", "Biochemical"
        CELLULAR = "cellular", "Cellular"
        ADME = "adme", "ADME"
        PK = "pk", "PK"
        SAFETY = "safety", "Safety"
        PHYSCHEM = "physchem", "Physchem"

    class Endpoint(models.TextChoices):
        IC50 = "IC50", "IC50"
        EC50 = "EC50", "EC50"
        KI = "Ki", "Ki"
        KD = "Kd", "Kd"
        INHIBITION = "inhibition", "% inhibition at a concentration"
        SOLUBILITY = "solubility", "Solubility"
        CLEARANCE = "clearance", "Clearance"
        PERMEABILITY = "permeability", "Permeability"
        HALF_LIFE = "half_life", "Half-life"
        OTHER = "other", "Other"

    class Better(models.TextChoices):
        LOWER = "lower", "Lower is better"
        HIGHER = "higher", "Higher is better"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assays")
    name = models.CharField(max_length=200)
    target = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    endpoint = models.CharField(max_length=20, choices=Endpoint.choices)
    unit = models.CharField(max_length=40, help_text="Canonical unit, e.g. nM, µg/mL, %")
    concentration = models.CharField(
        max_length=40, blank=True, help_text="Test concentration of a % inhibition assay"
    )
    better = models.CharField(max_length=10, choices=Better.choices)
    owner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(max_length=20_000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = AssayQuerySet.as_manager()

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="assay_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name


class AssayFile(StoredFile):
    """A protocol or other document of an assay."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    assay = models.ForeignKey(Assay, on_delete=models.CASCADE, related_name="files")

    objects = AssayFileQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]


class Result(models.Model):
    """One measured value of a compound (and lot, when known) in an assay."""

    class Qualifier(models.TextChoices):
        EQ = "=", "="
        LT = "<", "<"
        GT = ">", ">"
        APPROX = "~", "~"

    class Flag(models.TextChoices):
        NONE = "", "None"
        INVALID = "invalid", "Invalid"
        OUTLIER = "outlier", "Outlier"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    assay = models.ForeignKey(Assay, on_delete=models.PROTECT, related_name="results")
    compound = models.ForeignKey(
        "compounds.Compound", on_delete=models.PROTECT, related_name="results"
    )
    lot = models.ForeignKey(
        "compounds.Lot", null=True, blank=True, on_delete=models.PROTECT, related_name="results"
    )
    qualifier = models.CharField(max_length=1, choices=Qualifier.choices, default=Qualifier.EQ)
    value = models.FloatField(help_text="In the assay's canonical unit")
    entered_value = models.CharField(max_length=60, help_text="The number as it was entered")
    entered_unit = models.CharField(max_length=40)
    run_date = models.DateField()
    experiment_id = models.CharField(max_length=100, blank=True)
    flag = models.CharField(max_length=10, choices=Flag.choices, blank=True, default=Flag.NONE)
    flag_reason = models.TextField(max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["assay", "compound", "run_date", "created_at"]
        # covering: a SAR page aggregates an assay's results per compound from the index alone
        indexes = [
            models.Index(
                fields=["assay", "compound", "flag", "qualifier", "value"], name="result_cells"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assay}: {self.qualifier}{self.value:g} {self.assay.unit}"

    @property
    def value_text(self) -> str:
        """The value with its qualifier, to 3 significant digits: "< 500", "12.3"."""
        return ("" if self.qualifier == "=" else f"{self.qualifier} ") + number(self.value)


class Summary(models.Model):
    """The aggregate of one compound's valid results in one assay (`aggregate.aggregate`),
    rewritten in the same transaction as every change to those results
    (`summaries.refresh`): the SAR table sorts, filters and shows its cells from these
    rows by index instead of aggregating every result on every page. A compound with no
    valid result in an assay has no row. The values are raw: the SAR table reads them
    under the sharing rules, and `visible_to` is the results' own restriction."""

    id = models.BigAutoField(primary_key=True)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    assay = models.ForeignKey(Assay, on_delete=models.CASCADE, related_name="+")
    compound = models.ForeignKey("compounds.Compound", on_delete=models.CASCADE, related_name="+")
    value = models.FloatField(help_text="In the assay's canonical unit")
    qualifier = models.CharField(max_length=1)
    n = models.PositiveIntegerField()
    censored = models.PositiveIntegerField()

    objects = ResultQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["compound", "assay"], name="summary_per_compound")
        ]
        indexes = [models.Index(fields=["assay", "value", "compound"], name="summary_by_value")]

    def __str__(self) -> str:
        return f"{self.compound_id} in {self.assay_id}: {self.qualifier}{self.value:g} (n={self.n})"


class ResultImport(StoredFile):
    """A file of results (CSV or Excel) imported into a project: its mapping, progress, report.

    All-or-nothing: the results of a file are written in one transaction, only when
    every row is good; otherwise nothing is, and the report says which rows are bad.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    class State(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        CHECKING = "checking", "Dry run under way"
        CHECKED = "checked", "Checked (dry run)"
        QUEUED = "queued", "Waiting to run"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Refused: nothing written"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", help_text="The uploader's"
    )
    assay = models.ForeignKey(
        Assay,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="imports",
        help_text="The assay of every row; empty when a column names each row's assay",
    )
    format = models.CharField(max_length=10, choices=Format.choices)
    sheet = models.CharField(max_length=200, blank=True, help_text="The Excel sheet read")
    sheets = models.JSONField(default=list, help_text="Every sheet of an Excel file")
    mapping = models.JSONField(default=dict, help_text="What each column holds: target → column")
    unit = models.CharField(max_length=40, blank=True, help_text="The unit of rows without one")
    state = models.CharField(max_length=10, choices=State.choices, default=State.UPLOADED)
    rows = models.PositiveIntegerField(default=0)
    done_through = models.PositiveIntegerField(default=0, help_text="Rows checked so far")
    imported = models.PositiveIntegerField(default=0)
    check_report = models.JSONField(default=dict)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ResultImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import of {self.original_name}"

    @property
    def percent(self) -> int:
        return round(100 * self.done_through / self.rows) if self.rows else 100

    @property
    def records(self) -> int:
        """The rows, by the name progress displays of imports read."""
        return self.rows


class SharingRule(models.Model):
    """What one partner organization sees of one assay's values, from a moment on.

    `bins` (for binned rules) are ascending upper bounds in the assay's canonical
    unit, each with the label the partner sees: [{"upper": 100, "label": "< 100 nM"},
    {"upper": 1000, "label": "100 nM – 1 µM"}, {"upper": null, "label": "> 1 µM"}].
    """

    class Mode(models.TextChoices):
        FULL = FULL, "Full values"
        BINNED = BINNED, "Categories only"
        HIDDEN = HIDDEN, "Hidden"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    assay = models.ForeignKey(Assay, on_delete=models.CASCADE, related_name="sharing_rules")
    partner = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    bins = models.JSONField(default=list, blank=True)
    starts_at = models.DateTimeField()
    reason = models.TextField(max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_label = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    objects = SharingRuleQuerySet.as_manager()

    class Meta:
        ordering = ["assay", "partner", "starts_at", "created_at"]
        indexes = [models.Index(fields=["assay", "partner", "starts_at"], name="rule_in_force")]

    def __str__(self) -> str:
        return f"{self.assay} for {self.partner}: {self.mode}"


class Series(models.Model):
    """A chemical series of a project: compounds tagged by hand or matching a core."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="series")
    name = models.CharField(max_length=100)
    core = models.TextField(blank=True, help_text="A SMARTS or SMILES core; empty: tagged only")
    description = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField()

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["project", "name"]
        verbose_name_plural = "series"
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="series_name_per_project")
        ]

    def __str__(self) -> str:
        return self.name


class SeriesMember(models.Model):
    """A compound tagged with a series by hand."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="members")
    compound = models.ForeignKey("compounds.Compound", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField()

    objects = SeriesMemberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "compound"], name="compound_once_per_series")
        ]

    def __str__(self) -> str:
        return f"{self.compound} in {self.series}"
