"""The search form; the service checks the query itself."""

from django import forms

from . import services
from .queries import MAX_MOLFILE_CHARS

MODES = [
    ("similarity", "Similarity"),
    ("substructure", "Substructure"),
    ("exact", "Exact (same parent)"),
]
QUERY_TYPES = [
    ("auto", "Recognise it"),
    ("smiles", "SMILES"),
    ("smarts", "SMARTS"),
    ("molfile", "Molfile"),
]


class SearchForm(forms.Form):
    query = forms.CharField(max_length=MAX_MOLFILE_CHARS, strip=False)
    mode = forms.ChoiceField(choices=MODES, initial="similarity")
    query_type = forms.ChoiceField(
        choices=QUERY_TYPES, initial="auto", required=False, label="Query is"
    )
    threshold = forms.FloatField(
        min_value=0,
        max_value=1,
        initial=0.0,
        required=False,
        help_text="Similarity: lowest Tanimoto",
    )
    top = forms.IntegerField(
        min_value=1,
        max_value=services.MAX_HITS,
        initial=services.DEFAULT_TOP,
        required=False,
        label="Top",
        help_text="Similarity: how many",
    )
    project = forms.ChoiceField(required=False, label="Project")

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "All my projects")] + [
            (str(p.pk), f"{p.code} · {p.name}") for p in projects
        ]
