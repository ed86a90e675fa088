"""Pages of a long list: one page's rows from the database, and NHS.UK pagination links.

A page shows at most ``PAGE_SIZE`` rows whatever the size of the list (tests/test_size_independence.py
walks every route at two sizes to hold this). The links keep the page's other query parameters (a
filter, a sort) and work without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property

PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator told its count (a stored figure, or a cheaper query than counting the page's
    own joins) instead of counting the rows it pages through."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known


def page_of(items: Any, request: HttpRequest, *, per_page: int = PAGE_SIZE, param: str = "page") -> Page:
    """The page the request asks for (``?page=``); the last page for a number past the end, the
    first for anything that is not a number. ``items`` must be ordered."""
    return Paginator(items, per_page).get_page(request.GET.get(param))


def page_links(
    page: Page, request: HttpRequest, *, label: str = "Pages", param: str = "page", anchor: str = ""
) -> dict[str, Any] | None:
    """Parameters for the NHS.UK ``pagination`` macro, or None when everything fits on one page."""
    if not page.has_other_pages():
        return None
    pages = page.paginator.num_pages

    def link(number: int) -> dict[str, str]:
        query = request.GET.copy()
        query[param] = str(number)
        return {"href": f"?{query.urlencode()}{anchor}", "labelText": f"Page {number} of {pages}"}

    return {
        "ariaLabel": label,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "next": link(page.next_page_number()) if page.has_next() else None,
    }


def page_caption(page: Page, noun: str) -> str:
    """'120 people' on one page; '1,200 people, 51 to 100 shown' when there are more pages."""
    total = page.paginator.count
    if not page.has_other_pages():
        return f"{total:,} {noun}"
    return f"{total:,} {noun}, {page.start_index():,} to {page.end_index():,} shown"
