"""The glance sections' tables are written out by hand for speed; they must stay the NHS.UK table."""

from __future__ import annotations

import re

import pytest
from django.template import engines

CASES = [
    ("By PCN", "s", ["PCN", "Practices", "Share"], [["North & <Vale>", "12", "50.0%"], ["", "0", "–"]]),
    ("", "m", ["Ballot"], [["“Quoted” title"]]),
    ("Nothing yet", "s", ["A", "B"], []),
    ('=HYPERLINK("x")', "s", ["<script>alert(1)</script>"], [["\x00 NUL", "&amp;"]]),
]


def _normal(html: str) -> str:
    """Whitespace between and inside tags is not markup: compare what is left."""
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s*>\s*", ">", html)
    return re.sub(r"\s*<\s*", "<", html).strip()


@pytest.mark.parametrize(("caption", "size", "head", "rows"), CASES)
def test_the_hand_written_table_is_the_nhsuk_macros_markup(caption, size, head, rows):
    env = engines["jinja2"].env
    table = {
        "caption": caption,
        "head": [{"text": h} for h in head],
        "rows": [[{"text": c} for c in row] for row in rows],
    }
    nhsuk = env.from_string(
        '{% from "nhsuk/components/tables/macro.jinja" import table %}'
        '{{ table({"caption": t.caption, "captionSize": size, "head": t.head, "rows": t.rows,'
        ' "responsive": false}) }}'
    ).render(t=table, size=size)
    ours = env.from_string(
        '{% from "glance/_sections.jinja" import data_table %}{{ data_table(t, "label", size) }}'
    ).render(t=table, size=size)
    inner = re.search(r"<table.*</table>", ours, re.S)
    assert inner is not None
    assert _normal(inner.group(0)) == _normal(nhsuk)
    if any("<script>" in h for h in head):
        assert "<script>" not in ours and "&lt;script&gt;" in ours
    label = caption or "label"
    assert f'aria-label="{env.from_string("{{ x }}").render(x=label)}"' in ours
