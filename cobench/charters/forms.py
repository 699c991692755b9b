"""Charter forms: the parts of an edit that are not content, and the signature.

They parse input; the services decide whether it is allowed.
"""

from __future__ import annotations

from django import forms


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
