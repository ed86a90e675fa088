"""Production only tightens base: HTTPS everywhere, secure cookies, HSTS."""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)


def _proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """The header the TLS proxy sets to `https` (and overwrites when a client sends it)."""
    if not name:
        return None  # no proxy: gunicorn terminates TLS itself
    return ("HTTP_" + name.upper().replace("-", "_"), "https")


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto"))

# Demo data is never installed in production.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "gpvoice.nonprod"]  # noqa: F405
