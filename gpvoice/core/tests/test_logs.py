"""One JSON line per request, through the handler LOGGING configures: the fields an operator needs,
and no path, token, query string or email."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Callable, Iterator

import pytest

from gpvoice.core.logs import JsonFormatter, WithholdPaths, log_context, log_event, request_id_from
from gpvoice.core.models import Role

Lines = Callable[[], list[dict[str, object]]]


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    """What the configured console handler writes, parsed line by line."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter))
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        handler.setStream(previous)


def _request_lines(lines: list[dict[str, object]]) -> list[dict[str, object]]:
    return [line for line in lines if line["logger"] == "gpvoice.request"]


@pytest.mark.django_db
def test_a_signed_in_request_logs_one_line_with_user_group_route_status_and_duration(
    client, personas, group, log_lines
):
    user = personas[Role.CORE]
    client.force_login(user)
    response = client.get(f"/g/{group.slug}/")
    assert response.status_code == 200
    [line] = _request_lines(log_lines())
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert len(str(line["request_id"])) == 32  # a fresh uuid4, as no id was sent
    assert {k: line[k] for k in ("user_id", "group", "method", "route", "status", "level")} == {
        "user_id": user.pk,
        "group": "northvale",
        "method": "GET",
        "route": "core:group_home",
        "status": 200,
        "level": "INFO",
    }
    assert isinstance(line["duration_ms"], float) and 0 < line["duration_ms"] < 60_000
    assert str(line["time"]).endswith("+00:00")


@pytest.mark.django_db
def test_an_invitation_token_query_string_and_email_never_reach_the_log(client, log_lines):
    token = "Zq7-secret-invitation-token-4242"
    response = client.get(f"/invitations/{token}/?email=someone@practice.example.nhs.uk&next=/x")
    assert response.status_code in {404, 410}
    text = json.dumps(log_lines())
    assert (
        token not in text and "someone@" not in text and "email=" not in text and "/invitations" not in text
    )
    [line] = _request_lines(log_lines())
    assert line["route"] == "accounts:invitation_accept" and line["user_id"] is None
    # Django's own warning ("Gone: /invitations/<token>/") keeps its reason and loses the path.
    django_lines = [line for line in log_lines() if line["logger"] == "django.request"]
    assert django_lines and all(str(line["message"]).endswith("[path withheld]") for line in django_lines)


@pytest.mark.django_db
def test_a_path_that_matches_no_route_is_logged_without_it(client, log_lines):
    response = client.get("/no-such-page/secret-ish-segment")
    assert response.status_code == 404
    [line] = _request_lines(log_lines())
    assert line["route"] is None and line["status"] == 404
    assert "secret-ish-segment" not in json.dumps(log_lines())


@pytest.mark.django_db
def test_a_sane_request_id_from_the_proxy_is_kept_and_echoed(client, log_lines):
    response = client.get("/health", headers={"X-Request-ID": "lb-2f9c.77_A"})
    assert response.headers["X-Request-ID"] == "lb-2f9c.77_A"
    assert _request_lines(log_lines())[0]["request_id"] == "lb-2f9c.77_A"


@pytest.mark.parametrize(
    "header",
    ["", "has space", 'quote"d', "x" * 65, "line\nbreak", "-leading-dash", "émoji", "a/b", "<script>"],
)
def test_an_insane_request_id_is_replaced_by_a_fresh_one(header):
    replaced = request_id_from(header)
    assert replaced != header and len(replaced) == 32 and replaced.isalnum()


def test_request_id_boundaries():
    assert request_id_from("x" * 64) == "x" * 64  # the longest kept
    assert request_id_from("a") == "a"
    assert request_id_from(None) != request_id_from(None)


@pytest.mark.django_db
def test_static_files_are_logged_as_static_without_their_name(client, log_lines):
    response = client.get("/assets/images/favicon.ico")
    assert response.status_code == 200 and response.headers["X-Request-ID"]
    [line] = _request_lines(log_lines())
    assert line["route"] == "static" and "favicon" not in json.dumps(line)


def test_log_event_writes_its_fields_and_the_context_on_one_line(log_lines):
    with log_context(task_id="t-1"):
        log_event("task", task="ballot_clock", status="done", duration_ms=12.5)
    log_event("outside")
    inside, outside = log_lines()
    assert inside == {
        "time": inside["time"],
        "level": "INFO",
        "logger": "gpvoice.event",
        "message": "task",
        "task_id": "t-1",
        "task": "ballot_clock",
        "status": "done",
        "duration_ms": 12.5,
    }
    assert "task_id" not in outside


def test_an_exception_is_logged_on_the_same_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line and "ValueError: boom" in json.loads(line)["exception"]


def test_withhold_paths_leaves_other_records_alone():
    record = logging.getLogger("x").makeRecord("x", logging.INFO, __file__, 1, "%s: %s", ("a", "/b"), None)
    assert WithholdPaths().filter(record) and record.getMessage() == "a: /b"
