"""Bad text in a URL parameter is a 404 on every route, never a 500 (issue 9, item 10).

Walks every route in the URL configuration (so a new one is covered) and puts hostile text in
each of its parameters in turn: a NUL byte (PostgreSQL refuses it in text, the file system in a
path), other control characters, bytes that are not UTF-8 (an encoded lone surrogate), a
10,000-character string and numbers too big for any database integer. The fix is one middleware
(core.middleware.InvalidPathMiddleware), not a check in each view.
"""

from __future__ import annotations

import re

import pytest

from gpvoice.core.middleware import MAX_SEGMENT
from gpvoice.core.models import Role

from .test_authorisation import OWN_ROUTES, SAMPLE_ARGS, _samples
from .test_object_level import _params, _state

HOSTILE = {
    "nul": "%00",
    "nul inside": "Z9%000",
    "control": "a%1Fb",
    "lone surrogate": "%ED%A0%80",
    "not utf-8": "%FF%FE",
    "huge": "x" * 10_000,
    "huge number": "9" * 10_000,
}
# Numbers that match <int:...> but fit no database integer: a 404, like any id that names nothing.
OVERFLOW = {"above bigint": str(2**63), "far above": "9" * 40}

ROUTES = [(r, cb) for r, cb in OWN_ROUTES if _params(r)]


def _url(route: str, values: dict[str, object]) -> str:
    """The route with each parameter filled from ``values``, or from SAMPLE_ARGS when it is fixed."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return str(values.get(name, SAMPLE_ARGS[name]))

    route = route.lstrip("^").rstrip("$")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)", fill, route)


@pytest.mark.django_db(transaction=False)
def test_hostile_text_in_any_url_parameter_is_a_404_and_changes_nothing(
    client, group, personas, strong_login
):
    samples = _samples(group, personas)
    strong_login(client, personas[Role.ADMIN])
    before = _state()
    problems = []
    for route, _ in ROUTES:
        for name in _params(route):
            values = {**HOSTILE, **(OVERFLOW if f"<int:{name}>" in route else {})}
            for label, value in values.items():
                url = _url(route, {**samples, name: value})
                for method in (client.get, client.post):
                    status = method(url).status_code
                    # A public link's token is checked first: the sample token is no token (410).
                    refused = (404, 410) if "token" in _params(route) else (404,)
                    if status not in refused:
                        problems.append(f"{method.__name__.upper()} {route} with {label} in {name}: {status}")
    assert not problems, "\n".join(problems)
    assert _state() == before


@pytest.mark.django_db
def test_the_guard_leaves_ordinary_urls_alone(client, group, personas):
    client.force_login(personas[Role.CORE])
    assert client.get(f"/g/{group.slug}/directory/practices/", {"q": "Surgery"}).status_code == 200
    long_but_fine = "x" * MAX_SEGMENT
    assert client.get(f"/g/{group.slug}/directory/practices/{long_but_fine}/").status_code == 404
    assert client.get("/assets/images/favicon.ico").status_code in (200, 404)


@pytest.mark.django_db
def test_a_nul_in_the_query_string_of_a_search_is_a_form_error_not_a_500(client, group, personas):
    client.force_login(personas[Role.CORE])
    response = client.get(f"/g/{group.slug}/directory/practices/", {"q": "a\x00b", "scope": "england"})
    assert response.status_code == 200 and "nhsuk-error-summary" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_or_hostile_api_address_answers_json(client):
    for path in ("/api/v1/no-such-operation", "/api/v1/groups/%1F/mandate", "/api/v1/groups/a%00b/ballots"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not Found"}, path
