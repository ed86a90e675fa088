"""The serving stack the benchmarks and drills run against: gunicorn on PostgreSQL (and Redis,
HAProxy when a drill needs them), started from this checkout on loopback ports 8100–8199.

Set BENCH_DATABASE_URL to choose the PostgreSQL database (it is dropped and made again unless
BENCH_REUSE=1 keeps the last run's data, which saves `load-scale`'s minutes on a second run).
The national group is the one `gpvoice load-scale` makes when the command exists (the group with
the largest footprint, or BENCH_NATIONAL_GROUP); otherwise a synthetic group of BENCH_WIDE
practices (default 1,200) built by benchmarks/drillset.py stands in for it, and the output says so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/gpv_bench"
# Fixed, so that a database kept with BENCH_REUSE=1 still opens its sealed ballots and sessions
# on the next run. A benchmark database only: never a deployment's key.
SECRET = "benchmark-only-secret-key-never-for-a-deployment-0123456789abcdef"  # noqa: S105
# What the app's environment must not inherit from the shell that runs the benchmark.
CLEARED = {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str) -> None:
    """Drop and create the benchmark's database (its name must start gpv_ or test_: never a real one)."""
    name = urlsplit(url).path.lstrip("/")
    assert re.fullmatch(r"(gpv_|test_)\w+", name), f"refusing to recreate database {name!r}"
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def database_exists(url: str) -> bool:
    name = urlsplit(url).path.lstrip("/")
    try:
        with psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=5) as admin:
            return (
                admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
            )
    except psycopg.OperationalError:
        return False


def environment(url: str, work: Path, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k not in CLEARED},
        "PYTHONPATH": str(ROOT),
        "GPVOICE_ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "gpvoice.config.settings.demo",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": url,
        "STATIC_ROOT": str(work / "static"),
        "ALLOW_LOCAL_CACHE": "true",
        **extra,
    }


def gpvoice(env: dict[str, str], *args: str, timeout: int = 3600) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "gpvoice.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def drillset(env: dict[str, str], *args: str) -> dict:
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "benchmarks" / "drillset.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def has_load_scale(env: dict[str, str]) -> bool:
    return "load-scale" in gpvoice(env, "help")


@dataclass
class Dataset:
    demo: str  # the demo group's slug
    national: str  # the national group's slug (or the synthetic stand-in)
    source: str  # how the national group was made


def prepare(env: dict[str, str], *, fresh: bool) -> Dataset:
    """Migrate, load the demo and the national group (once; BENCH_REUSE=1 keeps them)."""
    url = env["DATABASE_URL"]
    reuse = os.environ.get("BENCH_REUSE") == "1" and database_exists(url) and not fresh
    if not reuse:
        recreate_database(url)
    gpvoice(env, "collectstatic", "--no-input", "--verbosity", "0")
    gpvoice(env, "migrate", "--no-input", "--verbosity", "0")
    if not reuse:
        gpvoice(env, "load-demo")
    if has_load_scale(env):
        if not reuse:
            gpvoice(env, "load-scale")
        source = "gpvoice load-scale"
        national = os.environ.get("BENCH_NATIONAL_GROUP") or drillset(env, "biggest")["group"]
    else:
        made = drillset(env, "wide", os.environ.get("BENCH_WIDE", "1200"))
        national = made["group"]
        source = f"synthetic stand-in (benchmarks/drillset.py wide), load-scale not available: {made}"
    return Dataset(demo="northvale", national=national, source=source)


def free_port(start: int = 8100, end: int = 8199) -> int:
    for port in range(start, end + 1):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8100–8199")


def fetch(
    url: str,
    *,
    cookie: str | None = None,
    method: str = "GET",
    data: bytes | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    headers = {"Cookie": cookie} if cookie else {}
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=timeout) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


class Gunicorn:
    """One gunicorn master (sync workers, the project's config) on a loopback port."""

    def __init__(self, env: dict[str, str], port: int, log: Path, **extra: str) -> None:
        self.port = port
        self.log = log
        self.base = f"http://127.0.0.1:{port}"
        self.env = {**env, "BIND": f"127.0.0.1:{port}", **extra}
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", "python:gpvoice.config.gunicorn", "gpvoice.config.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while fetch(f"{self.base}/health", timeout=5)[0] != 200:
            assert self.process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        # The first worker can answer before the others have logged their start: wait for them
        # all, so that what is measured (and the count printed) is the whole server.
        expected = int(self.env.get("WEB_CONCURRENCY", WORKERS))
        while len(self.workers()) < expected and time.monotonic() < deadline:
            time.sleep(0.2)

    def settle(self, *, quiet: float = 0.25, limit: float = 60.0) -> float:
        """Wait until the workers have used (almost) no CPU for ``quiet`` seconds, at most ``limit``;
        the seconds waited. A load run that ends leaves the requests already accepted still being
        worked (a download of several seconds, eight at once): measured straight after, the next page
        shared the cores with them."""
        started = time.monotonic()
        before = cpu_seconds(self.workers())
        while time.monotonic() - started < limit:
            time.sleep(quiet)
            now = cpu_seconds(self.workers())
            if now - before < 0.02:  # two clock ticks: a worker waiting on its socket uses none
                break
            before = now
        return time.monotonic() - started

    def workers(self) -> list[int]:
        text = self.log.read_text()
        booted = [int(p) for p in re.findall(r"Booting worker with pid: (\d+)", text)]
        return [pid for pid in booted if _alive(pid)]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU the processes have used, from /proc (a process gone counts nothing)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) ": state is fields[0]
        total += int(fields[11]) + int(fields[12])  # utime, stime: the stat file's 14th and 15th
    return total / tick


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


@contextmanager
def gunicorn(env: dict[str, str], work: Path, name: str = "gunicorn", **extra: str) -> Iterator[Gunicorn]:
    server = Gunicorn(env, free_port(), work / f"{name}.log", **extra)
    try:
        yield server
    finally:
        server.stop()


WORKERS = 2 * (os.cpu_count() or 1) + 1  # gunicorn's default (gpvoice/config/gunicorn.py)
HAPROXY_CONFIG = """
global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    # /health shares gunicorn's sync workers with the pages, so under a burst a check waits in the
    # same queue: a check timeout of 1 s (the default, = inter) marks both servers down and HAProxy
    # answers 503 to everyone. Checks get 10 s and three misses before a server is taken out, and
    # each server is sent no more requests at once than it has workers (maxconn): the rest wait in
    # HAProxy's queue (up to 60 s), not in gunicorn's backlog in front of the health checks.
    timeout check 10s
    timeout queue 60s
    option http-keep-alive
frontend gpvoice
    bind 127.0.0.1:{port}
    default_backend apps
backend apps
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    http-response set-header X-Backend %s
{servers}
"""


@contextmanager
def haproxy(backends: list[int], work: Path, per_server: int = WORKERS) -> Iterator[str]:
    """HAProxy on a free port, round robin across the given gunicorn ports (each sent at most
    ``per_server`` requests at once: its worker count); yields its base URL."""
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    assert Path(binary).exists(), "HAProxy is not installed (`make drill-deps` installs Debian's)"
    port = free_port()
    servers = "\n".join(
        f"    server app{i} 127.0.0.1:{p} maxconn {per_server} check inter 2s fall 3 rise 1"
        for i, p in enumerate(backends)
    )
    config = work / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, servers=servers))
    process = subprocess.Popen(  # noqa: S603
        [binary, "-f", str(config), "-db"],
        stdout=(work / "haproxy.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while fetch(f"{base}/health", timeout=5)[0] != 200:
            assert process.poll() is None and time.monotonic() < deadline, (work / "haproxy.log").read_text()
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def own_redis(port: int = 6391) -> Iterator[subprocess.Popen]:
    """A Redis of the drill's own (never the shared one on 6379), with no persistence."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed"
    work = Path(tempfile.mkdtemp(prefix="gpv-redis-"))
    process = subprocess.Popen(  # noqa: S603
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while not _listening(port):
        assert process.poll() is None and time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.1)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


PG_VERSION = "15"
RUNUSER = "/usr/sbin/runuser"


@dataclass
class OwnPostgres:
    """A PostgreSQL cluster of the drill's own (never the shared one on 5432), run as postgres."""

    port: int
    data: Path
    log: Path

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/gpv_serving_drill"

    def _ctl(self, *args: str) -> None:
        binary = f"/usr/lib/postgresql/{PG_VERSION}/bin/pg_ctl"
        subprocess.run(  # noqa: S603
            [RUNUSER, "-u", "postgres", "--", binary, "-D", str(self.data), "-l", str(self.log), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        self._ctl("-w", "-o", f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-w", "-m", mode, "stop")

    def restart(self) -> None:
        self._ctl(
            "-w", "-m", "fast", "-o", f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1", "restart"
        )


@contextmanager
def own_postgres(port: int = 5441) -> Iterator[OwnPostgres]:
    assert not _listening(port), f"port {port} is in use"
    work = Path(tempfile.mkdtemp(prefix="gpv-pg-"))
    os.chmod(work, 0o755)  # noqa: S103 - the postgres user must reach its data directory
    data = work / "data"
    data.mkdir()
    shutil.chown(data, "postgres", "postgres")
    log = work / "postgres.log"
    log.touch()
    shutil.chown(log, "postgres", "postgres")
    subprocess.run(  # noqa: S603
        [
            "/usr/sbin/runuser",
            "-u",
            "postgres",
            "--",
            f"/usr/lib/postgresql/{PG_VERSION}/bin/initdb",
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    cluster = OwnPostgres(port, data, log)
    cluster.start()
    try:
        yield cluster
    finally:
        try:
            cluster.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(work, ignore_errors=True)


def kill(pid: int, sig: int = signal.SIGKILL) -> None:
    os.kill(pid, sig)
