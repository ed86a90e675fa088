"""The production stack on one machine over plain http, for `make serve` and `make demo`.

DEBUG is off, so pages, error pages (the NHS.UK 404) and static files are what a deployment serves;
but cookies are not marked secure and nothing redirects to https, so http://127.0.0.1:8000 works.
Emails go to the console (the sign-in code appears in the server's terminal), which is why
`gpvoice check --deploy` refuses these settings: they are never for a real deployment.
"""

import os
import secrets
from pathlib import Path

_KEY_FILE = Path(__file__).resolve().parents[3] / "var" / "demo-secret-key"


def _demo_secret_key() -> str:
    """A random key kept in var/ so that sessions survive a restart of the demo."""
    if not _KEY_FILE.is_file():
        _KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        _KEY_FILE.write_text(secrets.token_urlsafe(50))
    return _KEY_FILE.read_text().strip()


os.environ.setdefault("SECRET_KEY", _demo_secret_key())
os.environ.setdefault("DEBUG", "false")

from .base import *  # noqa: E402, F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
