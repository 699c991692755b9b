"""Tenancy forms: projects, partners, members, profile and tokens. They parse input;
the services decide whether it is allowed."""

from __future__ import annotations

import zoneinfo
from typing import Any, cast

from django import forms
from django.apps import apps
from django.db.models import QuerySet

from cobench.core.permissions import Role

from .models import CompoundShare, Organization, Project, ProjectMember, User


class MemberAddForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Person", empty_label="Choose a person…"
    )
    role = forms.ChoiceField(choices=Role.choices)
    is_key = forms.BooleanField(
        required=False, label="Key member", help_text="Their attendance counts for engagement."
    )

    def __init__(self, *args: Any, project: Project, viewer: ProjectMember | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["user"])
        field.queryset = candidates(project, viewer)
        field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]  # a plain function


def candidates(project: Project, viewer: ProjectMember | None) -> QuerySet[User]:
    """People not yet on the project whom `viewer` may add: of the sponsor and the partner
    organizations for the sponsor's people, of their own organization for a partner's."""
    organizations = [
        project.sponsor_id,
        *project.partners.values_list("organization_id", flat=True),
    ]
    if viewer is None or viewer.organization_id != project.sponsor_id:
        organizations = [viewer.organization_id] if viewer else []
    return (
        User.objects.filter(
            is_active=True, organization_memberships__organization__in=organizations
        )
        .exclude(project_memberships__project=project)
        .prefetch_related("organization_memberships__organization")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _person_label(user: User) -> str:
    orgs = ", ".join(m.organization.name for m in user.organization_memberships.all())
    return f"{user.display_name} ({orgs})" if orgs else user.display_name


class MemberUpdateForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    is_key = forms.BooleanField(required=False, label="Key member")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MemberRemoveForm(forms.Form):
    reason = forms.CharField(max_length=2000, label="Why is this person leaving the project?")


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Name", help_text="Where the token is used, e.g. “ELN sync script”."
    )
    days = forms.IntegerField(min_value=1, max_value=366, initial=90, label="Valid for (days)")


class ProjectCreateForm(forms.Form):
    code = forms.CharField(
        max_length=32,
        label="Code",
        help_text="Short and unique, e.g. PRJ-BRD4; it is written in capitals.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    name = forms.CharField(max_length=200, label="Name")
    description = forms.CharField(
        required=False, label="Description", widget=forms.Textarea(attrs={"rows": 3})
    )
    phase = forms.ChoiceField(choices=Project.Phase.choices, initial=Project.Phase.HIT_TO_LEAD)
    sponsor = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label="Sponsor",
        empty_label=None,
        help_text="The organization that runs the project; you become its sponsor lead.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["sponsor"])
        field.queryset = Organization.objects.filter(people__user=user)


class ProjectSettingsForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    description = forms.CharField(
        required=False, label="Description", widget=forms.Textarea(attrs={"rows": 3})
    )
    phase = forms.ChoiceField(choices=Project.Phase.choices)
    status = forms.ChoiceField(choices=Project.Status.choices)
    reason = forms.CharField(
        required=False,
        max_length=2000,
        label="Reason for the change",
        help_text="Optional; kept in the project's history.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnerAddForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        label="Organization",
        empty_label="Choose an organization…",
    )
    start_date = forms.DateField(label="Start date", widget=_date_input())
    end_date = forms.DateField(
        required=False, label="End date", widget=_date_input(), help_text="Leave empty if open."
    )
    scope_of_work = forms.CharField(
        required=False, label="Scope of work", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organization"])
        field.queryset = partner_candidates(project)
        field.label_from_instance = _organization_label  # type: ignore[method-assign,assignment]  # a plain function


def partner_candidates(project: Project) -> QuerySet[Organization]:
    """Organizations that could join the project as a partner: not the sponsor, not yet on it."""
    return Organization.objects.exclude(pk=project.sponsor_id).exclude(
        pk__in=project.partners.values("organization_id")
    )


def _organization_label(organization: Organization) -> str:
    where = ", ".join(filter(None, [organization.country, organization.time_zone]))
    return f"{organization.name} ({where})" if where else organization.name


class PartnerUpdateForm(forms.Form):
    start_date = forms.DateField(label="Start date", widget=_date_input())
    end_date = forms.DateField(
        required=False, label="End date", widget=_date_input(), help_text="Leave empty if open."
    )
    scope_of_work = forms.CharField(
        required=False, label="Scope of work", widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CompoundShareForm(forms.Form):
    compounds = forms.ChoiceField(
        choices=CompoundShare.choices,
        widget=forms.RadioSelect,
        label="Compounds it sees, beyond those it made or was asked to make",
    )
    series: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Series shared",
        help_text='With "Those of chosen series": the compounds of these series.',
    )
    blinded = forms.BooleanField(
        required=False,
        label="Blinded (coded samples)",
        help_text="It sees the shared compounds' registry ids, series and results, but no "
        "structures or computed properties; those it made or was asked to make stay open.",
    )
    reason = forms.CharField(max_length=2000, label="Why?")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        series = apps.get_model("assays", "Series").objects.filter(project=project)
        self.fields["series"].queryset = series.order_by("name")  # type: ignore[attr-defined]


class ConsortiumForm(forms.Form):
    open_consortium = forms.BooleanField(
        required=False,
        label="Partners see each other's work",
        help_text="Off: each partner sees its own work and what the sponsor shares with it.",
    )
    reason = forms.CharField(max_length=2000, label="Why?")


class PartnerRemoveForm(forms.Form):
    reason = forms.CharField(max_length=2000, label="Why does this organization leave the project?")


# offered first in the time zone list: where partnerships usually sit
COMMON_TIME_ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Zurich",
    "America/New_York",
    "America/Toronto",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
]


def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every known time zone, sorted, the common ones first in their own group."""
    known = zoneinfo.available_timezones()
    common = [tz for tz in COMMON_TIME_ZONES if tz in known]
    rest = sorted(known - set(common))
    return [
        ("Common", [(tz, tz.replace("_", " ")) for tz in common]),
        ("All time zones", [(tz, tz.replace("_", " ")) for tz in rest]),
    ]


class ProfileForm(forms.Form):
    """One's own details; the service decides what is a valid e-mail or time zone."""

    first_name = forms.CharField(required=False, label="First name")
    last_name = forms.CharField(required=False, label="Last name")
    email = forms.CharField(
        required=False, label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    time_zone = forms.CharField(
        label="Time zone",
        help_text="Times on every page are shown in it.",
        widget=forms.Select(),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.choices = time_zone_choices()
