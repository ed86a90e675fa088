"""Write paths under contention (issue 11, items 5–7): many clients over real HTTP, then the
invariants checked in SQL against what the clients were told.

A client is a thread with its own session: it casts on one ballot and answers one mandate round
for its practice, ROUNDS times each; two clients share each practice, so every practice's writes
race. A request is *acknowledged* when the app answers with its success redirect (302); a refusal
(200 with a message) or an error is not. Afterwards, in SQL:

- votes: each elector has at most one current vote; every acknowledged cast is recorded (a
  replay of the current vote by the same signatory is stored once, by design); no more rows than
  casts that reached the server; each row has its audit entry; the current vote is the last one
  written;
- mandate: each practice has at most one current answer; every acknowledged answer is recorded
  (a replay of the current answer by the same signatory is stored once, by design); the current
  answer is the last one written; answer rows equal their audit entries;
- both are checked after the servers have stopped (gunicorn drains its in-flight requests), so a
  request the client gave up on cannot commit after the check;
- `gpvoice verify-audit` and `gpvoice verify-data` (audit chains intact, maintained coverage equal
  to a recount) pass.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import psycopg

from benchmarks import drill_bookings

ROUNDS = int(os.environ.get("DRILL_ROUNDS", "2"))
ANSWERS = ("agree", "decline", "abstain")
CANCEL_EVERY = 8  # one booker in eight gives up their place (or their place on the waiting list)


@dataclass
class Outcome:
    kind: str  # "cast", "answer", "book" or "cancel"
    client: int
    practice: str
    value: str
    status: int  # 0: no answer (connection reset, timeout)
    seconds: float
    finished: float  # time.monotonic() when the answer arrived

    @property
    def acknowledged(self) -> bool:
        return self.status == 302


def post(base: str, path: str, fields: dict[str, str], cookie: str, timeout: float = 60) -> tuple[int, float]:
    """One form post over a new connection (gunicorn's sync workers close each one)."""
    token = secrets.token_hex(16)  # a CSRF secret of our own, sent as cookie and field
    body = urlencode({**fields, "csrfmiddlewaretoken": token})
    parts = urlsplit(base)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Cookie": f"{cookie}; csrftoken={token}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - started


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def latencies(self) -> list[float]:
        return sorted(o.seconds for o in self.outcomes)

    def percentile(self, p: float) -> float:
        values = self.latencies()
        if not values:
            return 0.0
        return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

    def summary(self) -> str:
        statuses = Counter(o.status for o in self.outcomes)
        return (
            f"{len(self.outcomes)} requests in {self.seconds:.1f} s "
            f"({len(self.outcomes) / max(self.seconds, 1e-9):.1f} req/s), "
            f"p50 {self.percentile(50) * 1000:.0f} ms, p99 {self.percentile(99) * 1000:.0f} ms, "
            f"statuses {dict(sorted(statuses.items()))}"
        )

    def by_kind(self) -> dict[str, dict[str, float]]:
        """Requests, req/s (over the span from the first sent to the last answered), p50 and p99
        of each kind of write."""
        figures = {}
        for kind in dict.fromkeys(o.kind for o in self.outcomes):
            mine = [o for o in self.outcomes if o.kind == kind]
            span = max(o.finished for o in mine) - min(o.finished - o.seconds for o in mine)
            part = Run(mine, span)
            figures[kind] = {
                "requests": len(mine),
                "req/s": round(len(mine) / max(span, 1e-9), 1),
                "p50 ms": round(part.percentile(50) * 1000),
                "p99 ms": round(part.percentile(99) * 1000),
            }
        return figures

    def server_errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status >= 500]


def contention(
    base: str,
    plan: dict,
    *,
    rounds: int = ROUNDS,
    retry_until: float | None = None,
    pace: float | None = None,
) -> Run:
    """Every client of the plan casts and answers ``rounds`` times, all starting together.

    With ``pace`` (seconds) the clients do not send as fast as they are answered: each sends its
    writes ``pace`` seconds apart, the clients' first writes spread evenly over the first ``pace``
    seconds, so the server is offered len(clients) / pace writes a second (the burst drill without
    ``pace`` offers as many as it can take, and measures its queue).

    With ``retry_until`` (a time.monotonic() deadline) a request that got no answer or a 5xx is
    sent again until acknowledged or the deadline passes (the fault drills); each try is recorded.

    When the plan has a session, each client also books one place on it (after its first cast)
    with its booker's login, and every CANCEL_EVERY-th client whose booking was acknowledged gives
    it up in its last round (before the session's cut-off): the booking writes race the others.
    """
    slug, ballot, options = plan["group"], plan["ballot"], plan["options"]
    clients = plan["clients"]
    run = Run()
    lock = threading.Lock()
    start = threading.Barrier(len(clients) + 1)

    turns = threading.local()  # each client's start and how many writes it has sent

    def wait_turn(i: int) -> None:
        if pace is None:
            return
        due = turns.began + (i / len(clients) + turns.sent) * pace
        turns.sent += 1
        time.sleep(max(0.0, due - time.monotonic()))

    def send(
        i: int, kind: str, path: str, fields: dict[str, str], value: str, cookie: str, practice: str
    ) -> None:
        wait_turn(i)
        while True:
            status, seconds = post(base, path, fields, cookie)
            outcome = Outcome(kind, i, practice, value, status, seconds, time.monotonic())
            with lock:
                run.outcomes.append(outcome)
            if retry_until is None or status == 302 or 0 < status < 500 or time.monotonic() > retry_until:
                return
            time.sleep(0.2)

    session = plan.get("session")
    booked: set[int] = set()

    def book(i: int, kind: str) -> None:
        me = clients[i]
        before = len(run.outcomes)
        fields = {"do": "book" if kind == "book" else "leave"}
        booker = str(me["booker"])
        send(i, kind, f"/g/{slug}/sessions/{session}/", fields, booker, me["booker_cookie"], booker)
        with lock:
            if any(o.acknowledged for o in run.outcomes[before:] if o.client == i and o.kind == kind):
                booked.add(i)

    def client(i: int) -> None:
        me = clients[i]
        rng = random.Random(i)
        start.wait()
        turns.began, turns.sent = time.monotonic(), 0
        for r in range(rounds):
            choice = options[(i + r) % len(options)]
            send(
                i,
                "cast",
                f"/g/{slug}/ballots/{ballot}/vote/",
                {"practice": me["practice"], "choice": choice},
                choice,
                me["cookie"],
                me["practice"],
            )
            if session and r == 0:
                book(i, "book")
            if session and r == rounds - 1 and i % CANCEL_EVERY == CANCEL_EVERY - 1 and i in booked:
                book(i, "cancel")
            answer = ANSWERS[rng.randrange(len(ANSWERS))]
            send(
                i,
                "answer",
                f"/g/{slug}/mandate/",
                {"practice": me["practice"], "answer": answer},
                answer,
                me["cookie"],
                me["practice"],
            )

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=900)
    run.seconds = time.perf_counter() - began
    return run


def snapshot(database_url: str) -> dict[str, int]:
    """The last mandate answer and audit entry before a run: what the run adds comes after."""
    with psycopg.connect(database_url, autocommit=True) as db:
        [answer] = db.execute("SELECT coalesce(max(id), 0) FROM governance_mandateanswer").fetchone()  # type: ignore[misc]
        [audit] = db.execute("SELECT coalesce(max(id), 0) FROM core_auditentry").fetchone()  # type: ignore[misc]
    return {"answer": int(answer), "audit": int(audit)}


def invariants(
    database_url: str, plan: dict, run: Run, before: dict[str, int]
) -> tuple[dict[str, int], list[str]]:
    """The figures the SQL checks found, and the problems (empty when every invariant holds)."""
    problems: list[str] = []
    acked = [o for o in run.outcomes if o.acknowledged]
    casts = [o for o in acked if o.kind == "cast"]
    answers = [o for o in acked if o.kind == "answer"]
    # Requests that got no answer (the client gave up, or the server died) may still have committed.
    unanswered = Counter(
        o.kind for o in run.outcomes if not o.acknowledged and (o.status == 0 or o.status >= 500)
    )
    with psycopg.connect(database_url, autocommit=True) as db:
        one = lambda sql, *args: db.execute(sql, args).fetchone()  # noqa: E731
        rows = lambda sql, *args: db.execute(sql, args).fetchall()  # noqa: E731
        ballot, round = plan["ballot"], plan["round"]
        doubled = rows(
            "SELECT elector_id, count(*) FROM ballots_vote WHERE ballot_id = %s AND is_current "
            "GROUP BY elector_id HAVING count(*) > 1",
            ballot,
        )
        if doubled:
            problems.append(f"electors with more than one current vote: {doubled}")
        [vote_rows] = one("SELECT count(*) FROM ballots_vote WHERE ballot_id = %s", ballot)
        written = {
            (code, content["choice"])
            for code, content in rows(
                "SELECT o.ods_code, v.content FROM ballots_vote v "
                "JOIN ballots_elector e ON e.id = v.elector_id "
                "JOIN directory_organisation o ON o.id = e.practice_id WHERE v.ballot_id = %s",
                ballot,
            )
        }
        lost = {(o.practice, o.value) for o in casts} - written
        if lost:
            problems.append(f"acknowledged casts not recorded: {sorted(lost)[:10]}")
        # A replay of the current vote by the same signatory writes nothing, so rows can be fewer
        # than acknowledged casts; never more than the casts that may have reached the database.
        if vote_rows > len(casts) + unanswered["cast"]:
            problems.append(f"{vote_rows} vote rows for {len(casts)} acknowledged casts")
        [cast_audits] = one(
            "SELECT count(*) FROM core_auditentry WHERE action = 'ballots.vote.cast' "
            "AND (data->>'ballot')::int = %s",
            ballot,
        )
        if cast_audits != vote_rows:
            problems.append(f"{cast_audits} cast audit entries for {vote_rows} vote rows")
        stale = rows(
            "SELECT v.elector_id FROM ballots_vote v WHERE v.ballot_id = %s AND v.is_current "
            "AND v.id <> (SELECT max(id) FROM ballots_vote w WHERE w.elector_id = v.elector_id)",
            ballot,
        )
        if stale:
            problems.append(f"current vote is not the last one written for electors {stale}")
        voted = {
            code
            for (code,) in rows(
                "SELECT o.ods_code FROM ballots_vote v JOIN ballots_elector e ON e.id = v.elector_id "
                "JOIN directory_organisation o ON o.id = e.practice_id "
                "WHERE v.ballot_id = %s AND v.is_current",
                ballot,
            )
        }
        missing = {o.practice for o in casts} - voted
        if missing:
            problems.append(f"practices with acknowledged casts but no current vote: {sorted(missing)}")
        doubled = rows(
            "SELECT practice_id, count(*) FROM governance_mandateanswer WHERE round_id = %s AND is_current "
            "GROUP BY practice_id HAVING count(*) > 1",
            round,
        )
        if doubled:
            problems.append(f"practices with more than one current answer: {doubled}")
        recorded = {
            (code, answer)
            for code, answer in rows(
                "SELECT o.ods_code, a.answer FROM governance_mandateanswer a "
                "JOIN directory_organisation o ON o.id = a.practice_id WHERE a.round_id = %s",
                round,
            )
        }
        lost = {(o.practice, o.value) for o in answers} - recorded
        if lost:
            problems.append(f"acknowledged answers not recorded: {sorted(lost)[:10]}")
        stale = rows(
            "SELECT a.practice_id FROM governance_mandateanswer a WHERE a.round_id = %s AND a.is_current "
            "AND a.id <> (SELECT max(id) FROM governance_mandateanswer b "
            "WHERE b.round_id = a.round_id AND b.practice_id = a.practice_id)",
            round,
        )
        if stale:
            problems.append(f"current answer is not the last one written for practices {stale}")
        [answer_rows] = one(
            "SELECT count(*) FROM governance_mandateanswer WHERE round_id = %s AND id > %s",
            round,
            before["answer"],
        )
        [answer_audits] = one(
            "SELECT count(*) FROM core_auditentry WHERE id > %s AND action IN "
            "('governance.mandate.answered', 'governance.mandate.withdrawn')",
            before["audit"],
        )
        if answer_audits != answer_rows:
            problems.append(f"{answer_audits} answer audit entries for {answer_rows} new answer rows")
        if answer_rows > len(answers) + unanswered["answer"]:
            problems.append(f"{answer_rows} new answer rows for {len(answers)} acknowledged answers")
        booking_figures, booking_problems = (
            drill_bookings.invariants(db, plan, run) if plan.get("session") else ({}, [])
        )
    problems += booking_problems
    figures = {
        "acknowledged casts": len(casts),
        "vote rows": vote_rows,
        "acknowledged answers": len(answers),
        "new answer rows": answer_rows,
        "current votes": len(voted),
        **booking_figures,
    }
    return figures, problems
