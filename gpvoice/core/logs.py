"""Logs an operator can use: one JSON object per line, one line per request, nothing personal.

A request's line names the route (``core:group_home``), never the URL: invitation tokens and other
secrets travel in paths, and query strings carry search terms and emails. The same goes for every
other line: Django's own "Not Found: /path" warnings keep their reason and lose the path.
Tasks and commands log the same way through ``log_event``; lines written while a request is being
served carry its request id.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

LogValue = str | int | float | bool | None
REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's request id is kept when it is a plain token; anything else could be used to forge lines.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_context: ContextVar[dict[str, LogValue] | None] = ContextVar("gpvoice_log_context", default=None)

request_logger = logging.getLogger("gpvoice.request")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the record's fields and the context."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_context.get() or {})
        line.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class WithholdPaths(logging.Filter):
    """Django's own lines end with the raw path ("Not Found: /invitations/<token>/"); it is withheld.

    Django passes the request with each such line (``django.utils.log.log_response``) and the path
    as an argument, escaped; any argument equal to the path is replaced.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(record.args, tuple) and isinstance(request, HttpRequest):
            paths = {request.path, request.path.encode("unicode_escape").decode("ascii")}
            record.args = tuple(
                WITHHELD if isinstance(arg, str) and arg in paths else arg for arg in record.args
            )
        return True


WITHHELD = "[path withheld]"


@contextmanager
def log_context(**fields: LogValue) -> Iterator[None]:
    """Add fields (e.g. a task id) to every line logged inside the block."""
    token = _context.set({**(_context.get() or {}), **fields})
    try:
        yield
    finally:
        _context.reset(token)


def log_event(
    message: str, /, *, logger: str = "gpvoice.event", level: int = logging.INFO, **fields: LogValue
) -> None:
    """One JSON line with these fields, e.g. ``log_event("task", task="ballot_clock", status="done",
    duration_ms=12)``. Pass ids and counts, never emails, names, tokens or URLs."""
    logging.getLogger(logger).log(level, message, extra={"fields": fields})


def request_id_from(header: str | None) -> str:
    if header and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Gives each request an id (echoed in X-Request-ID) and logs one line when it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        with log_context(request_id=request_id):
            response = self.get_response(request)
            response.headers[REQUEST_ID_HEADER] = request_id
            request_logger.info(
                "request",
                extra={"fields": _request_fields(request, response, time.perf_counter() - started)},
            )
        return response


def _request_fields(request: HttpRequest, response: HttpResponseBase, seconds: float) -> dict[str, LogValue]:
    from .middleware import loaded_user  # the middleware module imports nothing from here

    user = loaded_user(request)
    group = getattr(request, "group", None)
    match = request.resolver_match
    if match is not None:
        route: str | None = match.view_name
    elif request.path_info.startswith(settings.STATIC_URL):
        route = "static"
    else:
        route = None  # no route matched (a 404): the path itself is never logged
    return {
        # Only when the request already looked the user up: logging never costs a session query.
        "user_id": getattr(user, "pk", None),
        "group": getattr(group, "slug", None),
        "method": request.method if request.method in _METHODS else "other",
        "route": route,
        "status": response.status_code,
        "duration_ms": round(seconds * 1000, 1),
    }


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
