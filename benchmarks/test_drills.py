"""Write paths under contention (issue 11, items 5 and 6): `make drills` (or `make bench`).

DRILL_CLIENTS (default 200) clients, two per practice, cast on one new ballot and answer the
national group's mandate round, DRILL_ROUNDS (default 2) times each, all starting together over real
HTTP; each client also books one place, with a login of its own, on one session of DRILL_PLACES
(default a quarter of the clients) places, and one in eight gives its place up before the cut-off:

1. against one gunicorn (sync workers, 2 × cores + 1) on PostgreSQL: every client sending its next
   write as soon as the last is answered, and again with each client sending one every DRILL_PACE
   seconds (default 4), so that the server is offered a set rate (200 clients: 50 writes a second);
2. against two gunicorns on different ports behind HAProxy (round robin), sharing PostgreSQL and a
   Redis of the drill's own (port 6392): the same guarantees, and the sign-in rate limit counted
   once across both servers.

After each run the invariants are checked in SQL (benchmarks/drills.py, drill_bookings.py), then `gpvoice
verify-audit` and `gpvoice verify-data` (audit chains, recounts, maintained coverage). Targets:
zero server errors, p99 ≤ 1 s. Each run prints its figures (and req/s, p50 and p99 of each kind of
write: cast, answer, book, cancel); var/bench-drills.json keeps them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

from benchmarks import drills, stack

CLIENTS = int(os.environ.get("DRILL_CLIENTS", "200"))
PLACES = int(os.environ.get("DRILL_PLACES", str(max(1, CLIENTS // 4))))  # far fewer places than bookers
P99_SECONDS = 1.0
PACE = float(os.environ.get("DRILL_PACE", "4"))  # seconds between one client's writes, paced drill
REPORT = Path(os.environ.get("DRILL_REPORT", str(stack.ROOT / "var" / "bench-drills.json")))
_results: dict[str, dict] = {}


def _record(name: str, figures: dict) -> None:
    _results[name] = figures
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    REPORT.write_text(json.dumps({**existing, **_results}, indent=1))


def drill_and_check(name: str, bench, servers, capsys, pace: float | None = None) -> dict:
    """Run the drill against the servers ``servers()`` starts (a context manager yielding the base
    URL), stop them (draining what is in flight), then check. ``pace``: see drills.contention."""
    plan = stack.drillset(bench.env, "drill", bench.data.national, str(CLIENTS), str(PLACES))
    before = drills.snapshot(bench.database_url)
    with servers() as base:
        run = drills.contention(base, plan, pace=pace)
    figures, problems = drills.invariants(bench.database_url, plan, run, before)
    errors = run.server_errors()
    p99 = run.percentile(99)
    summary = {
        **figures,
        "clients": len(plan["clients"]),
        "rounds": drills.ROUNDS,
        "requests": len(run.outcomes),
        "seconds": round(run.seconds, 1),
        "req/s": round(len(run.outcomes) / run.seconds, 1),
        "p50 ms": round(run.percentile(50) * 1000),
        "p99 ms": round(p99 * 1000),
        "5xx": len(errors),
        "no answer": sum(1 for o in run.outcomes if o.status == 0),
        "by kind": run.by_kind(),
        "load average": round(os.getloadavg()[0], 1),
        "group": bench.data.national,
    }
    if pace is not None:
        summary["offered req/s"] = round(len(plan["clients"]) / pace, 1)
    with capsys.disabled():
        print(f"\n{name}: {run.summary()}")
        print(f"{name}: {json.dumps(summary)}")
        for kind, kind_figures in summary["by kind"].items():
            print(f"{name}: {kind:>6}: {json.dumps(kind_figures)}")
        for problem in problems:
            print(f"{name}: INVARIANT BROKEN: {problem}")
    stack.gpvoice(bench.env, "verify-audit")
    verified = stack.gpvoice(bench.env, "verify-data").strip().splitlines()
    summary["verify-data"] = verified[-1] if verified else ""
    _record(name, summary)
    with capsys.disabled():
        print(f"{name}: verify-audit passed; verify-data: {summary['verify-data']}")
    assert not problems, problems
    assert not errors, f"{len(errors)} server errors, e.g. {errors[:3]}"
    assert p99 <= P99_SECONDS, f"p99 {p99 * 1000:.0f} ms > {P99_SECONDS * 1000:.0f} ms"
    return summary


@contextmanager
def one_server(bench, work: Path) -> Iterator[str]:
    with stack.gunicorn(bench.env, work) as server:
        yield server.base


def test_contention_on_one_server(bench, tmp_path, capsys):
    drill_and_check("one server", bench, lambda: one_server(bench, tmp_path), capsys)


def test_paced_writes_on_one_server(bench, tmp_path, capsys):
    """The same clients and writes, each client sending one write every DRILL_PACE seconds (default
    4: 200 clients offer 50 writes a second, below what one server on this machine takes) instead of
    all at once: what a writer waits when the server is not queueing. Same checks, same targets."""
    drill_and_check("one server, paced", bench, lambda: one_server(bench, tmp_path), capsys, pace=PACE)


def _haproxy_or_skip() -> None:
    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        pytest.skip("HAProxy is not installed (`make drill-deps` installs Debian's)")


@contextmanager
def two_servers(bench, work: Path) -> Iterator[str]:
    """Two gunicorns sharing PostgreSQL and a Redis of our own, behind HAProxy; yields its URL."""
    with stack.own_redis(6392):
        env = {**bench.env, "REDIS_URL": "redis://127.0.0.1:6392/0", "ALLOW_LOCAL_CACHE": "false"}
        with (
            stack.gunicorn(env, work, "app-a") as a,
            stack.gunicorn(env, work, "app-b") as b,
            stack.haproxy([a.port, b.port], work) as base,
        ):
            yield base


def test_contention_on_two_servers_behind_haproxy(bench, tmp_path, capsys):
    _haproxy_or_skip()
    summary = drill_and_check("two servers", bench, lambda: two_servers(bench, tmp_path), capsys)
    single = _results.get("one server")
    if single:
        with capsys.disabled():
            print(f"two servers: {summary['req/s'] / single['req/s']:.2f}× the throughput of one")


def test_sign_in_rate_limit_holds_across_both_servers(bench, tmp_path):
    """3 code requests a minute per address (ACCOUNT_RATE_LIMITS): the fourth is refused whichever
    server it reaches (allauth answers the form again with its "too many attempts" error, no code
    sent). With a cache per process each of the ten workers would allow three."""
    _haproxy_or_skip()
    email = f"member@{bench.data.demo}.bench.invalid"
    stack.drillset(bench.env, "pages", bench.data.demo)  # makes that member
    with two_servers(bench, tmp_path) as base:
        statuses, servers, refused = [], set(), 0
        for _ in range(8):
            token = secrets.token_hex(16)
            status, headers, body = _post_with_headers(
                f"{base}/accounts/login/code/",
                urlencode({"email": email, "csrfmiddlewaretoken": token}).encode(),
                cookie=f"csrftoken={token}",
            )
            statuses.append(status)
            servers.add(headers.get("x-backend"))
            refused += "Too many failed login attempts" in body
    assert servers == {"app0", "app1"}, (servers, statuses)  # both servers answered
    assert statuses == [302, 302, 302, 200, 200, 200, 200, 200] and refused == 5, (statuses, refused)


def _post_with_headers(url: str, data: bytes, cookie: str) -> tuple[int, dict[str, str], str]:
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    request = urllib.request.Request(  # noqa: S310 - loopback
        url,
        data=data,
        method="POST",
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            return int(response.status), headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()
