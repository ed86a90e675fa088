"""Forms for setting up ballots and recording a show of hands, and the parser for a cast.

Forms only parse (text, whole numbers, dates and times); every rule of a ballot, the ranges of
its numbers included, is checked in services/drafting.py (``check_draft``), and the page shows
that service's refusals.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils import timezone

from gpvoice.core.forms import DATE_FORMATS
from gpvoice.directory.models import Person

from .contents import InvalidChoice
from .models import RANKED_METHODS, Ballot, Electorate, Method, Option, Threshold, TieBreak, Weighting
from .services import Draft
from .services.drafting import SECRET_MIN_TURNOUT_DEFAULT

MAX_PRESENT = 500  # people named as present at one meeting
MAX_PRESENT_TEXT = MAX_PRESENT * 260  # as many full-length addresses, one a line
PRESENT_SPLIT = re.compile(r"[\s,;]+")

YES_NO = [("no", "No"), ("yes", "Yes")]
MAX_TEXT = 10_000


class BallotForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    question = forms.CharField(label="The question, in full", widget=forms.Textarea, max_length=MAX_TEXT)
    method = forms.ChoiceField(label="How people vote", choices=Method.choices, widget=forms.RadioSelect)
    options = forms.CharField(
        label="Options, one per line",
        help_text="Not needed for a yes/no question.",
        widget=forms.Textarea,
        required=False,
        max_length=MAX_TEXT,
    )
    electorate = forms.ChoiceField(label="Who votes", choices=Electorate.choices, widget=forms.RadioSelect)
    weighting = forms.ChoiceField(label="Weighting", choices=Weighting.choices, widget=forms.RadioSelect)
    is_secret = forms.ChoiceField(
        label="Secret ballot?",
        help_text="A secret ballot records who voted, never how; each voter gets a receipt.",
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    threshold = forms.ChoiceField(
        label="Threshold to pass", choices=Threshold.choices, widget=forms.RadioSelect
    )
    threshold_num = forms.IntegerField(label="Custom threshold: at least this many …", required=False)
    threshold_den = forms.IntegerField(label="… in every", required=False)
    quorum_practices_percent = forms.IntegerField(
        label="Quorum: share of electors who must vote, in per cent (optional)",
        required=False,
    )
    quorum_patients_percent = forms.IntegerField(
        label="Quorum: share of the electorate's patients whose practices must vote, in per cent (optional)",
        required=False,
    )
    points_allowance = forms.IntegerField(
        label="Points each elector shares out (points allocation only)",
        required=False,
    )
    tie_break = forms.ChoiceField(label="Breaking a tie", choices=TieBreak.choices, widget=forms.RadioSelect)
    opens_on = forms.DateField(
        label="Opens on", help_text="For example, 14/1/2027", input_formats=DATE_FORMATS
    )
    opens_time = forms.TimeField(label="Opens at", help_text="24-hour clock, for example 09:00")
    closes_on = forms.DateField(
        label="Closes on", help_text="For example, 28/1/2027", input_formats=DATE_FORMATS
    )
    closes_time = forms.TimeField(label="Closes at", help_text="24-hour clock, for example 17:00")
    reminder_hours = forms.CharField(
        label="Remind electors who have not voted, this many hours before closing (optional)",
        help_text="For example: 48, 4",
        required=False,
        max_length=100,
    )
    secret_min_turnout = forms.IntegerField(
        label="Secret ballots: show each option's figures only once at least this many have voted",
        help_text="Below it, the result gives the outcome and turnout but withholds the figures. "
        "Leave blank for 5.",
        required=False,
    )
    publish_on_close = forms.ChoiceField(
        label="Publish the result as soon as the ballot closes?",
        choices=[("yes", "Yes"), ("no", "No: an officer publishes it")],
        widget=forms.RadioSelect,
    )

    @classmethod
    def initial_for(cls, ballot: Ballot | None) -> dict[str, Any]:
        if ballot is None:
            tomorrow = timezone.localdate() + timedelta(days=1)
            return {
                "method": Method.YES_NO,
                "electorate": Electorate.PRACTICES,
                "weighting": Weighting.EQUAL,
                "is_secret": "no",
                "threshold": Threshold.SIMPLE,
                "tie_break": TieBreak.LISTED_FIRST,
                "opens_on": tomorrow.strftime("%d/%m/%Y"),
                "opens_time": "09:00",
                "closes_on": (tomorrow + timedelta(days=14)).strftime("%d/%m/%Y"),
                "closes_time": "17:00",
                "publish_on_close": "yes",
                "secret_min_turnout": SECRET_MIN_TURNOUT_DEFAULT,
            }
        opens = timezone.localtime(ballot.opens_at) if ballot.opens_at else None
        closes = timezone.localtime(ballot.closes_at) if ballot.closes_at else None
        hours = [
            str(round((ballot.closes_at - r.send_at).total_seconds() / 3600))
            for r in ballot.reminders.all()
            if ballot.closes_at
        ]
        return {
            "title": ballot.title,
            "question": ballot.question,
            "method": ballot.method,
            "options": "\n".join(o.label for o in ballot.options.all())
            if ballot.method != Method.YES_NO
            else "",
            "electorate": ballot.electorate,
            "weighting": ballot.weighting,
            "is_secret": "yes" if ballot.is_secret else "no",
            "threshold": ballot.threshold,
            "threshold_num": ballot.threshold_num,
            "threshold_den": ballot.threshold_den,
            "quorum_practices_percent": ballot.quorum_practices_percent,
            "quorum_patients_percent": ballot.quorum_patients_percent,
            "points_allowance": ballot.points_allowance,
            "tie_break": ballot.tie_break,
            "opens_on": opens.strftime("%d/%m/%Y") if opens else "",
            "opens_time": opens.strftime("%H:%M") if opens else "",
            "closes_on": closes.strftime("%d/%m/%Y") if closes else "",
            "closes_time": closes.strftime("%H:%M") if closes else "",
            "reminder_hours": ", ".join(reversed(hours)),
            "publish_on_close": "yes" if ballot.publish_on_close else "no",
            "secret_min_turnout": ballot.secret_min_turnout,
        }

    def clean_reminder_hours(self) -> list[int]:
        raw = self.cleaned_data["reminder_hours"]
        parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
        if len(parts) > 100 or not all(p.isdigit() and 0 < int(p) <= 24 * 90 for p in parts):
            raise forms.ValidationError("Give whole numbers of hours, separated by commas, such as 48, 4.")
        return sorted({int(p) for p in parts}, reverse=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for prefix in ("opens", "closes"):
            day, at = data.get(f"{prefix}_on"), data.get(f"{prefix}_time")
            if day and at:
                data[f"{prefix}_at"] = timezone.make_aware(datetime.combine(day, at))
        return data

    def draft(self) -> Draft:
        data = self.cleaned_data
        closes = data["closes_at"]
        return Draft(
            title=data["title"],
            question=data["question"],
            method=data["method"],
            electorate=data["electorate"],
            weighting=data["weighting"],
            is_secret=data["is_secret"] == "yes",  # noqa: S105 - a yes/no answer, not a password
            options=[line.strip() for line in data["options"].splitlines() if line.strip()],
            threshold=data["threshold"],
            threshold_num=data.get("threshold_num"),
            threshold_den=data.get("threshold_den"),
            quorum_practices_percent=data.get("quorum_practices_percent"),
            quorum_patients_percent=data.get("quorum_patients_percent"),
            points_allowance=data.get("points_allowance"),
            tie_break=data["tie_break"],
            opens_at=data["opens_at"],
            closes_at=closes,
            publish_on_close=data["publish_on_close"] == "yes",
            reminders=[closes - timedelta(hours=h) for h in data["reminder_hours"]],
            secret_min_turnout=(
                SECRET_MIN_TURNOUT_DEFAULT
                if data.get("secret_min_turnout") is None
                else data["secret_min_turnout"]
            ),
        )


class ShowOfHandsForm(forms.Form):
    """A vote taken in the room. Up to eight options, each with its count of hands."""

    OPTION_ROWS = 8

    title = forms.CharField(label="Title", max_length=200)
    question = forms.CharField(
        label="The question put to the meeting", widget=forms.Textarea, max_length=MAX_TEXT
    )
    meeting = forms.CharField(
        label="Meeting", max_length=200, help_text="For example, Core group, January 2027"
    )
    held_on = forms.DateField(label="Held on", help_text="For example, 14/1/2027", input_formats=DATE_FORMATS)
    # Email addresses, not a checkbox for everyone on the roll: a national group's roll is long.
    present = forms.CharField(
        label="Who was present",
        help_text="The email addresses of the people on the group's roll who were there, one a line.",
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        max_length=MAX_PRESENT_TEXT,
        error_messages={"required": "Enter the email addresses of the people who were present"},
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = people if people is not None else Person.objects.none()
        for row in range(1, self.OPTION_ROWS + 1):
            self.fields[f"option_{row}"] = forms.CharField(
                label=f"Option {row}", required=False, max_length=200
            )
            self.fields[f"hands_{row}"] = forms.IntegerField(label=f"Hands for option {row}", required=False)

    def clean_present(self) -> list[Person]:
        """The people on the roll with these addresses (any case, any separator); each address
        that names nobody on the roll is listed in the error."""
        emails = list(
            dict.fromkeys(e.lower() for e in PRESENT_SPLIT.split(self.cleaned_data["present"]) if e)
        )
        if len(emails) > MAX_PRESENT:
            raise forms.ValidationError(f"Name at most {MAX_PRESENT} people")
        found = {
            p.email_key: p
            for p in self.people.annotate(email_key=Lower("email"))
            .filter(email_key__in=emails)
            .order_by("pk")
        }
        unknown = [e for e in emails if e not in found]
        if unknown:
            raise forms.ValidationError(
                f"Nobody on the group's roll has these addresses: {', '.join(unknown)}"
            )
        return [found[e] for e in emails]

    def option_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"option_{r}"], self[f"hands_{r}"]) for r in range(1, self.OPTION_ROWS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hands = []
        for row in range(1, self.OPTION_ROWS + 1):
            label, count = (data.get(f"option_{row}") or "").strip(), data.get(f"hands_{row}")
            if label and count is None:
                self.add_error(f"hands_{row}", f"Give the number of hands for {label}.")
            elif count is not None and not label:
                self.add_error(f"option_{row}", "Name the option these hands were for.")
            elif label:
                hands.append((label, count))
        data["hands"] = hands
        return data


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label="Your receipt code", max_length=40, help_text="For example, K7QF-2MXA-9PLC"
    )


def parse_cast(*, ballot: Ballot, options: list[Option], data: QueryDict) -> dict[str, Any]:
    """Turn a posted vote form into the content services.ballot_cast checks. Anything it cannot
    read as one vote (two choices for one, a rank given twice, points that are not numbers) is
    refused here with a message for the voter."""
    if data.get("abstain"):
        return {"abstain": True}
    ids = {str(o.pk) for o in options}
    if any(k.startswith(("points-", "rank-")) and k.split("-", 1)[1] not in ids for k in data):
        raise InvalidChoice("That option is not on this ballot.")
    if ballot.method in (Method.YES_NO, Method.SINGLE):
        chosen = data.getlist("choice")
        if len(chosen) > 1:
            raise InvalidChoice("Choose only one option.")
        if not chosen:
            raise InvalidChoice("Choose an option, or abstain.")
        return {"choice": chosen[0]}
    if ballot.method == Method.APPROVAL:
        return {"approved": data.getlist("approved")}
    if ballot.method in RANKED_METHODS:
        ranks: dict[int, str] = {}
        for option in options:
            raw = data.get(f"rank-{option.pk}", "").strip()
            if not raw:
                continue
            if not raw.isdigit() or not 1 <= int(raw) <= len(options):
                raise InvalidChoice(
                    f"Give {option.label} a rank from 1 to {len(options)}, or leave it blank."
                )
            if int(raw) in ranks:
                raise InvalidChoice(f"Give each option a different rank: {raw} is used twice.")
            ranks[int(raw)] = str(option.pk)
        if sorted(ranks) != list(range(1, len(ranks) + 1)):
            raise InvalidChoice("Number your choices 1, 2, 3 … without gaps.")
        return {"ranking": [ranks[r] for r in sorted(ranks)]}
    points: dict[str, int] = {}
    for option in options:
        raw = data.get(f"points-{option.pk}", "").strip()
        if not raw:
            continue
        if not raw.isdigit() or len(raw) > 6:
            raise InvalidChoice(f"Give {option.label} a whole number of points, or leave it blank.")
        points[str(option.pk)] = int(raw)
    return {"points": points}


class CancelForm(forms.Form):
    """Why a ballot is cancelled: shown to everyone who opens it, and refused when empty."""

    reason = forms.CharField(
        label="Why is the ballot cancelled?",
        help_text="Voters see this on the ballot's page. Nothing cast so far will be counted.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class ExtendForm(forms.Form):
    """A new, later closing date and time."""

    closes_on = forms.DateField(
        label="New closing date", input_formats=DATE_FORMATS, help_text="For example, 31/3/2027"
    )
    closes_time = forms.TimeField(label="New closing time", help_text="24-hour clock, for example 17:00")

    def closes_at(self) -> datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.combine(data["closes_on"], data["closes_time"]))
