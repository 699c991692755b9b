"""The status editor's form: it parses input; the service checks lengths and rights."""

from django import forms

from .models import MAX_SECTION, SECTIONS

HELP = {
    "progress": "What was done since the last update: compounds made, results, milestones.",
    "next_steps": "What happens next, and by when.",
    "risks": "What could go wrong or already did, and what you do about it.",
    "asks": "What you need from the sponsor: data, decisions, materials, answers.",
}


class StatusForm(forms.Form):
    base_number = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in SECTIONS.items():
            # no max_length here: the service's per-section message is the one people read
            self.fields[name] = forms.CharField(
                required=False,
                strip=False,
                label=label,
                help_text=HELP[name],
                widget=forms.Textarea(
                    attrs={"rows": 6, "data-max": MAX_SECTION, "class": "status-text"}
                ),
            )

    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name in SECTIONS}
