"""Serve the NHS.UK frontend's compiled files at /assets/, where its CSS expects its images."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.static import serve

from .permissions import public


@public
def nhsuk_asset(request: HttpRequest, path: str) -> FileResponse | HttpResponse:
    # Compiled CSS/JS sit at dist/nhsuk/, images and icons at dist/nhsuk/assets/.
    for root in (settings.NHSUK_DIST / "assets", settings.NHSUK_DIST):
        if (root / path).is_file():
            response = serve(request, path, document_root=str(root))
            response.headers["Cache-Control"] = "public, max-age=86400"
            return response
    raise Http404("No such asset")
