"""The booking half of the contention drill: what the SQL must show after many people booked one
session with far fewer places than bookers, some giving up their place (ADR 13).

With capacity K, every live booking (booked, offered or waiting) counted once:

- arrival numbers: ``position`` runs 1..n with no gap and no repeat, n = ``Session.queued`` = the
  rows (each booking writes one row and takes the next number under the session's lock), and the
  order of the numbers is the order the rows were written (ids, given under the same lock);
- places: held rows (booked or offered) = min(K, live rows) and never above K; ``Session.booked``
  = held rows; every held row came before every waiting one (first come, first served: a freed
  place goes to the lowest waiting number);
- the ledger adds up: held = placed at once − places given up + moved up from the waiting list,
  each term counted from the audit entries (``events.booking.made``, ``events.booking.cancelled``
  with ``was``, its ``moved_up`` list);
- one live booking per person; every row has exactly one audit entry for its making (made or
  waiting), every cancelled row exactly one for its cancelling;
- against the clients: every acknowledged booking has its row, every acknowledged cancellation left
  its row cancelled, and there are no more rows (or cancellations) than requests that may have
  reached the server.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

HELD = ("booked", "offered")
LIVE = (*HELD, "waiting")


def invariants(db: Any, plan: dict, run: Any) -> tuple[dict[str, int], list[str]]:
    """``db`` an autocommit psycopg connection; ``run`` the drill's Run. Figures and problems."""
    problems: list[str] = []
    session = plan["session"]
    acked = Counter(o.kind for o in run.outcomes if o.acknowledged)
    unanswered = Counter(
        o.kind for o in run.outcomes if not o.acknowledged and (o.status == 0 or o.status >= 500)
    )
    capacity, kept_booked, kept_queued = db.execute(
        "SELECT capacity, booked, queued FROM events_session WHERE id = %s", (session,)
    ).fetchone()
    rows = db.execute(
        "SELECT id, user_id, status, position FROM events_booking WHERE session_id = %s ORDER BY position",
        (session,),
    ).fetchall()
    positions = [r[3] for r in rows]
    if positions != list(range(1, len(rows) + 1)):
        problems.append(f"positions are not 1..{len(rows)} without gaps: {positions[:20]}…")
    if kept_queued != len(rows):
        problems.append(f"Session.queued {kept_queued} for {len(rows)} booking rows")
    if [r[0] for r in rows] != sorted(r[0] for r in rows):
        problems.append("the order of positions is not the order the rows were written")
    held = [r for r in rows if r[2] in HELD]
    waiting = [r for r in rows if r[2] == "waiting"]
    live = len(held) + len(waiting)
    if len(held) > capacity:
        problems.append(f"{len(held)} places held on a session of {capacity}")
    if len(held) != min(capacity, live):
        problems.append(f"{len(held)} places held, expected min({capacity}, {live} live bookings)")
    if kept_booked != len(held):
        problems.append(f"Session.booked {kept_booked} for {len(held)} held rows")
    if held and waiting and max(r[3] for r in held) > min(r[3] for r in waiting):
        problems.append("a later arrival holds a place while an earlier one waits")
    doubled = Counter(r[1] for r in rows if r[2] in LIVE)
    if any(n > 1 for n in doubled.values()):
        problems.append(f"people with two live bookings: {[u for u, n in doubled.items() if n > 1]}")
    audits = db.execute(
        "SELECT object_id::bigint, action, data FROM core_auditentry WHERE object_type = 'events.Booking' "
        "AND (data->>'session')::int = %s",
        (session,),
    ).fetchall()
    making = ("events.booking.made", "events.booking.waiting")
    made = Counter(oid for oid, action, _ in audits if action in making)
    cancels = [(oid, data) for oid, action, data in audits if action == "events.booking.cancelled"]
    ids = {r[0] for r in rows}
    if set(made) != ids or any(n != 1 for n in made.values()):
        problems.append(f"{sum(made.values())} making audit entries for {len(rows)} rows (one each expected)")
    cancelled = {r[0] for r in rows if r[2] == "cancelled"}
    if Counter(oid for oid, _ in cancels) != Counter(cancelled):
        problems.append(f"{len(cancels)} cancelling audit entries for {len(cancelled)} cancelled rows")
    placed = sum(1 for _, action, _ in audits if action == "events.booking.made")
    gave_up = sum(1 for _, data in cancels if data.get("was") in HELD)
    moved_up = sum(len(data.get("moved_up", [])) for _, data in cancels)
    if len(held) != placed - gave_up + moved_up:
        problems.append(f"{len(held)} held ≠ {placed} placed − {gave_up} given up + {moved_up} moved up")
    users = {r[1]: r[2] for r in rows}
    booked_by = {o.practice for o in run.outcomes if o.kind == "book" and o.acknowledged}
    lost = {u for u in booked_by if int(u) not in users}
    if lost:
        problems.append(f"acknowledged bookings without a row: {sorted(lost)[:10]}")
    kept = {o.practice for o in run.outcomes if o.kind == "cancel" and o.acknowledged}
    kept = {u for u in kept if users.get(int(u)) != "cancelled"}
    if kept:
        problems.append(f"acknowledged cancellations whose booking is not cancelled: {sorted(kept)[:10]}")
    if len(rows) > acked["book"] + unanswered["book"]:
        problems.append(f"{len(rows)} booking rows for {acked['book']} acknowledged bookings")
    if len(cancelled) > acked["cancel"] + unanswered["cancel"]:
        problems.append(f"{len(cancelled)} cancelled rows for {acked['cancel']} acknowledged cancellations")
    figures = {
        "places": capacity,
        "acknowledged bookings": acked["book"],
        "booking rows": len(rows),
        "acknowledged cancellations": acked["cancel"],
        "places held": len(held),
        "waiting": len(waiting),
        "placed at once": placed,
        "places given up": gave_up,
        "moved up": moved_up,
    }
    return figures, problems
