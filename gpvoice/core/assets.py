"""The NHS.UK frontend's compiled files as static files, served by WhiteNoise under STATIC_URL (/assets/).

The frontend's CSS asks for its images at ``/assets/images/…`` (absolute), so STATIC_URL is ``/assets/``
and this finder puts the files the pages load at the root of that space: the stylesheet, the script
(with its source map), ``images/`` and the web manifest. ``collectstatic`` then hashes them and rewrites
the CSS's image URLs and our script's import to the hashed names.

The compiled CSS loads the Frutiger font from an NHS host. We make no third-party requests, so the
stylesheet is written once, without those rules (the design system falls back to Arial), into
``NHSUK_BUILD_DIR``; it is rewritten whenever the npm package's copy is newer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, overload

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.utils import matches_patterns
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

STYLESHEET = "nhsuk-frontend.min.css"
SCRIPT = "nhsuk-frontend.min.js"
_REMOTE_FONT_FACE = re.compile(r"@font-face\{[^}]*https?://[^}]*\}")
# The map describes the package's stylesheet, not the one written here, so the reference goes.
_SOURCE_MAP = re.compile(r"/\*# sourceMappingURL=[^*]*\*/\s*$")


def stylesheet_without_remote_fonts(css: str) -> str:
    return _SOURCE_MAP.sub("", _REMOTE_FONT_FACE.sub("", css))


def build_stylesheet(dist: Path, build_dir: Path) -> Path:
    """Write the stylesheet without remote fonts into build_dir, unless it is already up to date."""
    source, target = dist / STYLESHEET, build_dir / STYLESHEET
    if not target.is_file() or target.stat().st_mtime < source.stat().st_mtime:
        build_dir.mkdir(parents=True, exist_ok=True)
        partial = build_dir / f".{STYLESHEET}.{os.getpid()}"
        partial.write_text(stylesheet_without_remote_fonts(source.read_text(encoding="utf-8")), "utf-8")
        partial.replace(target)  # atomic: two processes starting together never see half a file
    return target


class NhsukFrontendFinder(BaseFinder):
    """Finds the NHS.UK frontend files the pages load, at the root of the static URL space."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dist: Path = settings.NHSUK_DIST
        build_dir: Path = settings.NHSUK_BUILD_DIR
        self.sources = {
            "assets": FileSystemStorage(location=dist / "assets"),  # images/…, manifest.json
            "dist": FileSystemStorage(location=dist),  # the compiled script and its map
            "build": FileSystemStorage(location=build_dir),  # the stylesheet, rewritten
        }
        self._dist_present = (dist / STYLESHEET).is_file()
        if self._dist_present:
            build_stylesheet(dist, build_dir)

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        if self._dist_present:
            return []
        return [
            Error(
                f"The NHS.UK frontend is not installed ({settings.NHSUK_DIST} has no {STYLESHEET}).",
                hint="Run `npm ci` (make setup does).",
                id="gpvoice.E100",
            )
        ]

    def _entries(self) -> Iterator[tuple[str, FileSystemStorage]]:
        if not self._dist_present:
            return
        yield STYLESHEET, self.sources["build"]
        yield SCRIPT, self.sources["dist"]
        yield f"{SCRIPT}.map", self.sources["dist"]
        yield "manifest.json", self.sources["assets"]
        for name in sorted(self.sources["assets"].listdir("images")[1]):
            yield f"images/{name}", self.sources["assets"]

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False) -> str | list[str] | None:
        for name, storage in self._entries():
            if name == path:
                found = storage.path(name)
                return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        for name, storage in self._entries():
            if not matches_patterns(name, list(ignore_patterns or [])):
                yield name, storage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed files; also rewrites ``import … from "/assets/…"`` in our ES modules."""

    support_js_module_import_aggregation = True
