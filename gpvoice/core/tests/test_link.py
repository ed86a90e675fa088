"""``link``, the templates' fast ``url`` for table rows, gives exactly Django's ``reverse``: the same
path for every value, and the same refusal for a value the route does not take."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from gpvoice.config.jinja2_env import link

VALUES = ["A81001", "U12345", "12", "0", "a b", "Ä1", "A&B", "x/y", "50%", "", "7051926384", "Q7051926384"]
ROUTES = [
    ("directory:practice", ("northvale",)),  # <str:practice_code>
    ("directory:pcn", ("north-vale",)),  # <str:pcn_code>
    ("directory:organisation", ("northvale",)),  # <int:org_id>: digits only
    ("directory:person", ("northvale",)),  # <int:person_id>
]


def _reverse(name, args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return NoReverseMatch


def _link(name, args):
    try:
        return link(name, *args)
    except NoReverseMatch:
        return NoReverseMatch


@pytest.mark.parametrize(("name", "fixed"), ROUTES)
@pytest.mark.parametrize("value", [*VALUES, 7, 1234567890123])
def test_link_is_reverse(name, fixed, value):
    assert _link(name, [*fixed, value]) == _reverse(name, [*fixed, value])


def test_link_follows_the_script_prefix():
    """Behind a proxy at /gpvoice/, links carry the prefix, as reverse's do."""
    set_script_prefix("/gpvoice/")
    try:
        assert link("directory:practice", "northvale", "A81001") == reverse(
            "directory:practice", args=["northvale", "A81001"]
        )
        assert link("directory:practice", "northvale", "A81001").startswith("/gpvoice/")
    finally:
        set_script_prefix("/")
