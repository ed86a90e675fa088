"""Production only tightens base: HTTPS everywhere, secure cookies, HSTS."""

from .base import *  # noqa: F403
from .env import env_bool, env_int

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Demo data is never installed in production.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "gpvoice.nonprod"]  # noqa: F405
