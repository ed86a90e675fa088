"""The signed-in floor: middleware that runs on every response (the request log, the no-store
header) never loads the session or the user itself. A response that does not need them is answered
without either query; one that does is still marked no-store and logged with its user."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gpvoice.core.models import Role


def _tables(queries: CaptureQueriesContext) -> str:
    return " ".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_health_with_a_session_cookie_reads_neither_session_nor_user(client, personas):
    client.force_login(personas[Role.CORE])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
    assert "Cache-Control" not in response.headers  # nothing personal in it


@pytest.mark.django_db
def test_a_page_that_reads_the_user_is_still_no_store_and_logged_with_them(client, personas, group):
    client.force_login(personas[Role.CORE])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core:group_home", args=[group.slug]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    sql = _tables(queries)
    # The view's own lookup: the session once, the user once (not again for the middleware).
    assert sql.count('FROM "django_session"') == 1 and sql.count('FROM "accounts_user"') == 1


@pytest.mark.django_db
def test_a_signed_out_page_is_not_no_store(client):
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_session_with_a_user_read_by_the_view_alone_is_no_store(rf, personas):
    """A view that reads the session but not ``request.user`` (a form wizard, say) is personal too."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpResponse

    from gpvoice.core.middleware import SecurityHeadersMiddleware

    session = SessionStore()
    session[SESSION_KEY] = str(personas[Role.CORE].pk)
    session.save()

    def view(request):
        request.session.get("wizard")
        return HttpResponse("ok")

    request = rf.get("/")
    request.session = SessionStore(session.session_key)
    assert SecurityHeadersMiddleware(view)(request)["Cache-Control"] == "no-store"
    untouched = rf.get("/")
    untouched.session = SessionStore(session.session_key)
    assert "Cache-Control" not in SecurityHeadersMiddleware(lambda r: HttpResponse("ok"))(untouched)
