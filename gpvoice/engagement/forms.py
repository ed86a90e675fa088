"""Forms check shape (lengths, dates, choices); the rules live in the services."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from gpvoice.core.forms import DATE_FORMATS
from gpvoice.core.forms import text_field as _text

from .models import Audience, Category, Frequency, QuestionKind, Template


class ConsultationForm(forms.Form):
    template = forms.ChoiceField(
        label="What to ask",
        choices=Template.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a template, or questions of your own."},
    )
    title = _text("Title", 200, help_text="Leave blank to use the template's title.")
    closes_on = forms.DateField(
        label="Deadline",
        help_text="Answers are taken until the end of this day. For example, 31/01/2027",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the deadline",
            "invalid": "Enter a real date, for example 31/01/2027",
        },
    )
    introduction = _text("Introduction (Markdown)", 20_000, textarea=True)
    per_person = forms.BooleanField(
        label="Each person answers for themselves (not one answer per practice)", required=False
    )
    confidential = forms.BooleanField(
        label="Answers seen only by officers; members see the totals", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("template") == Template.CUSTOM and not data.get("title"):
            self.add_error("title", "Enter the title")
        return data

    def closes_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["closes_on"], time(23, 59)))


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of question",
        choices=QuestionKind.choices,
        error_messages={"required": "Choose the kind of question"},
    )
    text = _text("Question", 500, enter="Enter the question")
    hint = _text("Hint", 500)
    choices = _text("Choices, one on each line (for choice questions)", 2_500, textarea=True)
    scale_min = forms.IntegerField(
        label="Scale from", initial=1, min_value=-10, max_value=100, required=False
    )
    scale_max = forms.IntegerField(label="Scale to", initial=5, min_value=-10, max_value=100, required=False)
    required = forms.BooleanField(label="An answer is required", required=False, initial=True)
    shown_if = forms.IntegerField(
        label="Ask only after question (its number; blank for always)", required=False, min_value=1
    )
    shown_values = _text("…when its answer is one of (choice numbers, separated by commas)", 200)


class BulletinForm(forms.Form):
    title = _text("Title", 200, enter="Enter the title")
    body = _text("Bulletin (Markdown)", 20_000, enter="Write the bulletin", textarea=True)
    category = forms.ChoiceField(label="Category", choices=Category.choices, widget=forms.RadioSelect)
    audience = forms.ChoiceField(label="Send to", choices=Audience.choices, widget=forms.RadioSelect)
    essential = forms.BooleanField(
        label="Essential: send to everyone in the audience at once, whatever their choices", required=False
    )


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Category.choices:
            self.fields[value] = forms.ChoiceField(
                label=str(label), choices=Frequency.choices, widget=forms.RadioSelect, initial=Frequency.EACH
            )


class BounceForm(forms.Form):
    address = forms.EmailField(
        label="Address that bounced",
        max_length=254,
        error_messages={"required": "Enter the address", "invalid": "Enter an email address"},
    )
    reason = _text("Reason", 300)
