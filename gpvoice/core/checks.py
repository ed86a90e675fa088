"""Deployment checks that fail, not warn: `gpvoice check --deploy` exits non-zero on any of these.

Each guards something that silently goes wrong in production: login codes printed to a log instead
of emailed, secret ballots sealed with a key derived from SECRET_KEY, rate limits counted per worker
process, and a guessable session-signing key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Backends that never deliver: login codes would land in a log, a file or nowhere.
UNDELIVERED_EMAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
# Caches that each worker process keeps for itself (rate limits would multiply by the workers).
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def weak_secret_key(key: str) -> bool:
    """Django's own rule (security.W009), made an error: short, repetitive, or a generated dev key."""
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith("django-insecure")
    )


@register(Tags.security, deploy=True)
def check_email_is_delivered(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if settings.EMAIL_BACKEND not in UNDELIVERED_EMAIL:
        return []
    return [
        Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: sign-in codes would not reach anyone "
            "(and the console backend writes them to the log).",
            hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST.",
            id="gpvoice.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_ballot_seal_key(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if settings.BALLOT_SEAL_KEY:
        return []
    return [
        Error(
            "BALLOT_SEAL_KEY is not set: secret ballots would be sealed with a key derived from SECRET_KEY.",
            hint="Set BALLOT_SEAL_KEY to its own long random value and keep it with the backups.",
            id="gpvoice.E002",
        )
    ]


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES or settings.ALLOW_LOCAL_CACHE:
        return []
    return [
        Error(
            f"The cache ({backend}) is per process: sign-in rate limits would be counted by each "
            "worker apart, so N workers allow N times the attempts.",
            hint="Set REDIS_URL, or ALLOW_LOCAL_CACHE=true if exactly one worker process serves the site.",
            id="gpvoice.E003",
        )
    ]


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    if not weak_secret_key(settings.SECRET_KEY):
        return []
    return [
        Error(
            f"SECRET_KEY is weak: it needs at least {SECRET_KEY_MIN_LENGTH} characters, "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} of them different, and no 'django-insecure' prefix.",
            hint='Generate one: python -c "import secrets; print(secrets.token_urlsafe(50))"',
            id="gpvoice.E004",
        )
    ]
