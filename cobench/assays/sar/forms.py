"""The forms of the series pages: define a series, tag a compound with it."""

from django import forms

from . import series as services


class SeriesForm(forms.Form):
    name = forms.CharField(max_length=services.MAX_NAME)
    core = forms.CharField(
        max_length=2000,
        required=False,
        label="Core (optional)",
        help_text="A SMILES or SMARTS substructure: every compound containing it is in the "
        "series, including those registered later. Leave empty to tag compounds by hand only.",
    )
    description = forms.CharField(
        max_length=services.MAX_DESCRIPTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TagForm(forms.Form):
    registry_id = forms.CharField(
        max_length=40,
        label="Registry id",
        widget=forms.TextInput(attrs={"list": "project-compounds", "autocomplete": "off"}),
    )
