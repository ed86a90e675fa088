from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from gpvoice.directory.models import Person, RoleType

from .models import Answer, Authority, DecisionCategory, RollStatus

NO_LONGER_THAN = 20_000


class RollAddForm(forms.Form):
    email = forms.EmailField(label="Their email address in the directory", max_length=254)
    status = forms.ChoiceField(label="Status", choices=RollStatus.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if email := data.get("email"):
            person = Person.objects.filter(email__iexact=email).first()
            if person is None:
                self.add_error("email", "Nobody with that email address is in the directory.")
            data["person"] = person
        return data


class TermsForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea,
        max_length=NO_LONGER_THAN,
        help_text="Start a line with # for a heading, ## for a sub-heading.",
    )


class OpenRatificationForm(forms.Form):
    closes_on = forms.DateField(
        label="Ratification closes at the end of",
        help_text="For example, 31/1/2027",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    expires_on = forms.DateField(
        label="The mandate expires on",
        help_text="For example, 31/1/2028",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        closes, expires = data.get("closes_on"), data.get("expires_on")
        if closes and closes < timezone.localdate():
            self.add_error("closes_on", "The closing date must be today or later.")
        if closes and expires and expires <= closes:
            self.add_error("expires_on", "The mandate must expire after ratification closes.")
        if closes:
            data["closes_at"] = timezone.make_aware(datetime.combine(closes, time(23, 59)))
        return data


class AnswerForm(forms.Form):
    practice = forms.CharField(widget=forms.HiddenInput, max_length=6)
    answer = forms.ChoiceField(label="Your practice's answer", choices=Answer.choices, widget=forms.Select)


class CategoryForm(forms.Form):
    name = forms.CharField(label="Decision category", max_length=200)
    authority = forms.ChoiceField(label="Who decides", choices=Authority.choices)
    spend_limit = forms.DecimalField(
        label="Spend ceiling in pounds (optional)",
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    review_date = forms.DateField(
        label="Review by", input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text="For example, 31/3/2027"
    )

    def clean_review_date(self) -> date:
        value: date = self.cleaned_data["review_date"]
        if value < timezone.localdate() - timedelta(days=3650):
            raise forms.ValidationError("Enter a review date within the last ten years or in the future.")
        return value


class DecisionForm(forms.Form):
    category = forms.ModelChoiceField(
        label="Category in the scheme of delegation", queryset=DecisionCategory.objects.none()
    )
    title = forms.CharField(label="Decision", max_length=200)
    rationale = forms.CharField(label="Rationale", widget=forms.Textarea, max_length=NO_LONGER_THAN)
    amount = forms.DecimalField(
        label="Amount in pounds (optional)",
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )

    def __init__(self, *args: Any, group: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = DecisionCategory.objects.filter(group=group)  # type: ignore[attr-defined]


class ExtendRoundForm(OpenRatificationForm):
    """New dates for the open round; the service decides whether they may move (later only)."""


def _extra_role_choices() -> list[tuple[str, str]]:
    from .eligibility import ACTS_FOR_PRACTICES, SYSTEM_ROLES

    return [(v, label) for v, label in RoleType.choices if v not in ACTS_FOR_PRACTICES | SYSTEM_ROLES]


class GovernanceSettingsForm(forms.Form):
    """Parses the settings page; the rules on what values are allowed live in the service."""

    practices_share_num = forms.IntegerField(label="Practices: more than", min_value=0, max_value=10_000)
    practices_share_den = forms.IntegerField(label="out of", min_value=0, max_value=10_000)
    patients_share_num = forms.IntegerField(
        label="Registered patients: more than", min_value=0, max_value=10_000
    )
    patients_share_den = forms.IntegerField(label="out of", min_value=0, max_value=10_000)
    extra_eligible_roles = forms.MultipleChoiceField(
        label="Other roles that may be core members",
        help_text="Partners, PCN clinical directors, LMC officers and federation leads always qualify.",
        choices=_extra_role_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    delegation_grace_days = forms.IntegerField(
        label="Days a delegation still holds after its review date", min_value=0, max_value=10_000
    )


class CategoryEditForm(forms.Form):
    """Change one line of the scheme: who decides, the ceiling, the review date (forms only parse)."""

    authority = forms.ChoiceField(label="Who decides", choices=Authority.choices)
    spend_limit = forms.DecimalField(
        label="Spend ceiling in pounds (optional)",
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
    )
    review_date = forms.DateField(
        label="Review by", input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text="For example, 31/3/2027"
    )
    note = forms.CharField(
        label="Why it changed (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewDoneForm(forms.Form):
    """The group has reviewed this line: when is it next due?"""

    next_review = forms.DateField(
        label="Next review by", input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text="For example, 31/3/2028"
    )
    review_note = forms.CharField(
        label="What the review found (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
