"""Helpers the Jinja form macros use to turn Django bound fields into NHS.UK component params."""

from __future__ import annotations

from typing import Any

from django import forms


def field_kind(bound: forms.BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return getattr(widget, "input_type", "text") or "text"


def choice_items(bound: forms.BoundField) -> list[dict[str, Any]]:
    current = str(bound.value() or "")
    return [
        {"value": value, "text": label, "selected": str(value) == current}
        for value, label in bound.field.choices  # type: ignore[attr-defined]
    ]


def choice_checks(bound: forms.BoundField) -> list[dict[str, Any]]:
    """Items for NHS.UK radios and checkboxes: which are checked, from the bound value(s)."""
    value = bound.value()
    current = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value or "")}
    return [
        {"value": value, "text": label, "checked": str(value) in current}
        for value, label in bound.field.choices  # type: ignore[attr-defined]
    ]


def naming_the_field(label: object, error: object) -> str:
    """The summary's line for an error: it names the field, unless the message already does
    ("Enter your full name" does; Django's "This field is required." does not)."""
    text, name = str(error), str(label or "").strip()
    if not name or name.lower() in text.lower():
        return text
    return f"{name}: {text}"


def form_error_list(form: forms.Form) -> list[dict[str, str]]:
    # An error about the form as a whole leads to its first field, so following it starts the fix.
    first = next((f"#{bound.auto_id}" for bound in form if not bound.is_hidden), "#maincontent")
    items = [{"text": str(error), "href": first} for error in form.non_field_errors()]
    for bound in form:
        items += [
            {"text": naming_the_field(bound.label, error), "href": f"#{bound.auto_id}"}
            for error in bound.errors
        ]
    return items


def length_limit(bound: forms.BoundField) -> dict[str, Any] | None:
    """``maxlength`` for a text input or text area, from the form field (a ModelForm's comes from the
    model), so the browser stops at the limit the server enforces."""
    limit = getattr(bound.field, "max_length", None)
    return {"maxlength": limit} if limit else None
