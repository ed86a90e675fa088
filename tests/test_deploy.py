"""`gpvoice check --deploy` with the production variables from the README prints no warnings."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is not part of a deployment.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "gpvoice.config.settings.production",
        "SECRET_KEY": "a-production-like-secret-" + "x7Qp9zR2" * 6,
        "ALLOWED_HOSTS": "gpvoice.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "gpvoice.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="gpvoice.config.settings.production", DEBUG="false")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "gpvoice.cli", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_verify_audit_command_reports_an_intact_chain(db, group, capsys):
    call_command("verify-audit")
    assert "Audit chain intact" in capsys.readouterr().out
