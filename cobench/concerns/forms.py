"""Web forms for concerns: they parse input only; the services decide."""

from __future__ import annotations

from typing import cast

from django import forms

from cobench.meetings.models import Meeting
from cobench.tenancy.models import Organization, Project

from . import services
from .models import Concern

_TEXTAREA = {"rows": 5}


class RaiseForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        max_length=20_000,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text="What worries you, what you have seen, and what you would like to happen.",
    )
    category = forms.ChoiceField(choices=Concern.Category.choices)
    severity = forms.ChoiceField(choices=Concern.Severity.choices, initial="medium")
    addressed_to: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        queryset=Organization.objects.none(),  # the project's organizations, per form
        label="Who should respond",
        empty_label=None,
        help_text="Their leads are told at once; the charter's response times start now.",
    )
    link = forms.CharField(
        max_length=500,
        required=False,
        label="Link (optional)",
        help_text="A web address or a cobench page this concern is about, e.g. a meeting.",
    )
    meeting_id = forms.ChoiceField(
        required=False,
        label="Meeting (optional)",
        help_text="The meeting this concern is about, if any.",
    )
    confidential = forms.BooleanField(
        required=False,
        label="Raise confidentially",
        help_text="The other organization and executives will not see that it was you — "
        "not on any page, in the history, nor in notifications. Your own organization's "
        "people and QA auditors still can; you are still told when it is resolved.",
    )

    def __init__(self, *args, project: Project, member, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = services.project_organizations(project, member)
        field = cast(forms.ModelChoiceField, self.fields["addressed_to"])
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in orgs])
        meetings = (
            Meeting.objects.visible_to(member.user)
            .filter(project=project)
            .select_related("series")
            .order_by("-starts_at")[:100]
        )
        cast(forms.ChoiceField, self.fields["meeting_id"]).choices = [
            ("", "—"),
            *((str(m.pk), str(m)) for m in meetings),
        ]
        default = services.default_addressee(project, member) if member else None
        if default is not None:
            field.initial = default.pk


class NoteForm(forms.Form):
    note = forms.CharField(max_length=2000, required=False, label="Note (optional)")
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done, and why the concern no longer holds.",
    )
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class ReopenForm(forms.Form):
    reason = forms.CharField(max_length=2000, label="Why reopen it")
    to = forms.ChoiceField(
        choices=[("open", "Open"), ("in_progress", "In progress")], label="Reopen as"
    )
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class AssignForm(forms.Form):
    owner = forms.ChoiceField(required=False, label="Owner")
    due_date = forms.DateField(
        required=False, label="Due date", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(max_length=2000, required=False, label="Note (optional)")
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", "— nobody —")] + [
            (m.user.username, f"{m.user.display_name} ({m.get_role_display()}, {m.organization})")
            for m in services.assignable(project)
        ]


class CommentForm(forms.Form):
    body = forms.CharField(
        max_length=20_000, label="Comment", widget=forms.Textarea(attrs={"rows": 3})
    )


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        required=False,
        choices=[("", "Any state"), ("active", "Awaiting a response"), *Concern.State.choices],
    )
    severity = forms.ChoiceField(
        required=False, choices=[("", "Any severity"), *Concern.Severity.choices]
    )
    category = forms.ChoiceField(
        required=False, choices=[("", "Any category"), *Concern.Category.choices]
    )
