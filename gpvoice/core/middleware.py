"""Security headers: a strict CSP with no third-party hosts, and no-store on private pages."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.contrib.auth import SESSION_KEY
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import empty

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The design system's one inline script (it marks the body as js-enabled) carries this nonce.
        request.csp_nonce = secrets.token_urlsafe(16)  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP.format(nonce=request.csp_nonce))  # type: ignore[attr-defined]
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if answered_for_someone(request):
            response.headers["Cache-Control"] = "no-store"
        return response


def loaded_user(request: HttpRequest) -> object | None:
    """The signed-in user when something in this request already looked them up, else None.

    ``request.user`` is lazy (Django's AuthenticationMiddleware): reading it costs a session and a
    user query. Middleware that runs on every response (the request log, the no-store header) asks
    here instead, so a response that never needed the user (``/health``, a redirect, a static
    file) is answered without either query.
    """
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # a SimpleLazyObject until evaluated
    if wrapped is empty:
        return None
    return wrapped if getattr(wrapped, "is_authenticated", False) else None


def answered_for_someone(request: HttpRequest) -> bool:
    """Whether this response may show what is someone's: it read the signed-in user, or read a
    session that holds one. Such a response is never stored by a browser or proxy (no-store)."""
    if loaded_user(request) is not None:
        return True
    session = request.__dict__.get("session")
    # A session that was read is already loaded, so this costs no query; an unread one is not read.
    return bool(session is not None and session.accessed and SESSION_KEY in session)


# No code, id, slug or token in our URLs comes near this length; a longer segment names nothing.
MAX_SEGMENT = 1000


def path_names_nothing(path: str) -> bool:
    """Text that no record's key can hold: a NUL or other control character, a lone surrogate,
    or a segment longer than ``MAX_SEGMENT``. PostgreSQL refuses NUL in text and the file system
    refuses it in paths, so such a parameter would otherwise reach them as a 500."""
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in path):
        return True
    return any(len(segment) > MAX_SEGMENT for segment in path.split("/"))


def _not_utf8(request: HttpRequest) -> bool:
    """A path whose bytes are not UTF-8 (an encoded lone surrogate, say). Django keeps such bytes
    percent-encoded in ``path_info``, so they would reach the view as literal text."""
    try:
        unquote_to_bytes(request.path_info).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


class InvalidPathMiddleware:
    """A URL parameter that names nothing is a 404 on every route, before any view or query.

    One place instead of a check in each view or selector (issue 9, item 10). It runs after the
    authentication middleware because the 404 page shows who is signed in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if path_names_nothing(request.path_info) or _not_utf8(request):
            raise Http404("No such page")
        return self.get_response(request)


class SharedCacheDownMiddleware:
    """Sign-in rate limits live in the shared cache (Redis, REDIS_URL). When it does not answer, a
    request that needed it is refused with a 503 and a clear page, never let through unlimited
    (the limits fail closed) and never a 500. Pages that do not use the cache go on serving."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not cache_unreachable(exception):
            return None
        import logging

        from .logs import log_event

        log_event("shared cache unreachable", level=logging.WARNING, error=type(exception).__name__)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "60"
        return response


def cache_unreachable(error: BaseException) -> bool:
    """Whether this is the Redis client failing to reach its server (refused, reset, timed out)."""
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is a dependency; no client, no such failure
        return False
    return isinstance(error, RedisConnectionError | RedisTimeoutError)
