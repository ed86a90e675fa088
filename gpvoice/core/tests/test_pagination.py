from django.test import RequestFactory

from gpvoice.core.pagination import PAGE_SIZE, page_caption, page_links, page_of


def _page(query: str, items: int):
    request = RequestFactory().get(f"/g/northvale/people/{query}")
    return request, page_of(list(range(items)), request)


def test_a_list_that_fits_on_one_page_has_no_links():
    request, page = _page("", PAGE_SIZE)  # exactly one full page
    assert page_links(page, request) is None
    assert page_caption(page, "people") == "50 people"


def test_one_more_than_a_page_makes_a_second_page():
    request, page = _page("", PAGE_SIZE + 1)
    links = page_links(page, request, label="Pages of people")
    assert links == {
        "ariaLabel": "Pages of people",
        "previous": None,
        "next": {"href": "?page=2", "labelText": "Page 2 of 2"},
    }
    assert page_caption(page, "people") == "51 people, 1 to 50 shown"


def test_links_keep_the_other_parameters_and_the_anchor():
    request, page = _page("?sort=role&page=2", 1200)
    links = page_links(page, request, anchor="#people")
    assert links is not None
    assert links["previous"] == {"href": "?sort=role&page=1#people", "labelText": "Page 1 of 24"}
    assert links["next"] == {"href": "?sort=role&page=3#people", "labelText": "Page 3 of 24"}
    assert page_caption(page, "people") == "1,200 people, 51 to 100 shown"


def test_a_page_past_the_end_is_the_last_and_junk_is_the_first():
    assert _page("?page=999", 120)[1].number == 3
    assert _page("?page=abc", 120)[1].number == 1
    assert _page("?page=-1", 120)[1].number == 3  # Django's get_page: out of range is the last page
