"""The web forms: they parse input; the services decide whether it is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from cobench.core.permissions import Role
from cobench.tenancy.models import Project, User


class MemberAddForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Person", empty_label="Choose a person…"
    )
    role = forms.ChoiceField(choices=Role.choices)
    is_key = forms.BooleanField(
        required=False, label="Key member", help_text="Their attendance counts for engagement."
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates(project)
        self.fields["user"].label_from_instance = _person_label


def candidates(project: Project) -> QuerySet[User]:
    """People of the sponsor and current partner organizations not yet on the project."""
    organizations = [
        project.sponsor_id,
        *project.partners.values_list("organization_id", flat=True),
    ]
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


class CharterMetaForm(forms.Form):
    """The parts of a charter edit that are not charter content."""

    reason = forms.CharField(
        max_length=2000,
        label="Reason for this change",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded with the new version and shown in its history.",
        error_messages={"required": "Say why the charter changes."},
    )
    base_number = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


MEANINGS = [
    "Approved as sponsor lead",
    "Approved as partner lead",
    "Reviewed and agreed for my organization",
    "Approved with the gaps listed, to be closed in the next version",
]


class SignForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Your password",
        help_text="Re-enter it to sign: the signature is yours alone.",
        strip=False,
    )
    meaning = forms.CharField(
        max_length=500,
        label="Meaning of your signature",
        widget=forms.TextInput(attrs={"list": "meanings", "autocomplete": "off"}),
        help_text="What you declare by signing, recorded with your name and the time.",
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Name", help_text="Where the token is used, e.g. “ELN sync script”."
    )
    days = forms.IntegerField(min_value=1, max_value=366, initial=90, label="Valid for (days)")
