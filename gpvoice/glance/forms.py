"""Forms check shape; the rules live in the services."""

from __future__ import annotations

import json
from typing import Any

from django import forms

STATEMENT_MAX = 20_000


YES_NO = [("yes", "Yes"), ("no", "No")]


class PublicPageForm(forms.Form):
    public_page = forms.ChoiceField(
        label="Publish the group's public page?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Anyone can read it without signing in. It shows only figures, organisations, and the "
        "names and roles of people who agreed to be named.",
        error_messages={"required": "Select yes to publish the page or no to keep it private"},
    )


class ConsentForm(forms.Form):
    named_publicly = forms.ChoiceField(
        label="May the group name you, with your role, on its public page?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Only your name, your status (core member or attendee) and why; never your email or phone.",
        error_messages={"required": "Select yes to be named or no not to be named"},
    )


class VerifyForm(forms.Form):
    statement = forms.CharField(
        label="The signed statement",
        help_text="Paste the whole JSON document you downloaded.",
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        error_messages={
            "required": "Paste the signed statement",
            "max_length": f"The statement must be {STATEMENT_MAX:,} characters or fewer; "
            "it has %(show_value)s.",
        },
    )

    def clean_statement(self) -> Any:
        text = self.cleaned_data["statement"]
        if "\x00" in text:
            raise forms.ValidationError("The statement must not contain a NUL character.")
        try:
            return json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(
                "The statement is not valid JSON: paste the whole document."
            ) from error
