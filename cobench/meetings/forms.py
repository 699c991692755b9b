"""The meetings' web forms: they parse input; the services decide whether it is allowed."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cobench.core.attachments import allowed_types
from cobench.tenancy.models import Project

from . import services
from .models import WEEKDAYS, ActionItem, MeetingSeries


def _people(project: Project) -> list[tuple[str, str]]:
    members = services.project_members(project).values()
    return sorted(
        ((m.user.username, f"{m.user.display_name} ({m.organization.name})") for m in members),
        key=lambda pair: pair[1],
    )


class SeriesForm(forms.Form):
    name = forms.CharField(max_length=200)
    cadence = forms.ChoiceField(choices=MeetingSeries.Cadence.choices)
    weekday = forms.TypedChoiceField(
        choices=list(enumerate(WEEKDAYS)), coerce=int, label="Day of the week"
    )
    week_of_month = forms.TypedChoiceField(
        choices=[(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (-1, "Last")],
        coerce=int,
        initial=1,
        label="Week of the month",
        help_text="Monthly series only.",
    )
    local_time = forms.TimeField(
        label="Start time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(min_value=5, max_value=1440, initial=60)
    time_zone = forms.CharField(
        max_length=64, help_text="The series' own zone, e.g. Europe/Berlin or America/New_York."
    )
    attendees = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="Expected attendees", required=False
    )
    key_members = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Their attendance counts for engagement.",
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=20_000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, project: Project, **kwargs: Any):
        super().__init__(*args, **kwargs)
        people = _people(project)
        cast(forms.ChoiceField, self.fields["attendees"]).choices = people
        cast(forms.ChoiceField, self.fields["key_members"]).choices = people


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        required=False,
        label="Starts (local time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Leave empty for the cadence's next slot.",
    )
    time_zone = forms.CharField(max_length=64, required=False)
    title = forms.CharField(max_length=200, required=False)
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=services.MAX_TEXT
    )


class MeetingTimeForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label="Starts (local time)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label="Ends (local time)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    time_zone = forms.CharField(max_length=64)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NotesForm(forms.Form):
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=services.MAX_TEXT
    )
    minutes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=services.MAX_TEXT
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActionItemForm(forms.Form):
    title = forms.CharField(max_length=300)
    owner = forms.ChoiceField()
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, project: Project, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", "Choose a member…"),
            *_people(project),
        ]


class ItemStatusForm(forms.Form):
    item = forms.UUIDField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=ActionItem.Status.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FileForm(forms.Form):
    file = forms.FileField(
        help_text="PDF, images, text, CSV or Office files; the size limit is set by the site."
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(allowed_types())


class RemoveFileForm(forms.Form):
    file_id = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=2000)


class ThresholdsForm(forms.Form):
    fraction = forms.DecimalField(
        min_value=0.05,
        max_value=1,
        decimal_places=2,
        max_digits=3,
        help_text="Warn when the latest three meetings fall below this share of the baseline.",
    )
    missed_of_latest = forms.TypedChoiceField(
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        label="Misses of the latest three",
        help_text="Warn when a key member was absent this often (excused is not a miss).",
    )
    reason = forms.CharField(max_length=2000, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
