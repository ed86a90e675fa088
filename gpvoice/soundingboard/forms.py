"""Sounding-board forms: they read and bound the input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from gpvoice.directory.models import Organisation

from .models import REASON_MAX, REVIEW_MAX, TEXT_MAX, TITLE_MAX, Perspective, Submission


class SubmissionForm(forms.Form):
    organisation = forms.ChoiceField(label="Submitting for")
    title = forms.CharField(label="Title of the plan", max_length=TITLE_MAX)
    plan = forms.CharField(
        label="The plan",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "What you plan to do, why, and what you want the reviewers to look at. You can use Markdown."
        ),
    )
    perspectives = forms.MultipleChoiceField(
        label="Perspectives wanted",
        choices=Perspective.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Reviewers read the plan as a funder, a commissioner or a regulator would.",
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        field = self.fields["organisation"]
        field.choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]
        if len(organisations) == 1:
            field.widget = forms.HiddenInput()
            field.initial = str(organisations[0].pk)

    def chosen(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


class AssignForm(forms.Form):
    email = forms.CharField(
        label="Reviewer's email address",
        max_length=254,
        help_text="A member of the group. Their declarations and appointments are checked for conflicts.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    override_reason = forms.CharField(
        label="Reason to assign despite the conflicts (if any are found)",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


REVIEW_PARTS = (
    ("strengths", "Strengths"),
    ("weaknesses", "Weaknesses"),
    ("questions", "Questions to answer"),
)


class ReviewForm(forms.Form):
    """The perspectives the submitter asked for are required; the others may be left empty."""

    def __init__(self, *args: Any, submission: Submission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Perspective.choices:
            wanted = value in submission.perspectives
            self.fields[value] = forms.CharField(
                label=f"{label} perspective" + ("" if wanted else " (optional: not asked for)"),
                max_length=REVIEW_MAX,
                required=wanted,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        for name, label in REVIEW_PARTS:
            self.fields[name] = forms.CharField(
                label=label, max_length=REVIEW_MAX, widget=forms.Textarea(attrs={"rows": 5})
            )
