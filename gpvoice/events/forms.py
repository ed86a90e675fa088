"""Forms check shape (lengths, numbers, moments, choices); the rules live in the services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from gpvoice.core.forms import text_field as _text

from .models import CAPACITY_MAX, PLACE_MAX, TEXT_MAX, TITLE_MAX, Audience, Kind, Session, WaitMode

MOMENT_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
EXAMPLE = "12/3/2027 18:30"


def _moment(label: str, enter: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=f"Day and 24-hour time, for example {EXAMPLE}",
        input_formats=MOMENT_FORMATS,
        error_messages={"required": enter, "invalid": f"Enter a real date and time, for example {EXAMPLE}"},
    )


def _choice(label: str, choices: Any, enter: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, error_messages={"required": enter}
    )


def _number(label: str, low: int, high: int, enter: str) -> forms.IntegerField:
    message = f"{label} must be a whole number from {low} to {high:,}"
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={"required": enter, "invalid": message, "min_value": message, "max_value": message},
    )


class SessionForm(forms.Form):
    kind = _choice("Kind of session", Kind.choices, "Choose the kind of session")
    title = _text("Title", TITLE_MAX, enter="Enter a title for the session")
    description = _text("Description (optional)", TEXT_MAX, textarea=True, help_text="You can use Markdown.")
    starts_at = _moment("Starts", "Enter when the session starts")
    ends_at = _moment("Ends", "Enter when the session ends")
    place = _text("Place (optional)", PLACE_MAX)
    link = _text("Joining link (optional)", 500, help_text="Starts with https://")
    capacity = _number("Places", 1, CAPACITY_MAX, "Enter how many places there are")
    audience = _choice("Who may book", Audience.choices, "Choose who may book")
    opens_at = _moment("Booking opens", "Enter when booking opens")
    closes_at = _moment("Booking closes", "Enter when booking closes")
    cancel_by = _moment("People may give up their place until", "Enter the cut-off for giving up a place")
    wait_mode = _choice("When a place comes free", WaitMode.choices, "Choose how the waiting list moves")
    offer_hours = _number("Hours an offered place is held", 1, 168, "Enter how long an offer is held")

    @classmethod
    def initial_values(cls) -> dict[str, Any]:
        start = (timezone.localtime() + timedelta(days=21)).replace(
            hour=13, minute=0, second=0, microsecond=0
        )
        values = {
            "kind": Kind.THINK_TANK,
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "capacity": 20,
            "audience": Audience.FOOTPRINT,
            "opens_at": timezone.localtime().replace(second=0, microsecond=0),
            "closes_at": start - timedelta(days=1),
            "cancel_by": start - timedelta(days=2),
            "wait_mode": WaitMode.PROMOTE,
            "offer_hours": 24,
        }
        return {name: _local(value) for name, value in values.items()}

    @classmethod
    def from_session(cls, session: Session) -> dict[str, Any]:
        names = cls.base_fields
        return {name: _local(getattr(session, name)) for name in names}


def _local(value: Any) -> Any:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if isinstance(value, datetime) else value
