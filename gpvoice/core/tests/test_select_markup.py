"""Form selects are written out by hand for speed (``forms/fields.jinja``); they must stay the
NHS.UK select: the same markup as the ``select`` macro for the same field, whatever its state."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import engines

HOSTILE = '<script>alert("x")</script> & =HYPERLINK("y") \x00'


class Choose(forms.Form):
    icb = forms.ChoiceField(
        label="ICB",
        required=True,
        choices=[("", "Any ICB"), ("QWE", "South West London"), ("Q&A", HOSTILE)],
    )
    sort = forms.ChoiceField(
        label="Sort by", help_text="Name or code", choices=[("name", "Name"), ("code", "Code")]
    )


def _normal(html: str) -> str:
    """Whitespace between and inside tags is not markup: compare what is left."""
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s*>\s*", ">", html)
    return re.sub(r"\s*<\s*", "<", html).strip()


def _both(bound: forms.BoundField) -> tuple[str, str]:
    env = engines["jinja2"].env
    ours = env.from_string('{% from "forms/fields.jinja" import field %}{{ field(f) }}').render(f=bound)
    nhsuk = env.from_string(
        '{% from "nhsuk/components/select/macro.jinja" import select %}'
        '{{ select({"id": f.id_for_label, "name": f.html_name, "label": {"text": f.label},'
        ' "hint": {"text": f.help_text} if f.help_text else None,'
        ' "errorMessage": {"text": f.errors | join(" ")} if f.errors else None,'
        ' "items": choice_items(f)}) }}'
    ).render(f=bound)
    return ours, nhsuk


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (None, "icb"),  # unbound: nothing chosen
        ({"icb": "QWE", "sort": "code"}, "icb"),  # a choice kept
        ({"icb": "Q&A", "sort": "code"}, "icb"),  # the hostile option chosen
        ({"icb": "", "sort": "code"}, "icb"),  # required and empty: an error
        ({"icb": "nope", "sort": "code"}, "icb"),  # not a choice: an error
        (None, "sort"),  # with a hint
        ({"icb": "QWE", "sort": "bad"}, "sort"),  # hint and error: both described
    ],
)
def test_the_hand_written_select_is_the_nhsuk_macros_markup(data, name):
    form = Choose(data)
    form.is_valid()
    ours, nhsuk = _both(form[name])
    assert _normal(ours) == _normal(nhsuk)
    assert "<script>" not in ours
    bound = form[name]
    chosen = str(bound.value() or "")
    assert ours.count(" selected") == sum(str(value) == chosen for value, _ in bound.field.choices)
    described = [f"id_{name}-hint"] if bound.help_text else []
    described += [f"id_{name}-error"] if bound.errors else []
    if described:
        assert f'aria-describedby="{" ".join(described)}"' in ours
    else:
        assert "aria-describedby" not in ours
