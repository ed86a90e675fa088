"""Serve the NHS.UK frontend's compiled files at /assets/, where its CSS expects its images."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.static import serve

from .permissions import public

STYLESHEET = "nhsuk-frontend.min.css"
# The compiled CSS loads the Frutiger font from an NHS host. We make no third-party requests,
# so those rules are dropped and the design system's own fallback (Arial) applies.
_REMOTE_FONT_FACE = re.compile(r"@font-face\{[^}]*https?://[^}]*\}")


@lru_cache(maxsize=4)
def _stylesheet_without_remote_fonts(path: Path, mtime: float) -> bytes:
    return _REMOTE_FONT_FACE.sub("", path.read_text(encoding="utf-8")).encode()


@public
def nhsuk_asset(request: HttpRequest, path: str) -> FileResponse | HttpResponse:
    if path == STYLESHEET:
        css = settings.NHSUK_DIST / STYLESHEET
        response = HttpResponse(
            _stylesheet_without_remote_fonts(css, css.stat().st_mtime), content_type="text/css"
        )
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response
    # Images and icons sit at dist/nhsuk/assets/, compiled JS at dist/nhsuk/.
    for root in (settings.NHSUK_DIST / "assets", settings.NHSUK_DIST):
        if (root / path).is_file():
            served = serve(request, path, document_root=str(root))
            served.headers["Cache-Control"] = "public, max-age=86400"
            return served
    raise Http404("No such asset")
