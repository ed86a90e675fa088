"""The summary list written out in Python (``core.components``) must stay the NHS.UK summary list:
the same markup as the macro for every shape the pages pass, and the macro itself for any other."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from markupsafe import Markup

from gpvoice.core.components import plain_summary_list

HOSTILE = '<script>alert("x")</script> & =HYPERLINK("y") \x00'

PLAIN = [
    {"rows": [{"key": {"text": "Method"}, "value": {"text": "Yes or no"}}]},
    {"rows": [{"key": {"text": "Closes"}, "value": {"html": Markup('<a href="/x">3 <b>May</b></a>')}}]},
    {"rows": [{"key": {"text": HOSTILE}, "value": {"text": HOSTILE}}]},
    {"rows": [{"key": "Plain key", "value": "  plain value, trimmed  "}]},
    {"rows": [{"key": "Markup key", "value": Markup("<em>as HTML</em>")}]},
    {
        "rows": [
            {"key": {"text": "Count"}, "value": {"text": 12}},
            {"key": {"text": "None"}, "value": {"text": 0}},
        ]
    },
    {"rows": [{"key": {"text": "No value"}}, {"key": {"text": "Empty"}, "value": {"text": ""}}]},
    {"rows": [("a tuple", "is not a row"), {"key": {"text": "Kept"}, "value": {"text": "row"}}]},
    {"rows": []},
    {"rows": [{"key": {"text": "Line one\nline two"}, "value": {"html": Markup("<p>One</p>\n<p>Two</p>")}}]},
]
OTHER = [
    {
        "rows": [
            {
                "key": {"text": "Name"},
                "value": {"text": "A"},
                "actions": {"items": [{"href": "#", "text": "Change"}]},
            }
        ]
    },
    {"rows": [{"key": {"text": "Name"}, "value": {"text": "A"}}], "classes": "nhsuk-summary-list--no-border"},
    {"rows": [{"key": {"text": "Name", "classes": "wide"}, "value": {"text": "A"}}]},
    {"rows": [{"key": {"text": "Name"}, "value": {"text": "A"}, "border": False}]},
]


def _normal(html: str) -> str:
    """Whitespace between and inside tags is not markup: compare what is left."""
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s*>\s*", ">", html)
    return re.sub(r"\s*<\s*", "<", html).strip()


def _render(source: str, params: dict) -> str:
    return engines["jinja2"].env.from_string(source).render(params=params)


OURS = '{% from "components/summary_list.jinja" import summaryList %}{{ summaryList(params) }}'
NHSUK = '{% from "nhsuk/components/summary-list/macro.jinja" import summaryList %}{{ summaryList(params) }}'


@pytest.mark.parametrize("params", PLAIN)
def test_plain_rows_are_written_out_as_the_macro_writes_them(params):
    assert plain_summary_list(params) is not None
    ours = _render(OURS, params)
    assert _normal(ours) == _normal(_render(NHSUK, params))
    assert "<script>" not in ours


@pytest.mark.parametrize("params", OTHER)
def test_any_other_shape_goes_to_the_macro(params):
    assert plain_summary_list(params) is None
    assert _normal(_render(OURS, params)) == _normal(_render(NHSUK, params))
