"""Forms check shape (lengths, numbers, dates, choices); the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from gpvoice.core.forms import day_field as _day
from gpvoice.core.forms import text_field as _text

from .models import NAME_MAX, SHORT_MAX, TEXT_MAX, BasisKind, Cadence, Held, Holder, ItemKind, PositionStatus


def _days(label: str, initial: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=60,
        initial=initial,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": "Enter a whole number of days",
            "min_value": "Enter a number from 0 to 60",
            "max_value": "Enter a number from 0 to 60",
        },
    )


def _choice(label: str, choices: Any, enter: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": enter, "invalid_choice": enter},
    )


class ForumForm(forms.Form):
    name = _text("Name", NAME_MAX, enter="Enter the forum's name", help_text="For example, ICB board")
    organiser = _text(
        "Organiser's ODS code",
        12,
        enter="Enter the ODS code of the organisation that runs the forum",
        help_text="The ICB, Place, trust or council from the directory, for example Q9990",
    )
    cadence = _choice("How often it meets", Cadence.choices, "Choose how often the forum meets")
    topics = _text(
        "Topics (optional)",
        SHORT_MAX,
        help_text="Topics of positions relevant here, separated by commas; for example: urgent care, estates",
    )
    briefing_days = _days("Days before each meeting the briefing is sent", 7)
    report_days = _days("Days after each meeting the report-back is due", 10)


class SeatForm(forms.Form):
    title = _text("Seat", NAME_MAX, enter="Enter the seat's title", help_text="For example, GP member")


class MeetingDateForm(forms.Form):
    on = _day("Date of the forum meeting", "Enter the date of the forum meeting")


class AppointForm(forms.Form):
    holder = _choice("Appoint as", Holder.choices, "Choose representative or deputy")
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="Someone who belongs to the group or is on its roll",
        error_messages={
            "required": "Enter the email address of the person to appoint",
            "invalid": "Enter an email address, like name@example.nhs.uk",
        },
    )
    starts_on = _day("Term starts", "Enter the date the term starts")
    term_ends_on = _day("Term ends", "Enter the date the term ends")
    name_public = forms.BooleanField(
        label="They agree to be named on the group's public page", required=False
    )
    proceed_reason = _text(
        "Reason to appoint despite what the check found (optional)",
        2_000,
        textarea=True,
        help_text="Only needed when the conflict check finds something",
    )


class PositionForm(forms.Form):
    topic = _text("Topic", NAME_MAX, enter="Enter the topic", help_text="For example, urgent care")
    statement = _text("Position", TEXT_MAX, enter="Enter the position", textarea=True)
    basis_kind = _choice("What it rests on", BasisKind.choices, "Choose what the position rests on")
    basis_ref = _text(
        "Number of the ballot or decision (for a ballot, executive decision or group decision)", 12
    )
    basis_label = _text(
        "Describe the basis (for a consultation or other record)",
        SHORT_MAX,
        help_text="For example, Consultation on same-day access, closed 3 March 2026",
    )
    basis_link = _text("Link to the record (optional)", 500, help_text="Starts with https:// or /")
    agreed_on = _day("Date agreed", "Enter the date the position was agreed")
    review_on = _day("Review date", "Enter the date the position is to be reviewed")
    published = forms.BooleanField(label="Publish on the group's public page", required=False)


class PositionUpdateForm(forms.Form):
    status = _choice("Status", PositionStatus.choices, "Choose current, under review or withdrawn")
    review_on = _day("Review date", "Enter the review date")
    published = forms.BooleanField(label="Publish on the group's public page", required=False)


class ItemForm(forms.Form):
    kind = _choice("What to do", ItemKind.choices, "Choose ask for, resist or raise")
    text = _text("Item", 2_000, enter="Enter the item", textarea=True)


class ReportForm(forms.Form):
    attended = forms.BooleanField(
        label="General practice's representative or deputy attended", required=False
    )
    discussed = _text(
        "What was discussed",
        TEXT_MAX,
        enter="Enter what was discussed",
        textarea=True,
        help_text="Markdown: **bold**, lists with -",
    )
    decisions = _text("Decisions taken (optional)", TEXT_MAX, textarea=True)
    asks = _text("Asks of practices (optional)", TEXT_MAX, textarea=True)
    positions_held = _choice(
        "Were general practice's positions held?", Held.choices, "Say whether the positions were held"
    )
    held_notes = _text("Notes on positions (needed when not all were held)", TEXT_MAX, textarea=True)
