"""Backup and restore: the demo round-trips on both databases; a wrong file changes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from gpvoice.ballots.models import Ballot, Kind, Status
from gpvoice.core.models import AuditEntry, LeadershipGroup
from gpvoice.core.services import group_create
from gpvoice.operations.backups import manifest as mf
from gpvoice.operations.backups import verify
from gpvoice.operations.backups.checks import row_counts, snapshot

from .conftest import only_postgres, only_sqlite, unchanged

ROOT = Path(__file__).resolve().parents[3]


def gpvoice(args: list[str], database_url: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """The console command in a fresh process, as an operator runs it against another database."""
    env = {
        **os.environ,
        **extra_env,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "gpvoice.config.settings.test",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "gpvoice.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )


def counted_ballots() -> int:
    return Ballot.objects.filter(kind=Kind.BALLOT, status__in=[Status.CLOSED, Status.PUBLISHED]).count()


def assert_verified(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Restore verified." in done.stdout
    assert f"{counted_ballots()} closed ballots recount to their stored results" in done.stdout
    assert "FAIL" not in done.stdout


@only_sqlite
@pytest.mark.django_db(transaction=True)
def test_the_demo_round_trips_on_sqlite(tmp_path):
    call_command("load-demo")
    backup = tmp_path / "demo.gpvbackup"
    call_command("backup", str(backup))
    target = tmp_path / "restored.sqlite3"

    done = gpvoice(["restore", str(backup)], f"sqlite:///{target}")

    assert_verified(done)
    # Neither the seal key nor the SECRET_KEY it may be derived from was kept (the deployment is
    # named explicitly, as the runbook says to when restoring elsewhere).
    wrong_key = gpvoice(
        ["restore", str(backup)],
        f"sqlite:///{tmp_path / 'other.sqlite3'}",
        BALLOT_SEAL_KEY="x" * 40,
        SECRET_KEY="another-deployment-secret-key-" + "y" * 40,
        DEPLOYMENT_ID=mf.deployment_id(),
    )
    assert wrong_key.returncode != 0 and "FAIL ballot recounts" in wrong_key.stdout, wrong_key.stdout
    assert "cannot be recounted" in wrong_key.stdout  # the seal key was not kept with the backup
    assert backup.stat().st_mode & 0o777 == 0o600
    expected = {**row_counts(), "core.AuditEntry": AuditEntry.objects.count() + 1}  # + the restore's
    with sqlite3.connect(target) as restored:
        last = restored.execute("SELECT action FROM core_auditentry ORDER BY id DESC LIMIT 1").fetchone()
        assert last == ("operations.database.restored",)
        for label, count in expected.items():
            table = apps.get_model(label)._meta.db_table
            query = f'SELECT COUNT(*) FROM "{table}"'  # noqa: S608 - model table names
            assert restored.execute(query).fetchone()[0] == count, label
    again = gpvoice(["restore", str(backup)], f"sqlite:///{target}")
    assert again.returncode != 0 and "already holds data" in again.stderr


def _psql(sql: str) -> str:
    s = connection.settings_dict
    args = ["psql", "-X", "-tA", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql]
    env = {
        **os.environ,
        "PGHOST": s["HOST"] or "",
        "PGPORT": str(s["PORT"] or 5432),
        "PGUSER": s["USER"] or "",
    }
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    return subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout.strip()  # noqa: S603


@only_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_demo_round_trips_on_postgresql(tmp_path):
    call_command("load-demo")
    backup = tmp_path / "demo.gpvbackup"
    call_command("backup", str(backup))
    name = f"gpv_restore_{uuid.uuid4().hex[:10]}"
    s = connection.settings_dict
    _psql(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{name}"
        done = gpvoice(["restore", str(backup)], url)
        assert_verified(done)
        counts = row_counts()
        for label in ("core.AuditEntry", "ballots.Vote", "ballots.SealedChoice", "governance.MandateAnswer"):
            table = apps.get_model(label)._meta.db_table
            query = f'SELECT COUNT(*) FROM "{table}"'  # noqa: S608 - a model's table name
            restored = subprocess.run(  # noqa: S603
                ["psql", "-X", "-tA", "-c", query, url],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            assert int(restored) == counts[label] + (label == "core.AuditEntry"), label  # + the restore's
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{name}"')


# A wrong file is refused before anything changes ------------------------------------------------


@pytest.fixture
def good_backup(transactional_db, tmp_path) -> Path:
    group_create(name="Northvale Leadership Group", slug="northvale")
    path = tmp_path / "good.gpvbackup"
    call_command("backup", str(path))
    return path


def rewritten(path: Path, tmp_path: Path, **changes) -> Path:
    payload = tmp_path / "payload"
    manifest = mf.read(path, payload)
    out = tmp_path / "rewritten.gpvbackup"
    mf.write(out, {k: v for k, v in {**manifest, **changes}.items() if k != "payload"}, payload)
    return out


def truncated(path: Path, keep: int) -> Path:
    out = path.with_name("truncated.gpvbackup")
    out.write_bytes(path.read_bytes()[:keep])
    return out


def written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BAD_FILES = {
    "missing": (lambda p, t: t / "no-such.gpvbackup", "no such file"),
    "empty": (lambda p, t: written(t / "empty", b""), "not a GP Voice backup"),
    "garbage": (
        lambda p, t: written(t / "junk", os.urandom(4096)),
        "not a GP Voice backup",
    ),
    "html": (
        lambda p, t: written(t / "h", b"<html>=cmd|' /C calc'!A0\x00"),
        "not a GP Voice backup",
    ),
    "header cut": (lambda p, t: truncated(p, 40), "header cannot be read"),
    "payload cut": (lambda p, t: truncated(p, p.stat().st_size - 100), "truncated"),
    "format": (lambda p, t: rewritten(p, t, format=2), "format 2"),
    "vendor": (
        lambda p, t: rewritten(p, t, vendor="sqlite" if connection.vendor == "postgresql" else "postgresql"),
        "this deployment uses",
    ),
    "newer": (
        lambda p, t: rewritten(p, t, migrations=[*mf.read(p, t / "x")["migrations"], "core.9999_future"]),
        "newer GP Voice",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_wrong_file_is_refused_with_a_clear_error_and_changes_nothing(good_backup, tmp_path, case):
    make, message = BAD_FILES[case]
    bad = make(good_backup, tmp_path)
    with unchanged(), pytest.raises(CommandError, match=message) as refused:
        call_command("restore", str(bad))
    assert "Nothing was changed." in str(refused.value)


def test_a_damaged_byte_fails_the_checksum(good_backup, tmp_path):
    data = bytearray(good_backup.read_bytes())
    data[-10] ^= 0xFF
    damaged = tmp_path / "damaged.gpvbackup"
    damaged.write_bytes(bytes(data))
    with unchanged(), pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(damaged))


def test_a_file_from_another_deployment_is_refused(transactional_db, tmp_path):
    group_create(name="Elsewhere", slug="elsewhere")
    with override_settings(DEPLOYMENT_ID="another-deployment"):
        call_command("backup", str(tmp_path / "theirs.gpvbackup"))
    with unchanged(), pytest.raises(CommandError, match="another deployment"):
        call_command("restore", str(tmp_path / "theirs.gpvbackup"))


def test_a_database_holding_data_is_not_replaced_without_force(good_backup):
    with unchanged(), pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(good_backup))


def test_a_backup_never_overwrites_a_file(good_backup):
    before = good_backup.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(good_backup))
    assert good_backup.read_bytes() == before


def test_force_replaces_the_data_and_a_restore_that_differs_from_its_manifest_fails_loudly(
    good_backup, tmp_path, capsys
):
    manifest = mf.read(good_backup, tmp_path / "p")
    expected = manifest["expected"]
    lying = rewritten(
        good_backup, tmp_path, expected={**expected, "rows": {**expected["rows"], "core.LeadershipGroup": 2}}
    )
    group_create(name="Made after the backup", slug="later")

    with pytest.raises(CommandError, match="does not match the backup"):
        call_command("restore", str(lying), force=True)

    out = capsys.readouterr().out
    assert "FAIL row counts: core.LeadershipGroup: 2 in the backup, 1 here" in out
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["core.group.created"]
    call_command("restore", str(good_backup), force=True)
    assert "Restore verified." in capsys.readouterr().out
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "core.group.created",
        "operations.database.restored",
    ]
    assert not LeadershipGroup.objects.filter(slug="later").exists()


# Verification finds what differs ---------------------------------------------------------------


@pytest.mark.django_db
def test_verification_finds_a_changed_result_a_broken_chain_and_changed_coverage():
    from gpvoice.governance.models import MandateAnswer

    call_command("load-demo")
    expected = snapshot()
    assert all(c.ok for c in verify(expected))
    ballot = Ballot.objects.filter(kind=Kind.BALLOT, status=Status.PUBLISHED).first()
    Ballot.objects.filter(pk=ballot.pk).update(result={**ballot.result, "turnout": {"count": 0}})
    answer = MandateAnswer.objects.filter(is_current=True, answer="agree").first()
    MandateAnswer.objects.filter(pk=answer.pk).update(answer="decline")
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("id")[3].pk).update(action="forged")

    checks = {c.name: c for c in verify(expected)}

    assert not checks["audit chains"].ok
    assert not checks["ballot recounts"].ok and f"ballot {ballot.pk}" in checks["ballot recounts"].detail
    assert (
        not checks["mandate coverage"].ok and f"round {answer.round_id}" in checks["mandate coverage"].detail
    )
    with pytest.raises(CommandError, match="does not verify"):
        call_command("verify-data")


def test_the_pg_client_tools_are_present_where_postgresql_is_used():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("only needed with PostgreSQL")
    import shutil

    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "install postgresql-client"
