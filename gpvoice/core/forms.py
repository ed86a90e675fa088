from __future__ import annotations

from django import forms

from .models import Role

# How people write a date in a form: 31/3/2027, or as a date input sends it.
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def text_field(
    label: str, limit: int, *, enter: str | None = None, textarea: bool = False, help_text: str = ""
) -> forms.CharField:
    """A text field that is required when ``enter`` says what to ask for, with a refusal of text
    over ``limit`` that names the field (its label without a bracketed hint) and the length."""
    name = label.split(" (")[0]
    return forms.CharField(
        label=label,
        max_length=limit,
        required=enter is not None,
        help_text=help_text,
        strip=True,
        widget=forms.Textarea if textarea else None,
        error_messages={
            "required": enter or "",
            "max_length": f"{name} must be {limit:,} characters or fewer; it has %(show_value)s.",
        },
    )


def day_field(label: str, enter: str, example: str = "31/3/2027") -> forms.DateField:
    """A date written as people write it, with an example in the hint and in the refusal."""
    return forms.DateField(
        label=label,
        help_text=f"For example, {example}",
        input_formats=DATE_FORMATS,
        error_messages={"required": enter, "invalid": f"Enter a real date, for example {example}"},
    )


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label="Role in this group", choices=Role.choices)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254, help_text="Usually their NHSmail address."
    )
    role = forms.ChoiceField(label="Role in this group", choices=Role.choices)
