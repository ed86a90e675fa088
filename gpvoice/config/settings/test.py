"""Settings for the test suite: fast hashing, the in-memory email outbox."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-000000000000")

from .base import *  # noqa: E402, F403

MEDIA_ROOT = str(Path(tempfile.gettempdir()) / f"gpvoice-test-media-{os.getpid()}")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, inside the request, so tests see their emails; gpvoice/jobs/tests run the real
# database backend and worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "request_login_code": "100/m/ip,20/m/key",
}

# Tests find static files through the finders, as development does, instead of a collectstatic run
# (tests/test_static.py runs collectstatic with the production storage).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True  # look files up per request: no scan of every file per test client
# Each health test probes afresh (gpvoice/core/tests/test_health.py sets its own window).
HEALTH_CACHE_SECONDS = 0
# Threads in the race tests open their own connections; close them at the end of each request as before.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not :memory: — the in-memory shared cache has table locks without a busy timeout,
    # so the race tests could not show SQLite's real (WAL + BEGIN IMMEDIATE) behaviour.
    # One file per test process, so that two runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"gpvoice-test-{os.getpid()}.sqlite3")
    }
