"""Form selects and text inputs are written out by hand for speed (``forms/fields.jinja``); they
must stay the NHS.UK components: the same markup as the ``select`` and ``input`` macros for the
same field, whatever its state."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template import engines

from gpvoice.core.formrender import field_kind

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


def _render(source: str, bound: forms.BoundField, **context: object) -> str:
    return engines["jinja2"].env.from_string(source).render(f=bound, **context)


def _same_as_nhsuk(bound: forms.BoundField, nhsuk: str) -> str:
    """Our ``field()`` for the bound field, checked equal to the NHS.UK macro's ``nhsuk`` markup."""
    html = _render('{% from "forms/fields.jinja" import field %}{{ field(f) }}', bound)
    assert _normal(html) == _normal(nhsuk)
    assert "<script>" not in html
    return html


def _nhsuk_select(bound: forms.BoundField) -> str:
    return _render(
        '{% from "nhsuk/components/select/macro.jinja" import select %}'
        '{{ select({"id": f.id_for_label, "name": f.html_name, "label": {"text": f.label},'
        ' "hint": {"text": f.help_text} if f.help_text else None,'
        ' "errorMessage": {"text": f.errors | join(" ")} if f.errors else None,'
        ' "items": choice_items(f)}) }}',
        bound,
    )


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
    bound = form[name]
    ours = _same_as_nhsuk(bound, _nhsuk_select(bound))
    chosen = str(bound.value() or "")
    assert ours.count(" selected") == sum(str(value) == chosen for value, _ in bound.field.choices)
    described = [f"id_{name}-hint"] if bound.help_text else []
    described += [f"id_{name}-error"] if bound.errors else []
    if described:
        assert f'aria-describedby="{" ".join(described)}"' in ours
    else:
        assert "aria-describedby" not in ours


class Type(forms.Form):
    q = forms.CharField(label="Search by name", required=False, max_length=100)
    pcn = forms.CharField(label="PCN code", max_length=6, help_text="For example, U12345")
    email = forms.EmailField(label="Email address")
    count = forms.IntegerField(label="Places", widget=forms.NumberInput(attrs={"autocomplete": "off"}))
    when = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(label="Password", widget=forms.PasswordInput)


def _nhsuk_input(bound: forms.BoundField) -> str:
    kind = field_kind(bound)
    return _render(
        '{% from "nhsuk/components/input/macro.jinja" import input %}'
        '{{ input({"id": f.id_for_label, "name": f.html_name, "label": {"text": f.label},'
        ' "hint": {"text": f.help_text} if f.help_text else None,'
        ' "errorMessage": {"text": f.errors | join(" ")} if f.errors else None,'
        ' "type": kind, "value": f.value() or "", "attributes": length_limit(f),'
        ' "autocomplete": f.field.widget.attrs.get("autocomplete") or ("email" if kind == "email" else None),'
        ' "spellcheck": False if kind == "email" else None}) }}',
        bound,
        kind=kind,
    )


@pytest.mark.parametrize("name", list(Type.base_fields))
@pytest.mark.parametrize(
    "data",
    [
        None,  # unbound
        {
            "q": HOSTILE,
            "pcn": "U12345",
            "email": "a@b.nhs.uk",
            "count": "3",
            "when": "2027-01-14",
            "secret": "x",
        },
        {
            "q": "",
            "pcn": "",
            "email": "not an email",
            "count": "many",
            "when": "soon",
            "secret": "",
        },  # errors
        {
            "q": "x" * 101,
            "pcn": "U1234567",
            "email": "",
            "count": "",
            "when": "",
            "secret": HOSTILE,
        },  # too long
    ],
)
def test_the_hand_written_input_is_the_nhsuk_macros_markup(data, name):
    form = Type(data)
    form.is_valid()
    _same_as_nhsuk(form[name], _nhsuk_input(form[name]))
