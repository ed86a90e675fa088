"""Forms check shape (lengths, numbers, dates, choices); the rules live in the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from gpvoice.core.forms import day_field as _day
from gpvoice.core.forms import text_field as _text
from gpvoice.directory.models import Person

from .models import PLACE_MAX, TEXT_MAX, TITLE_MAX, ActionStatus, Body

BALLOT_SEARCH_MAX = 100


def _time(label: str, enter: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text="24-hour clock, for example 18:30",
        error_messages={"required": enter, "invalid": "Enter a time on the 24-hour clock, for example 18:30"},
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class MeetingForm(forms.Form):
    body = forms.ChoiceField(
        label="Which meeting",
        choices=Body.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a group meeting or an executive meeting"},
    )
    title = _text(
        "Title", TITLE_MAX, enter="Enter a title for the meeting", help_text="For example, Core group, March"
    )
    on = _day("Date", "Enter the date of the meeting", "12/3/2027")
    starts = _time("Starts at", "Enter the time the meeting starts")
    ends = _time("Ends at", "Enter the time the meeting ends")
    place = _text("Place (optional)", PLACE_MAX)
    video_link = _text("Video link (optional)", 500, help_text="Starts with https://")
    # An email address, not a list of everyone who may chair: a national group has thousands.
    chair = forms.EmailField(
        label="Chair's email address (optional)",
        help_text="Someone on the roll, or one of the group's officers.",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter the chair's email address, like name@example.nhs.uk",
            "max_length": "The chair's email address must be 254 characters or fewer",
            "null_characters_not_allowed": "Enter the chair's email address, like name@example.nhs.uk",
        },
    )

    def __init__(self, *args: Any, chairs: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chairs = chairs

    def clean_chair(self) -> Person | None:
        email = self.cleaned_data.get("chair") or ""
        if not email:
            return None
        chair = self.chairs.filter(email__iexact=email).order_by("pk").first()
        if chair is None:
            raise forms.ValidationError("Nobody on the roll or among the officers has that email address")
        return chair

    @classmethod
    def initial_values(cls) -> dict[str, str]:
        soon = timezone.localdate() + timedelta(days=14)
        return {"body": Body.GROUP, "on": soon.strftime("%d/%m/%Y"), "starts": "18:30", "ends": "20:30"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        on, starts, ends = data.get("on"), data.get("starts"), data.get("ends")
        if on and starts and ends:
            data["starts_at"] = timezone.make_aware(datetime.combine(on, starts))
            data["ends_at"] = timezone.make_aware(datetime.combine(on, ends))
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends", "The meeting must end after it starts")
            elif data["starts_at"] <= timezone.now():
                self.add_error("on", "The meeting must be in the future")
        return data


class SettingsForm(forms.Form):
    quorum_num = forms.IntegerField(
        label="Quorum: at least this many parts",
        min_value=1,
        max_value=100,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), "Enter a whole number from 1 to 100"
        ),
    )
    quorum_den = forms.IntegerField(
        label="out of this many (of the core members)",
        min_value=1,
        max_value=100,
        help_text="For example 1 out of 2 means half the core members, rounded up, and never fewer than one.",
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), "Enter a whole number from 1 to 100"
        ),
    )
    observers_see_papers = forms.BooleanField(
        label="Observers may read agendas, papers and minutes", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        num, den = data.get("quorum_num"), data.get("quorum_den")
        if num and den and num > den:
            self.add_error("quorum_num", "The parts cannot be more than the whole")
        return data


class ItemForm(forms.Form):
    title = _text("Item", TITLE_MAX, enter="Enter the item's title")
    minutes_allowed = forms.IntegerField(
        label="Minutes allowed (optional)",
        required=False,
        min_value=1,
        max_value=240,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"), "Enter a whole number of minutes from 1 to 240"
        ),
    )


class InterestForm(forms.Form):
    nature = _text(
        "Your interest",
        300,
        enter="Describe your interest",
        help_text="For example, partner at a practice the item concerns",
    )
    withdrew = forms.BooleanField(label="I will withdraw (or withdrew) for this item", required=False)


def _hands(label: str) -> forms.IntegerField:
    number = f"{label} must be a whole number, 0 or more"
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages={"invalid": number, "min_value": number, "max_value": f"{label} is too large"},
    )


class DecisionForm(forms.Form):
    """The decision; optionally the ballot it rests on (its number, or words from its title that the view
    looks up among the group's; the service checks it is the group's)
    or a show of hands (all three counts, or none)."""

    text = _text("Decision", TEXT_MAX, enter="Enter the decision", textarea=True)
    ballot = forms.CharField(
        label="Ballot",
        required=False,
        max_length=BALLOT_SEARCH_MAX,
        error_messages={
            "max_length": f"The ballot's number or title must be {BALLOT_SEARCH_MAX} characters or fewer",
            "null_characters_not_allowed": "Enter the ballot's number, or words from its title",
        },
    )
    hands_for = _hands("For")
    hands_opposed = _hands("Against")
    hands_abstain = _hands("Abstentions")

    def clean_ballot(self) -> int | str | None:
        """The ballot's number, or words from its title to look for (the view looks them up)."""
        raw = " ".join(self.cleaned_data.get("ballot", "").split())
        if not raw:
            return None
        if raw.isascii() and raw.isdigit():
            return int(raw) if len(raw) <= 12 else -1
        if not any(c.isalnum() for c in raw) or any(ord(c) < 32 for c in raw):
            raise forms.ValidationError("Enter the ballot's number, or words from its title")
        return raw

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        counts = [data.get(name) for name in ("hands_for", "hands_opposed", "hands_abstain")]
        given = [c for c in counts if c is not None]
        if given and len(given) != len(counts):
            raise forms.ValidationError(
                "Enter all three numbers of the show of hands (for, against and abstentions; 0 if none)"
            )
        data["hands"] = tuple(counts) if given else None
        return data


class ActionForm(forms.Form):
    description = _text("Action", 500, enter="Enter the action")
    owner = PersonChoice(
        label="Owner",
        queryset=Person.objects.none(),
        error_messages={
            "required": "Choose who owns the action",
            "invalid_choice": "Choose an owner from the list",
        },
    )
    due_on = _day("Due on", "Enter the date the action is due", "30/4/2027")

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class CorrectionForm(forms.Form):
    text = _text("Corrected minutes", TEXT_MAX, enter="Enter the corrected minutes", textarea=True)
    reason = _text("Reason for the correction", 500, enter="Say why the minutes are corrected")


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        error_messages={"required": "Choose a status", "invalid_choice": "Choose a status"},
    )
