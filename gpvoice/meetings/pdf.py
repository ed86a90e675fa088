"""The meeting pack as a PDF: the printable pack page's HTML, laid out by WeasyPrint.

Nothing is fetched from the network: the fetcher serves only our own static files (the stylesheets the
page links to and the images they name) from this machine, and refuses every other address, so a
remote font or image in a stylesheet (or a link someone typed into a title) is simply left out.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint narrates each step at INFO and warns about every screen-only CSS rule of the NHS.UK
# stylesheet: neither is news for the service's logs, so only its errors are kept.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

# Read by the PDF's layout only: a page of A4 with the page numbers in its footer.
PRINT_CSS = """
@page { size: A4; margin: 18mm 15mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); } }
.gpv-no-print, .nhsuk-u-visually-hidden, .nhsuk-header, .nhsuk-footer, .nhsuk-skip-link,
.nhsuk-breadcrumb, .nhsuk-back-link { display: none; }
"""


def static_file(url: str) -> Path | None:
    """The local file behind one of our static URLs, or None: never anything outside the static files."""
    parts = urlsplit(url)
    prefix = settings.STATIC_URL
    if parts.scheme not in {"http", "https"} or not parts.path.startswith(prefix):
        return None
    name = unquote(parts.path[len(prefix) :])
    if not name or "\x00" in name or ".." in Path(name).parts:
        return None
    try:
        if staticfiles_storage.exists(name):  # the collected (hashed) copy, as served
            return Path(staticfiles_storage.path(name))
    except Exception:  # noqa: BLE001 - a name the storage refuses is not ours to serve
        return None
    found = finders.find(name)  # before collectstatic (development and tests): the source copy
    return Path(found) if isinstance(found, str) else None


class LocalStaticFetcher(URLFetcher):
    """Serves our static files from disk; every other address is refused (no network, no file://)."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = static_file(url)
        if path is None or not path.is_file():
            raise ValueError(f"Only the service's own static files are used in a PDF, not {url[:100]}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def pack_pdf(html: str, *, base_url: str) -> bytes:
    """The pack page's HTML as PDF bytes."""
    fetcher = LocalStaticFetcher()
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[CSS(string=PRINT_CSS, url_fetcher=fetcher)]))
