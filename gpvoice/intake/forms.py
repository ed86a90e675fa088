"""Forms parse and check shapes; the services decide. Files are read by the services."""

from __future__ import annotations

from typing import Any

from django import forms

from gpvoice.ballots.models import Ballot
from gpvoice.governance.models import DecisionCategory

from .models import SUBJECT_MAX, TEXT_MAX, AccessRequest, Category, Priority


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def yes_no(label: str) -> forms.TypedChoiceField:
    """A yes/no question as NHS.UK radios (a bare checkbox would post an empty value)."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
        required=False,
    )


class RequestForm(forms.Form):
    organisation = forms.CharField(
        label="Your organisation",
        max_length=255,
        help_text="Its ODS code (for example QX9) or its name, as you would write it.",
    )
    name = forms.CharField(
        label="Your name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label="Your email address", max_length=254, help_text="We will send a link to confirm it."
    )
    subject = forms.CharField(label="Subject", max_length=SUBJECT_MAX)
    body = forms.CharField(label="What are you asking?", max_length=TEXT_MAX, widget=forms.Textarea)
    wanted_by = forms.DateField(
        label="When do you need an answer by? (optional)",
        required=False,
        help_text="For example 27 3 2027 or 2027-03-27.",
        input_formats=["%Y-%m-%d", "%d %m %Y", "%d/%m/%Y"],
    )
    is_nominee_request = yes_no("Are you asking for a nominee to sit on a system meeting?")
    # A honeypot: hidden from people by the page, filled in by bots.
    website = forms.CharField(required=False, label="Leave this empty")


class ReplyForm(forms.Form):
    body = forms.CharField(label="Your reply", max_length=TEXT_MAX, widget=forms.Textarea)


class TriageForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.none(), label="Category")
    priority = forms.ChoiceField(choices=Priority.choices, label="Priority")
    # An email address, not a list of every core member: a national group has thousands.
    lead = forms.EmailField(
        label="Lead's email address",
        help_text="A core member or officer of the group. Leave it empty for no lead.",
        required=False,
        max_length=254,
    )

    def __init__(self, *args: Any, categories: Any, leads: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        self.leads = leads

    def clean_lead(self) -> Any:
        email = self.cleaned_data.get("lead", "")
        if not email:
            return None
        lead = self.leads.filter(email__iexact=email).first()
        if lead is None:
            raise forms.ValidationError("No core member or officer of the group has that email address.")
        return lead


class WriteForm(forms.Form):
    body = forms.CharField(label="Message to the requester", max_length=TEXT_MAX, widget=forms.Textarea)
    wait = yes_no("Does the requester need to answer before you go on? (pauses the service-level clock)")


class AnswerForm(forms.Form):
    body = forms.CharField(label="The answer", max_length=TEXT_MAX, widget=forms.Textarea)


class DecideForm(forms.Form):
    category = forms.ModelChoiceField(queryset=DecisionCategory.objects.none(), label="Decision category")
    title = forms.CharField(label="Decision", max_length=200)
    rationale = forms.CharField(label="Rationale", max_length=TEXT_MAX, widget=forms.Textarea)
    amount = forms.DecimalField(
        label="Amount in pounds (if any)", required=False, max_digits=12, decimal_places=2, min_value=0
    )
    body = forms.CharField(label="The answer to the requester", max_length=TEXT_MAX, widget=forms.Textarea)

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]


class BallotForm(forms.Form):
    ballot = forms.ModelChoiceField(queryset=Ballot.objects.none(), label="Ballot")

    def __init__(self, *args: Any, ballots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ballot"].queryset = ballots  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    # A reference, not a list of every open request: the queue can hold thousands.
    into = forms.CharField(
        label="Reference of the request to merge into",
        help_text="For example, SPA-2026-0042. It must be another open request of this group.",
        max_length=20,
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets

    def clean_into(self) -> AccessRequest:
        target = self.targets.filter(reference__iexact=self.cleaned_data["into"].strip()).first()
        if target is None:
            raise forms.ValidationError("There is no other open request of this group with that reference.")
        return target


class DeclineForm(forms.Form):
    reason = forms.CharField(label="Reason (the requester sees it)", max_length=2000, widget=forms.Textarea)


class CategoryForm(forms.Form):
    name = forms.CharField(label="Category name", max_length=100)
    service_days = forms.IntegerField(label="Service level (working days)", min_value=0, max_value=250)
