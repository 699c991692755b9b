"""Web forms for compound requests: they parse input only; the services decide."""

import re
from typing import cast

from django import forms

from cobench.compounds.forms import LotFieldsForm, StructureInput
from cobench.tenancy.models import Project, ProjectPartner, User

from . import services
from .models import Priority, PushBackReason

_TEXTAREA = {"rows": 4}


def _structure(required: bool, label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        max_length=services.MAX_STRUCTURE,
        required=required,
        strip=False,
        label=label,
        widget=StructureInput(attrs={"rows": 4}),
        help_text=help_text,
    )


class RequestForm(forms.Form):
    structure = _structure(
        True,
        "Structure",
        "Draw it, or type a SMILES (e.g. Nc1nc(Nc2ccccc2)nc2[nH]cnc12) or paste a whole molfile.",
    )
    title = forms.CharField(max_length=services.MAX_TITLE, required=False, label="Name (optional)")
    rationale = forms.CharField(
        max_length=services.MAX_TEXT,
        label="Why",
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="The hypothesis: what this compound should tell us, and the data behind it.",
    )
    evidence = forms.CharField(
        required=False,
        max_length=services.MAX_EVIDENCE * (services.MAX_REGISTRY_ID + 2),
        label="Data behind it (optional)",
        help_text="Registry ids of compounds of this project whose assay values back the "
        "rationale, separated by commas or spaces, e.g. CB-000012, CB-000015.",
        widget=forms.TextInput(attrs={"list": "project-compounds", "autocomplete": "off"}),
    )
    partner = forms.ChoiceField(label="Partner asked to make it")
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    due_date = forms.DateField(
        required=False, label="Due (optional)", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        partners = services.current_partners(project)
        self.partners = {str(o.pk): o for o in partners}
        cast(forms.ChoiceField, self.fields["partner"]).choices = [
            (str(o.pk), o.name) for o in partners
        ]


def registry_ids(text: str) -> list[str]:
    """The registry ids in `text`, separated by commas, semicolons or white space."""
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


class EvidenceForm(forms.Form):
    evidence = RequestForm.base_fields["evidence"]
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FilterForm(forms.Form):
    partner = forms.ChoiceField(required=False)
    priority = forms.ChoiceField(required=False, choices=[("", "Any priority"), *Priority.choices])
    due_before = forms.DateField(
        required=False, label="Due before", widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(required=False, label="Overdue only")

    def __init__(self, *args, project: Project, viewer: User, **kwargs):
        super().__init__(*args, **kwargs)
        partners = ProjectPartner.objects.visible_to(viewer).filter(project=project)
        cast(forms.ChoiceField, self.fields["partner"]).choices = [
            ("", "Any partner"),
            *(
                (str(p.organization_id), p.organization.name)
                for p in partners.select_related("organization").order_by("organization__name")
            ),
        ]


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NoteForm(_Versioned):
    note = forms.CharField(max_length=services.MAX_NOTE, required=False, label="Note (optional)")


class PushBackForm(_Versioned):
    reason = forms.ChoiceField(choices=PushBackReason.choices)
    text = forms.CharField(
        max_length=services.MAX_TEXT,
        label="Explain",
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="What stands in the way, and what would work instead.",
    )


class AlternativeForm(_Versioned):
    structure = _structure(True, "Alternative structure", "A SMILES or a molfile.")
    text = forms.CharField(
        max_length=services.MAX_TEXT,
        label="Reasoning",
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="Why this one serves the hypothesis as well, and what it saves.",
    )


class AnswerForm(_Versioned):
    text = forms.CharField(
        max_length=services.MAX_TEXT, label="Your answer", widget=forms.Textarea(attrs=_TEXTAREA)
    )
    structure = _structure(
        False, "Revised structure (optional)", "Leave empty to keep the requested structure."
    )


class MadeForm(_Versioned):
    registry_id = forms.CharField(
        max_length=services.MAX_REGISTRY_ID,
        required=False,
        label="Registry id",
        help_text="The compound as registered in this project, e.g. CB-000123",
        widget=forms.TextInput(attrs={"list": "project-compounds", "autocomplete": "off"}),
    )
    register_now = forms.BooleanField(
        required=False,
        label="Not registered yet: register the requested structure now, as a new lot",
    )
    purity = LotFieldsForm.base_fields["purity"]
    amount = LotFieldsForm.base_fields["amount"]
    amount_unit = LotFieldsForm.base_fields["amount_unit"]
    note = forms.CharField(max_length=services.MAX_NOTE, required=False, label="Note (optional)")


class MadeCompoundForm(_Versioned):
    registry_id = forms.CharField(
        max_length=services.MAX_REGISTRY_ID,
        label="Registry id",
        help_text="The compound it really is, as registered in this project, e.g. CB-000123",
        widget=forms.TextInput(attrs={"list": "project-compounds", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        max_length=services.MAX_NOTE,
        label="Why the link changes",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AbandonForm(_Versioned):
    reason = forms.CharField(
        max_length=services.MAX_NOTE, label="Why", widget=forms.Textarea(attrs={"rows": 2})
    )


FORMS: dict[str, type[forms.Form]] = {
    "accept": NoteForm,
    "push_back": PushBackForm,
    "propose_alternative": AlternativeForm,
    "accept_alternative": NoteForm,
    "answer": AnswerForm,
    "start_synthesis": NoteForm,
    "mark_made": MadeForm,
    "mark_shipped": NoteForm,
    "mark_received": NoteForm,
    "mark_tested": NoteForm,
    "abandon": AbandonForm,
}
