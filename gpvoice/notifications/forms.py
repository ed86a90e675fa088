from __future__ import annotations

from typing import Any

from django import forms

CHOICES = [
    ("reminders", "Reminders before a vote or ratification closes, if my practice has not answered"),
    ("results", "Results of ballots I could vote in, when they are published"),
    ("nominations", "Priority-setting rounds opening for nominations"),
]


class PreferencesForm(forms.Form):
    email_me = forms.MultipleChoiceField(
        label="Email me about",
        help_text="Select all that apply. Untick one to stop those emails.",
        choices=CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def flags(self) -> dict[str, Any]:
        chosen = set(self.cleaned_data["email_me"])
        return {name: name in chosen for name, _ in CHOICES}
