"""Faults (issue 11, item 7): `make drills` (or `make bench`), never `make test`.

Each drill runs on a PostgreSQL cluster of its own (initdb into a temporary directory, port 5441,
run as the postgres user) and a Redis of its own (port 6391), both removed afterwards: the shared
servers on 5432 and 6379 are never restarted or stopped. The demo workspace is loaded once.

1. PostgreSQL restarted in the middle of a contention run (clients retry what got no answer or a
   5xx): errors stop within 10 s of PostgreSQL answering again, and every acknowledged write is
   there afterwards (the invariants of benchmarks/drills.py).
2. The gunicorn worker killed (SIGKILL) at several moments of a cast, from before it reaches the
   database to after it committed; the voter sends the same vote again until it is acknowledged:
   exactly one vote row, the current one, each time.
3. Redis stopped: signed-in pages still serve, /health names the cache, sign-in is refused with a
   503 (the rate limits fail closed) and works again once Redis is back.
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from benchmarks import drills, stack

PG_PORT = 5441
REDIS_PORT = 6391
RECOVERY_SECONDS = 10.0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[stack.OwnPostgres, dict[str, str]]]:
    if not Path(f"/usr/lib/postgresql/{stack.PG_VERSION}/bin/initdb").exists():
        pytest.skip(f"PostgreSQL {stack.PG_VERSION} server binaries are not installed")
    if os.geteuid() != 0:
        pytest.skip("the fault drills run their own PostgreSQL as the postgres user (needs root)")
    work = tmp_path_factory.mktemp("faults")
    with stack.own_postgres(PG_PORT) as pg:
        env = stack.environment(pg.url, work)
        with psycopg.connect(stack.with_database(pg.url, "postgres"), autocommit=True) as admin:
            admin.execute('CREATE DATABASE "gpv_serving_drill"')
        stack.gpvoice(env, "collectstatic", "--no-input", "--verbosity", "0")
        stack.gpvoice(env, "migrate", "--no-input", "--verbosity", "0")
        stack.gpvoice(env, "load-demo")
        yield pg, env


def test_postgresql_restarted_mid_run(cluster, tmp_path, capsys):
    pg, env = cluster
    plan = stack.drillset(env, "drill", "northvale", "40")
    before = drills.snapshot(pg.url)
    result: dict[str, drills.Run] = {}
    with stack.gunicorn(env, tmp_path) as server:
        deadline = time.monotonic() + 180
        load = threading.Thread(
            target=lambda: result.setdefault(
                "run", drills.contention(server.base, plan, rounds=12, retry_until=deadline)
            )
        )
        load.start()
        time.sleep(3)
        went_down = time.monotonic()
        pg.restart()
        back = time.monotonic()
        load.join(timeout=300)
    run = result["run"]
    failed = [o for o in run.outcomes if o.status == 0 or o.status >= 500]
    last_error = max((o.finished for o in failed), default=back)
    figures, problems = drills.invariants(pg.url, plan, run, before)
    with capsys.disabled():
        print(f"\npostgres restart: {run.summary()}")
        print(
            f"postgres restart: down for {back - went_down:.1f} s; {len(failed)} requests failed; last "
            f"error {last_error - back:+.1f} s after PostgreSQL answered again; {figures}"
        )
    assert not problems, problems
    assert last_error - back <= RECOVERY_SECONDS
    assert all(o.acknowledged for o in _last_tries(run)), "a write was never acknowledged, even on retry"


def _last_tries(run: drills.Run) -> list[drills.Outcome]:
    """Each request's final try (retries follow their failed tries in one client's sequence)."""
    by_client: dict[int, list[drills.Outcome]] = {}
    for outcome in sorted(run.outcomes, key=lambda o: o.finished):
        by_client.setdefault(outcome.client, []).append(outcome)
    finals = []
    for outcomes in by_client.values():
        for i, outcome in enumerate(outcomes):
            failed = outcome.status == 0 or outcome.status >= 500
            if not (failed and i + 1 < len(outcomes) and outcomes[i + 1].kind == outcome.kind):
                finals.append(outcome)
    return finals


# A cast now takes about 15 ms: the short delays land inside it, the long ones after its answer.
DELAYS = (0.0, 0.003, 0.006, 0.01, 0.02, 0.05, 0.1, 0.4)


def test_a_worker_killed_mid_cast_and_a_retried_cast_records_one_vote(cluster, tmp_path, capsys):
    pg, env = cluster
    plan = stack.drillset(env, "drill", "northvale", "1")
    me, slug, ballot = plan["clients"][0], plan["group"], plan["ballot"]
    path = f"/g/{slug}/ballots/{ballot}/vote/"
    seen: list[str] = []
    with stack.gunicorn(env, tmp_path, WEB_CONCURRENCY="1") as server, psycopg.connect(pg.url) as db:
        for trial, delay in enumerate(DELAYS):
            choice = plan["options"][trial % 2]  # each trial changes the vote, so each must write
            [before] = db.execute("SELECT coalesce(max(id), 0) FROM ballots_vote").fetchone()  # type: ignore[misc]
            db.commit()
            fields = {"practice": me["practice"], "choice": choice}
            first: dict[str, int] = {}
            sender = threading.Thread(target=_send, args=(server.base, path, fields, me["cookie"], first))
            [worker] = server.workers()
            sender.start()
            time.sleep(delay)
            stack.kill(worker, signal.SIGKILL)
            sender.join(timeout=60)
            # Whether or not the cast was answered before the kill, the next trial must find the
            # worker gunicorn starts in its place, not the killed one before the master reaps it.
            deadline = time.monotonic() + 60
            while not (pids := server.workers()) or worker in pids:
                assert time.monotonic() < deadline, "gunicorn did not replace the killed worker"
                time.sleep(0.05)
            tries = 1
            status = first["status"]
            while status != 302:
                deadline = time.monotonic() + 60
                while stack.fetch(f"{server.base}/health", timeout=5)[0] != 200:
                    assert time.monotonic() < deadline, "gunicorn did not replace the killed worker"
                    time.sleep(0.1)
                status = drills.post(
                    server.base, path, {"practice": me["practice"], "choice": choice}, me["cookie"]
                )[0]
                tries += 1
                assert tries < 10, status
            rows = db.execute(
                "SELECT content->>'choice', is_current FROM ballots_vote WHERE ballot_id = %s AND id > %s",
                [ballot, before],
            ).fetchall()
            current = db.execute(
                "SELECT content->>'choice' FROM ballots_vote WHERE ballot_id = %s AND is_current", [ballot]
            ).fetchall()
            db.commit()
            what = "answered before the kill" if first["status"] == 302 else "killed mid-request"
            seen.append(f"kill after {delay * 1000:.0f} ms: {what}, {tries} tries, {len(rows)} vote row(s)")
            assert rows == [(choice, True)], (delay, rows)
            assert current == [(choice,)], (delay, current)
    with capsys.disabled():
        print("\nworker killed: " + "; ".join(seen))


def _send(base: str, path: str, fields: dict[str, str], cookie: str, into: dict[str, int]) -> None:
    into["status"] = drills.post(base, path, fields, cookie)[0]


def test_redis_stopped_pages_serve_and_sign_in_fails_closed(cluster, tmp_path, capsys):
    pg, env = cluster
    member = stack.drillset(env, "pages", "northvale")
    page = "/g/northvale/"
    email = "member@northvale.bench.invalid"
    env = {**env, "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0", "ALLOW_LOCAL_CACHE": "false"}
    with stack.own_redis(REDIS_PORT) as redis:
        with stack.gunicorn(env, tmp_path) as server:
            base = server.base
            assert _ask_for_code(base, email) == 302  # Redis up: a code is sent
            redis.terminate()
            redis.wait(timeout=10)
            pages = [stack.fetch(base + page, cookie=member["cookie"])[0] for _ in range(10)]
            health = stack.fetch(f"{base}/health")
            refused = [_ask_for_code(base, email) for _ in range(3)]
            with stack.own_redis(REDIS_PORT):
                time.sleep(1)
                again = _ask_for_code(base, "member.again@northvale.bench.invalid")
    with capsys.disabled():
        print(
            f"\nredis stopped: pages {pages}; /health {health[0]} {health[1].decode()}; "
            f"sign-in {refused}; after Redis returned {again}"
        )
    assert pages == [200] * 10
    assert health[0] == 503 and b'"cache"' in health[1]
    assert refused == [503, 503, 503]
    assert again == 302


def _ask_for_code(base: str, email: str) -> int:
    token = secrets.token_hex(16)
    return stack.fetch(
        f"{base}/accounts/login/code/",
        cookie=f"csrftoken={token}",
        method="POST",
        data=urlencode({"email": email, "csrfmiddlewaretoken": token}).encode(),
    )[0]
