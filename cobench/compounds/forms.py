"""Forms of the compound pages; the services do the checking that matters."""

from django import forms

from .models import Lot, LotFile, Shipment


class StructureInput(forms.Textarea):
    """A SMILES or molfile textarea with the structure editor (JSME) drawn above it."""

    template_name = "compounds/widgets/structure.html"


class LotFieldsForm(forms.Form):
    produced_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Default: today"
    )
    purity = forms.DecimalField(
        required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2, label="Purity %"
    )
    amount = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=3)
    amount_unit = forms.ChoiceField(choices=Lot.Unit.choices, initial="mg", label="Unit")
    appearance = forms.CharField(required=False, max_length=200)
    salt_form = forms.CharField(
        required=False, max_length=200, help_text="Default: the fragments the pipeline removed"
    )
    notes = forms.CharField(
        required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RegisterForm(LotFieldsForm):
    structure = forms.CharField(
        max_length=200_000,
        strip=False,
        widget=StructureInput(attrs={"rows": 8}),
        help_text="Draw it, or type a SMILES or paste a molfile (V2000 or V3000) whole",
    )

    field_order = ["structure"]


class FileForm(forms.Form):
    kind = forms.ChoiceField(choices=LotFile.Kind.choices)
    file = forms.FileField()


class ShipForm(forms.Form):
    to_org = forms.ChoiceField(label="To")
    carrier = forms.CharField(max_length=100)
    tracking_number = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, destinations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.destinations = {str(o.pk): o for o in destinations}
        self.fields["to_org"].choices = [(k, o.name) for k, o in self.destinations.items()]

    def clean_to_org(self):
        return self.destinations[self.cleaned_data["to_org"]]


class ReceiveForm(forms.Form):
    condition = forms.ChoiceField(choices=Shipment.Condition.choices, label="Condition on arrival")
    condition_notes = forms.CharField(
        required=False, max_length=5000, label="Notes", widget=forms.Textarea(attrs={"rows": 2})
    )
