"""Race tests' one way of running writers at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connections


def run_together(
    calls: Sequence[Callable[[], object]],
    *,
    refusals: tuple[type[BaseException], ...] = (),
    at_once: int | None = None,
) -> list[BaseException]:
    """Start a thread per call, release them together at a barrier, and return what they raised.

    ``refusals`` are errors some serial order could also give (a refused withdrawal), so they are
    not reported. ``at_once`` caps how many threads hold a database connection at a time, for
    servers with fewer connections than the test has threads.
    """
    barrier = threading.Barrier(len(calls))
    gate = threading.BoundedSemaphore(at_once or len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            with gate:
                try:
                    call()
                finally:
                    connections.close_all()
        except refusals:
            pass
        except BaseException as error:  # noqa: BLE001 - returned to the test, which asserts on it
            errors.append(error)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
