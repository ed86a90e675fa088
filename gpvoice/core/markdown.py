"""Markdown that officers write (bulletins, briefings, report-backs), made safe to show and send.

CommonMark through markdown-it-py with raw HTML switched off, then cleaned by nh3 (the Rust
``ammonia`` sanitiser) to an allow-list of tags, so that hostile input is inert twice over: in
the page, in the email's HTML part and anywhere else the HTML goes.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"https", "http", "mailto"}


def render(text: str) -> Markup:
    """The HTML of ``text``: links keep only http(s) and mailto, and open nothing but the page."""
    rendered = _PARSER.render(text or "")
    # A top-level heading belongs to the page: `# Title` in a bulletin becomes a second-level one.
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        rendered,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above


def plain(text: str) -> str:
    """The words of ``text`` without markup, for a plain-text email part or a summary."""
    return html.unescape(nh3.clean(_PARSER.render(text or ""), tags=set())).strip()
