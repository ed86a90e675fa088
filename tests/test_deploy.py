"""Settings that refuse to be unsafe: `gpvoice check --deploy` with production settings passes only
with real email, a ballot seal key, a shared cache (or one worker, said so) and a strong secret key.
Also the `.env` file, database connection health checks and the verify-audit command."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings

from gpvoice.config.settings.base import _database
from gpvoice.core import checks

ROOT = Path(__file__).resolve().parents[1]
STRONG_KEY = "a-production-like-secret-" + "x7Qp9zR2" * 6
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "gpvoice.config.settings.production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "gpvoice.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.org",
    "BALLOT_SEAL_KEY": "another-long-random-string-kept-with-the-backups",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
# Variables a developer's shell may hold that would change what these runs check.
_CLEARED = {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "ALLOW_LOCAL_CACHE", "BALLOT_SEAL_KEY", "EMAIL_BACKEND"}


def gpvoice(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the console command as an operator would, with exactly these variables set."""
    base = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    base.update(GPVOICE_ENV_FILE=os.devnull, DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}")
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "gpvoice.cli", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    "cache", [{}, {"REDIS_URL": "", "ALLOW_LOCAL_CACHE": "true"}], ids=["redis", "one-worker"]
)
def test_check_deploy_is_clean_with_production_settings(tmp_path, cache):
    result = gpvoice(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, **cache}, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_on_console_email_no_seal_key_local_cache_and_weak_key(tmp_path):
    env = {
        **PRODUCTION,
        "SECRET_KEY": "django-insecure-" + "k3y" * 20,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "BALLOT_SEAL_KEY": "",
        "REDIS_URL": "",
    }
    result = gpvoice("check", "--deploy", env=env, tmp_path=tmp_path)  # default fail level: ERROR
    assert result.returncode == 1
    for check_id in ("gpvoice.E001", "gpvoice.E002", "gpvoice.E003", "gpvoice.E004"):
        assert "ERRORS:" in result.stderr and check_id in result.stderr, check_id


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**PRODUCTION, "DEBUG": "false"}
    del env["SECRET_KEY"]
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "gpvoice.cli", "check"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "SECRET_KEY"},
            **env,
            "GPVOICE_ENV_FILE": os.devnull,
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


# Each check, one rule at a time, at its boundary.


def _ids(messages: list) -> list[str]:
    assert all(isinstance(m, Error) for m in messages), "errors, not warnings"
    return [m.id for m in messages]


@pytest.mark.parametrize(
    ("backend", "refused"),
    [
        ("django.core.mail.backends.console.EmailBackend", True),
        ("django.core.mail.backends.locmem.EmailBackend", True),
        ("django.core.mail.backends.filebased.EmailBackend", True),
        ("django.core.mail.backends.dummy.EmailBackend", True),
        ("django.core.mail.backends.smtp.EmailBackend", False),
    ],
)
def test_email_that_is_not_delivered_is_an_error(backend, refused):
    with override_settings(EMAIL_BACKEND=backend):
        assert _ids(checks.check_email_is_delivered(None)) == (["gpvoice.E001"] if refused else [])


def test_a_missing_ballot_seal_key_is_an_error():
    with override_settings(BALLOT_SEAL_KEY=""):
        assert _ids(checks.check_ballot_seal_key(None)) == ["gpvoice.E002"]
    with override_settings(BALLOT_SEAL_KEY="set-by-the-operator"):
        assert _ids(checks.check_ballot_seal_key(None)) == []


@pytest.mark.parametrize(
    ("backend", "allow_local", "refused"),
    [
        ("django.core.cache.backends.locmem.LocMemCache", False, True),
        ("django.core.cache.backends.locmem.LocMemCache", True, False),
        ("django.core.cache.backends.filebased.FileBasedCache", False, True),
        ("django.core.cache.backends.dummy.DummyCache", False, True),
        ("django.core.cache.backends.redis.RedisCache", False, False),
    ],
)
def test_a_per_process_cache_is_an_error_unless_allowed_for_one_worker(backend, allow_local, refused):
    with override_settings(CACHES={"default": {"BACKEND": backend}}, ALLOW_LOCAL_CACHE=allow_local):
        assert _ids(checks.check_shared_cache(None)) == (["gpvoice.E003"] if refused else [])


@pytest.mark.parametrize(
    ("key", "weak"),
    [
        ("a1b2c" * 10, False),  # exactly 50 characters, 5 different
        ("a1b2c" * 10 + "x", False),
        ("a1b2c" * 9 + "a1b2", True),  # 49 characters
        ("abcd" * 13, True),  # 52 characters, only 4 different
        ("django-insecure-" + "Zx9!qW3$" * 6, True),
    ],
)
def test_a_weak_secret_key_is_an_error(key, weak):
    with override_settings(SECRET_KEY=key):
        assert _ids(checks.check_secret_key(None)) == (["gpvoice.E004"] if weak else [])


# The `.env` file.


def test_a_dotenv_file_is_read_and_the_real_environment_wins(tmp_path):
    dotenv = tmp_path / "gpvoice.env"
    dotenv.write_text(
        "DJANGO_SETTINGS_MODULE=gpvoice.config.settings.production\n"
        f"SECRET_KEY={STRONG_KEY}\n"
        "SITE_URL=https://from-the-file.example.org\n"
        "BALLOT_SEAL_KEY=seal-key-from-the-file\n"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "SITE_URL"}
    }
    env.update(
        GPVOICE_ENV_FILE=str(dotenv),
        BALLOT_SEAL_KEY="seal-key-from-the-environment",
        DATABASE_URL=f"sqlite:///{tmp_path / 'env.sqlite3'}",
    )
    code = (
        "from django.conf import settings as s; "
        "print(s.SETTINGS_MODULE, s.SITE_URL, s.BALLOT_SEAL_KEY, s.DEBUG)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "gpvoice.cli", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "gpvoice.config.settings.production",
        "https://from-the-file.example.org",
        "seal-key-from-the-environment",
        "False",
    ]


# Database connections: kept, and checked before reuse.


def test_connections_are_kept_and_health_checked(monkeypatch):
    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)
    config = _database()
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True
    monkeypatch.setenv("DB_CONN_MAX_AGE", "0")
    assert _database()["CONN_MAX_AGE"] == 0
    monkeypatch.setenv("DB_CONN_MAX_AGE", "a minute")
    with pytest.raises(ImproperlyConfigured, match="DB_CONN_MAX_AGE"):
        _database()


def test_postgresql_connections_turn_jit_off_unless_asked(monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgres://app@db.invalid:5432/gpvoice?options=-c%20statement_timeout%3D5000"
    )
    monkeypatch.delenv("DB_JIT", raising=False)
    options = _database()["OPTIONS"]["options"]
    assert options == "-c statement_timeout=5000 -c jit=off"  # the URL's own options are kept
    monkeypatch.setenv("DB_JIT", "true")
    assert "jit" not in _database().get("OPTIONS", {}).get("options", "")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.delenv("DB_JIT")
    assert "options" not in _database()["OPTIONS"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_postgresql_connection_has_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _health(port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def _server_backends(other: Any) -> list[int]:
    """The test database's connections other than this test's two: the server's."""
    connection.ensure_connection()
    mine = connection.connection.info.backend_pid
    with other.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid NOT IN (pg_backend_pid(), %s)",
            [connection.settings_dict["NAME"], mine],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_gunicorn_answers_the_request_after_postgresql_dropped_its_connection(tmp_path):
    """The real server (the test client skips Django's per-request connection handling): one
    worker keeps its connection (DB_CONN_MAX_AGE), PostgreSQL drops it as a restart would, and the
    next request is answered on a new connection, not with an error."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite has no server to drop the connection")
    db = connection.settings_dict
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in _CLEARED},
        "GPVOICE_ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "gpvoice.config.settings.demo",
        "SECRET_KEY": STRONG_KEY,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DB_CONN_MAX_AGE": "60",
        # /health probes on every call here (no kept answer), so each call below reaches the database.
        "HEALTH_CACHE_SECONDS": "0",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "python:gpvoice.config.gunicorn", "gpvoice.config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "gunicorn.log").open("w"),
    )
    other = connections.create_connection("default")
    try:
        deadline = time.monotonic() + 60
        while not (_listening(port) and _health(port) == 200):
            assert server.poll() is None and time.monotonic() < deadline, (
                tmp_path / "gunicorn.log"
            ).read_text()
            time.sleep(0.2)
        [kept] = _server_backends(other)  # the worker's one connection, kept between requests
        assert _health(port) == 200 and _server_backends(other) == [kept]
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [kept])
        assert _health(port) == 200, (tmp_path / "gunicorn.log").read_text()
        [new] = _server_backends(other)
        assert new != kept
    finally:
        other.close()
        server.terminate()
        server.wait(timeout=30)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_verify_audit_command_reports_an_intact_chain(db, group, capsys):
    call_command("verify-audit")
    assert "Audit chain intact" in capsys.readouterr().out


def test_the_env_example_names_only_settings_that_pass_with_a_real_secret(tmp_path):
    """`.env.example` as a `.env`, with its placeholder secret replaced from the real environment."""
    env = {
        "GPVOICE_ENV_FILE": str(ROOT / ".env.example"),
        "SECRET_KEY": STRONG_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'example.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    base = {k: v for k, v in os.environ.items() if k not in _CLEARED and k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "gpvoice.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_demo_settings_serve_like_production_over_http_and_are_refused_for_deployment(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "'gpvoice.nonprod' in s.INSTALLED_APPS)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "gpvoice.config.settings.demo",
        "SECRET_KEY": STRONG_KEY,
        "DEBUG": "false",
    }
    shown = gpvoice("shell", "--no-imports", "-c", code, env=env, tmp_path=tmp_path)
    assert shown.stdout.splitlines()[-1].split() == ["False", "False", "False", "True"], shown.stderr
    refused = gpvoice("check", "--deploy", env=env, tmp_path=tmp_path)
    assert refused.returncode == 1 and "gpvoice.E001" in refused.stderr  # console email


@pytest.mark.parametrize(
    ("value", "header"),
    [
        ("X-Forwarded-Proto", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("x-scheme", ("HTTP_X_SCHEME", "https")),
        ("", None),
    ],
)
def test_the_proxy_ssl_header_comes_from_the_environment(value, header):
    from gpvoice.config.settings.production import _proxy_ssl_header

    assert _proxy_ssl_header(value) == header
