"""Serving the demo with gunicorn, as `make serve` does: `make bench` (not part of `make test`).

A fresh SQLite database with the demo workspace, static files collected, gunicorn with the default
worker count (2 × cores + 1) on loopback, then one load tool (Debian's wrk, which `make bench`
installs) for a fixed time against a trivial view (/health: one `SELECT 1`) and the group home page
signed in as a member (session cookie). Prints requests per second and the 50th and 99th percentile
latency of each. Nothing leaves 127.0.0.1; the whole run is bounded (about a minute of set-up, then
SECONDS per page).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 15
THREADS = 2
CONNECTIONS = 8
DEMO_MEMBER = "practice.staff@northvale.example.nhs.uk"

SIGN_IN = f"""
from django.contrib.auth import get_user_model
from django.test import Client
from gpvoice.core.models import Membership
user = get_user_model().objects.get(email={DEMO_MEMBER!r})
group = Membership.objects.filter(user=user).select_related("group").first().group
client = Client()
client.force_login(user)
print(group.slug, client.cookies["sessionid"].value)
"""


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    socket_errors: str


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(output: str) -> Load:
    assert "Non-2xx or 3xx responses" not in output, output
    errors = re.search(r"Socket errors: (.*)", output)
    return Load(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),  # type: ignore[union-attr]
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),  # type: ignore[union-attr]
        requests=int(re.search(r"(\d+) requests in", output).group(1)),  # type: ignore[union-attr]
        socket_errors=errors.group(1) if errors else "none",
    )


def test_parse_wrk_reads_throughput_and_percentiles():
    sample = """Running 15s test @ http://127.0.0.1:1/health
  Latency Distribution
     50%  812.00us
     75%    1.20ms
     90%    2.51ms
     99%   10.03ms
  12345 requests in 15.00s, 4.00MB read
Requests/sec:    823.00
"""
    assert parse_wrk(sample) == Load(
        requests_per_second=823.0, p50_ms=0.812, p99_ms=10.03, requests=12345, socket_errors="none"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status(url: str, cookie: str | None = None) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _gpvoice(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "gpvoice.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_gunicorn_throughput_of_health_and_the_group_home(tmp_path, capsys):
    wrk = shutil.which("wrk")
    if wrk is None:
        pytest.skip("wrk is not installed (`make bench` installs Debian's)")
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "GPVOICE_ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "gpvoice.config.settings.demo",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "BIND": f"127.0.0.1:{port}",
    }
    _gpvoice(env, "collectstatic", "--no-input", "--verbosity", "0")
    _gpvoice(env, "migrate", "--no-input", "--verbosity", "0")
    _gpvoice(env, "load-demo")
    slug, session = _gpvoice(env, "shell", "--no-imports", "-c", SIGN_IN).split()[-2:]
    cookie = f"sessionid={session}"
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "python:gpvoice.config.gunicorn", "gpvoice.config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
    )
    try:
        deadline = time.monotonic() + 60
        while _status(f"{base}/health") != 200:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        home = f"{base}/g/{slug}/"
        assert _status(home, cookie) == 200, "signed in: the page itself, not a redirect to sign in"
        _status(home, cookie)  # warm each worker's templates a little before measuring
        workers = len(set(re.findall(r"Booting worker with pid: (\d+)", log.read_text())))
        with capsys.disabled():
            print(
                f"\nserving: gunicorn {workers} sync workers, {os.cpu_count()} cores, SQLite, wrk "
                f"{THREADS} threads {CONNECTIONS} connections {SECONDS} s each"
            )
        for label, url, headers in (
            ("health", f"{base}/health", []),
            ("group home", home, ["-H", f"Cookie: {cookie}"]),
        ):
            load_average = os.getloadavg()[0]  # the machine is shared: say how busy it was
            output = subprocess.run(  # noqa: S603
                [
                    wrk,
                    f"-t{THREADS}",
                    f"-c{CONNECTIONS}",
                    f"-d{SECONDS}s",
                    "--timeout",
                    "10s",
                    "--latency",
                    *headers,
                    url,
                ],
                capture_output=True,
                text=True,
                timeout=SECONDS + 60,
                check=True,
            ).stdout
            load = parse_wrk(output)
            with capsys.disabled():
                print(
                    f"serving {label:12} {load.requests_per_second:8.1f} req/s  p50 {load.p50_ms:7.1f} ms"
                    f"  p99 {load.p99_ms:7.1f} ms  ({load.requests} requests, socket errors: "
                    f"{load.socket_errors}, load average before {load_average:.1f})"
                )
            assert load.requests > 0
    finally:
        server.terminate()
        server.wait(timeout=30)
