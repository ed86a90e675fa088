"""Forms check shape (lengths, numbers, dates, choices from this round); the rules live in services."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from gpvoice.core.forms import DATE_FORMATS
from gpvoice.core.forms import text_field as _text
from gpvoice.directory.models import Organisation, Person

from .models import MAX_ADOPT, TEXT_MAX, TITLE_MAX, Candidate, DeliveryStatus, Nomination, ScoringMethod

AS_MEMBER = "member"
NEW_OPTION = "new"


def _whole(
    label: str, low: int, high: int, *, required: bool = True, help_text: str = ""
) -> forms.IntegerField:
    message = f"Enter a whole number from {low:,} to {high:,}"
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        required=required,
        help_text=help_text,
        error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
    )


def _day(label: str, enter: str, example: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=f"For example, {example}",
        input_formats=DATE_FORMATS,
        error_messages={"required": enter, "invalid": f"Enter a real date, for example {example}"},
    )


def _time(label: str, enter: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text="24-hour clock, for example 17:00",
        error_messages={"required": enter, "invalid": "Enter a time on the 24-hour clock, for example 17:00"},
    )


class RoundForm(forms.Form):
    title = _text(
        "Title",
        TITLE_MAX,
        enter="Enter a title for the round",
        help_text="For example, Local priorities 2027/28",
    )
    description = _text("What the round is for (optional)", TEXT_MAX, textarea=True)
    method = forms.ChoiceField(
        label="How practices score the options",
        choices=ScoringMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how practices score the options"},
    )
    points_allowance = _whole(
        "Points each practice shares out",
        1,
        10_000,
        required=False,
        help_text="For points only. Usually 100.",
    )
    adopt_up_to = _whole("Adopt up to this many priorities", 1, MAX_ADOPT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == ScoringMethod.POINTS and not data.get("points_allowance"):
            self.add_error("points_allowance", "Say how many points each practice shares out")
        data["points_allowance"] = data.get("points_allowance") or 100
        return data


class NominationForm(forms.Form):
    title = _text(
        "The priority you propose",
        TITLE_MAX,
        enter="Enter the priority you propose",
        help_text="A short name, for example: Keeping practice nurses",
    )
    rationale = _text(
        "Why it should be a priority",
        TEXT_MAX,
        enter="Say why it should be a priority",
        textarea=True,
        help_text="What difference it would make to practices and their patients.",
    )
    on_behalf_of = forms.ChoiceField(
        label="Who you propose it for",
        widget=forms.RadioSelect,
        error_messages={"required": "Say who you propose it for", "invalid_choice": "Choose from the list"},
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        if not organisations:
            del self.fields["on_behalf_of"]
            return
        choices = [(AS_MEMBER, "Myself, as a member of the group")]
        choices += [(pk, f"{o.name} ({o.get_org_type_display()})") for pk, o in self.organisations.items()]
        self.fields["on_behalf_of"].choices = choices  # type: ignore[attr-defined]
        self.fields["on_behalf_of"].initial = AS_MEMBER

    def organisation(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data.get("on_behalf_of") or AS_MEMBER)


class NominationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        where = f" – now in “{obj.candidate.title}”" if obj.candidate_id else ""
        return f"{obj.title}: {obj.proposer_name}, {obj.proposed_for}{where}"


class MergeForm(forms.Form):
    nominations = NominationChoices(
        label="Nominations to merge",
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one nomination to merge",
            "invalid_choice": "Choose nominations from this round",
            "invalid_pk_value": "Choose nominations from this round",
        },
    )
    into = forms.ChoiceField(
        label="Merge them into", error_messages={"invalid_choice": "Choose an option from the list"}
    )
    title = _text(
        "Title of the new option", TITLE_MAX, help_text="Leave empty when merging into an existing option."
    )
    description = _text("Description of the new option (optional)", TEXT_MAX, textarea=True)

    def __init__(
        self,
        *args: Any,
        nominations: QuerySet[Nomination],
        candidates: list[Candidate],
        shown: Any = None,
        **kwargs: Any,
    ) -> None:
        """``nominations`` are those that may be chosen; ``shown``, the page of them offered as
        checkboxes (a round can have thousands: they are offered a page at a time)."""
        super().__init__(*args, **kwargs)
        field = self.fields["nominations"]
        field.queryset = nominations  # type: ignore[attr-defined]
        if shown is not None:
            field.widget.choices = [(n.pk, field.label_from_instance(n)) for n in shown]  # type: ignore[attr-defined]
        self.candidates = {str(c.pk): c for c in candidates}
        self.fields["into"].choices = [  # type: ignore[attr-defined]
            (NEW_OPTION, "A new option (give its title below)"),
            *((pk, c.title) for pk, c in self.candidates.items()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        into = data.get("into")
        if into == NEW_OPTION and not data.get("title"):
            self.add_error("title", "Enter a title for the new option, or choose an existing option")
        if into and into != NEW_OPTION and (data.get("title") or data.get("description")):
            self.add_error(
                "title", "Leave the title and description empty when merging into an existing option"
            )
        data["candidate"] = self.candidates.get(into or "")
        return data


class CandidateForm(forms.Form):
    candidate = forms.ChoiceField(
        label="Option to change", error_messages={"invalid_choice": "Choose an option from the list"}
    )
    title = _text("New title", TITLE_MAX, enter="Enter the option's new title")
    description = _text("Description (optional)", TEXT_MAX, textarea=True)

    def __init__(self, *args: Any, candidates: list[Candidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(c.pk): c for c in candidates}
        choices = [(pk, c.title) for pk, c in self.candidates.items()]
        self.fields["candidate"].choices = choices  # type: ignore[attr-defined]

    def chosen(self) -> Candidate:
        return self.candidates[self.cleaned_data["candidate"]]


class ScoringScheduleForm(forms.Form):
    opens_on = _day("Scoring opens on", "Enter the day scoring opens", "14/1/2027")
    opens_time = _time("Opens at", "Enter the time scoring opens")
    closes_on = _day("Scoring closes on", "Enter the day scoring closes", "28/1/2027")
    closes_time = _time("Closes at", "Enter the time scoring closes")

    @classmethod
    def initial_values(cls) -> dict[str, str]:
        tomorrow = timezone.localdate() + timedelta(days=1)
        return {
            "opens_on": tomorrow.strftime("%d/%m/%Y"),
            "opens_time": "09:00",
            "closes_on": (tomorrow + timedelta(days=14)).strftime("%d/%m/%Y"),
            "closes_time": "17:00",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for prefix in ("opens", "closes"):
            day, at = data.get(f"{prefix}_on"), data.get(f"{prefix}_time")
            if day and at:
                data[f"{prefix}_at"] = timezone.make_aware(datetime.combine(day, at))
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_on", "Scoring must close after it opens")
        elif closes and closes <= timezone.now():
            self.add_error("closes_on", "The closing time must be in the future")
        return data


class RankedCandidates(forms.ModelChoiceField):
    ranks: dict[str, int] = {}

    def label_from_instance(self, obj: Any) -> str:
        rank = self.ranks.get(obj.title)
        return f"{rank}. {obj.title}" if rank else str(obj.title)


class AdoptForm(forms.Form):
    candidate = RankedCandidates(
        label="Priority to adopt",
        help_text="Numbered by their place in the scoring result.",
        queryset=Candidate.objects.none(),
        empty_label="Choose an option",
        error_messages={
            "required": "Choose the priority to adopt",
            "invalid_choice": "Choose an option from the list",
        },
    )
    # An email address, not a list of everyone in the group: a national group has thousands.
    lead = forms.EmailField(
        label="Lead's email address",
        help_text="Someone who belongs to the group or is on its roll.",
        max_length=254,
        error_messages={
            "required": "Enter the lead's email address",
            "invalid": "Enter the lead's email address",
        },
    )
    review_date = _day("Review by", "Enter the date to review it by", "31/3/2028")

    def __init__(
        self,
        *args: Any,
        candidates: QuerySet[Candidate],
        leads: QuerySet[Person],
        ranks: dict[str, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["candidate"]
        field.queryset = candidates  # type: ignore[attr-defined]
        field.ranks = ranks  # type: ignore[attr-defined]
        self.leads = leads

    def clean_lead(self) -> Person:
        lead = self.leads.filter(email__iexact=self.cleaned_data["lead"]).first()
        if lead is None:
            raise forms.ValidationError("Nobody in the group or on its roll has that email address")
        return lead

    def clean_review_date(self) -> date:
        value: date = self.cleaned_data["review_date"]
        if value <= timezone.localdate():
            raise forms.ValidationError("The review date must be in the future")
        return value


class UpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=DeliveryStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a status", "invalid_choice": "Choose a status from the list"},
    )
    text = _text("Update for practices", TEXT_MAX, enter="Enter the update", textarea=True)
