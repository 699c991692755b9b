"""Forms of the assay pages; the services do the checking that matters."""

from django import forms

from .imports import TARGETS
from .models import Assay, Result


class AssayForm(forms.Form):
    name = forms.CharField(max_length=200)
    target = forms.CharField(max_length=200, required=False)
    kind = forms.ChoiceField(choices=Assay.Kind.choices, label="Type")
    endpoint = forms.ChoiceField(choices=Assay.Endpoint.choices)
    unit = forms.CharField(
        max_length=40, help_text="The unit values are kept in: nM, µM, µg/mL, µL/min/mg, %..."
    )
    concentration = forms.CharField(
        max_length=40, required=False, help_text="For % inhibition: the test concentration"
    )
    better = forms.ChoiceField(choices=Assay.Better.choices, label="Better")
    owner = forms.ChoiceField(label="Run by")
    description = forms.CharField(
        max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {str(o.pk): o for o in organizations}
        self.fields["owner"].choices = [(k, o.name) for k, o in self.organizations.items()]

    def clean_owner(self):
        return self.organizations[self.cleaned_data["owner"]]


class ResultForm(forms.Form):
    registry_id = forms.CharField(max_length=40, required=False, label="Compound (registry id)")
    lot_number = forms.CharField(max_length=50, required=False, label="or lot number")
    value = forms.CharField(max_length=60, help_text='A number; "<10" or ">10000" when censored')
    unit = forms.CharField(max_length=40, required=False, help_text="Default: the assay's unit")
    run_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Default: today"
    )
    experiment_id = forms.CharField(max_length=100, required=False, label="Experiment id")


class FlagForm(forms.Form):
    flag = forms.ChoiceField(
        choices=[(v, "No flag (lift it)" if not v else label) for v, label in Result.Flag.choices]
    )
    reason = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class FileForm(forms.Form):
    file = forms.FileField(label="Protocol or other document")


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV or Excel (.xlsx), the first row naming the columns")
    assay = forms.ChoiceField(required=False, help_text="Or map a column of assay names")
    mapping = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "value=IC50 (nM)\nregistry_id=ID"}),
        help_text=f"target=column lines; unmapped targets are guessed from the column names. "
        f"Targets: {', '.join(TARGETS)}",
    )
    unit = forms.CharField(max_length=40, required=False, help_text="For rows without a unit")
    sheet = forms.CharField(max_length=200, required=False, help_text="Excel: default the first")

    def __init__(self, *args, assays=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.assays = {str(a.pk): a for a in assays}
        self.fields["assay"].choices = [
            ("", "From a column"),
            *[(k, a.name) for k, a in self.assays.items()],
        ]

    def clean_assay(self):
        return self.assays.get(self.cleaned_data["assay"])
