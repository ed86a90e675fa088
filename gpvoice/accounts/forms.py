"""Forms of a person's own account: their name, their declarations of interest."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from gpvoice.directory.models import Declaration

from .models import User

NAME_MAX = User._meta.get_field("full_name").max_length or 200
INTEREST_MAX = Declaration._meta.get_field("interest").max_length or 300
NATURE_MAX = Declaration._meta.get_field("nature").max_length or 300


class NameForm(forms.Form):
    full_name = forms.CharField(
        label="Your full name",
        max_length=NAME_MAX,
        help_text="As your colleagues know you; it is shown on the roll, in minutes and beside your votes.",
        error_messages={"required": "Enter your full name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class DeclarationForm(forms.Form):
    interest = forms.CharField(
        label="Interest",
        max_length=INTEREST_MAX,
        help_text="The organisation, business or role, for example 'Director, Northvale Health Ltd'.",
        error_messages={"required": "Enter the interest."},
    )
    nature = forms.CharField(
        label="Nature of the interest",
        max_length=NATURE_MAX,
        help_text="For example: financial, a role you hold, a close family member's role.",
        error_messages={"required": "Enter the nature of the interest."},
    )
    start = forms.DateField(
        label="Date the interest started",
        required=False,
        help_text="For example, 27/3/2026. Leave blank for today.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the date the interest started as day/month/year, like 27/3/2026."},
    )

    def clean_start(self) -> object:
        start = self.cleaned_data.get("start")
        if start and start > timezone.localdate():
            raise forms.ValidationError("The date the interest started cannot be in the future.")
        return start
