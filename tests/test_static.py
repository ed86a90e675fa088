"""Everything a page loads comes through WhiteNoise after `collectstatic`: hashed, compressed, cached
for a year, with the NHS.UK CSS's image URLs and our script's import rewritten to the hashed names."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

from gpvoice.core.assets import NhsukFrontendFinder, stylesheet_without_remote_fonts

PRODUCTION_STATIC = {
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "gpvoice.core.assets.StaticFilesStorage"},
    },
    "WHITENOISE_USE_FINDERS": False,
    "WHITENOISE_AUTOREFRESH": False,
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, **PRODUCTION_STATIC):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def _manifest(root: Path) -> dict[str, str]:
    return json.loads((root / "staticfiles.json").read_text())["paths"]


def test_collectstatic_hashes_and_compresses_what_the_pages_load(collected):
    paths = _manifest(collected)
    for name in ("nhsuk-frontend.min.css", "nhsuk-frontend.min.js", "gpvoice/init.js", "images/favicon.ico"):
        assert paths[name] != name, f"{name} is hashed"
        assert (collected / paths[name]).is_file()
    assert (collected / (paths["nhsuk-frontend.min.css"] + ".gz")).is_file()


def test_the_collected_stylesheet_points_at_hashed_images_and_loads_no_remote_font(collected):
    paths = _manifest(collected)
    css = (collected / paths["nhsuk-frontend.min.css"]).read_text()
    assert f'url("/assets/{paths["images/nhsuk-icon-cross.svg"]}")' in css
    assert "https://" not in css and "@font-face" not in css and "sourceMappingURL" not in css
    script = (collected / paths["gpvoice/init.js"]).read_text()
    assert f'from "/assets/{paths["nhsuk-frontend.min.js"]}"' in script


@pytest.mark.django_db
def test_pages_link_hashed_files_that_whitenoise_serves_with_a_long_cache(collected):
    with override_settings(STATIC_ROOT=collected, **PRODUCTION_STATIC):
        client = Client()
        page = client.get("/accounts/login/").content.decode() + client.get("/no-such-page").content.decode()
        paths = _manifest(collected)
        for name in ("nhsuk-frontend.min.css", "gpvoice/init.js"):
            url = f"/assets/{paths[name]}"
            assert f'"{url}"' in page, f"{name} is linked by its hashed name"
            response = client.get(url, headers={"Accept-Encoding": "gzip"})
            assert response.status_code == 200
            assert "immutable" in response.headers["Cache-Control"]
            body = b"".join(response.streaming_content)
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            assert body == (collected / paths[name]).read_bytes()
        css = client.get(f"/assets/{paths['nhsuk-frontend.min.css']}", headers={"Accept-Encoding": "gzip"})
        assert css.headers["Content-Encoding"] == "gzip"  # init.js is too small to be worth it
        # The CSS asks for images by absolute /assets/ paths; the unhashed names are served too.
        assert client.get("/assets/images/nhsuk-icon-cross.svg").status_code == 200
        assert client.get("/assets/../pyproject.toml").status_code == 404


def test_the_finder_lists_only_the_files_pages_use():
    finder = NhsukFrontendFinder()
    names = {name for name, _ in finder.list(None)}
    assert {"nhsuk-frontend.min.css", "nhsuk-frontend.min.js", "manifest.json", "images/favicon.ico"} <= names
    assert not {n for n in names if n.endswith((".scss", ".mjs", ".njk"))}
    assert finders.find("nhsuk-frontend.min.css") == finder.find("nhsuk-frontend.min.css")
    assert finder.find("../package.json") is None and finder.find("index.scss", find_all=True) == []


def test_remote_font_faces_and_the_stale_source_map_are_dropped():
    css = (
        "a{color:red}@font-face{font-family:Frutiger;src:url(https://assets.nhs.uk/f.woff2)}"
        "@font-face{font-family:Local;src:url(/assets/f.woff2)}b{x:y}\n/*# sourceMappingURL=x.css.map */"
    )
    assert stylesheet_without_remote_fonts(css) == (
        "a{color:red}@font-face{font-family:Local;src:url(/assets/f.woff2)}b{x:y}\n"
    )


def test_the_stylesheet_is_rewritten_when_the_package_is_newer(tmp_path):
    from gpvoice.core.assets import STYLESHEET, build_stylesheet

    dist, build = tmp_path / "dist", tmp_path / "build"
    dist.mkdir()
    (dist / STYLESHEET).write_text("a{b:c}@font-face{src:url(https://x.example/f.woff)}")
    built = build_stylesheet(dist, build)
    assert built.read_text() == "a{b:c}"
    (dist / STYLESHEET).write_text("d{e:f}")
    os.utime(dist / STYLESHEET, (built.stat().st_mtime + 10,) * 2)
    assert build_stylesheet(dist, build).read_text() == "d{e:f}"
    assert [p.name for p in build.iterdir()] == [STYLESHEET], "no partial file left behind"
