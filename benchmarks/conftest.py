"""The PostgreSQL-backed stack the serving benchmark and the drills share: loaded once per run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks import stack


@dataclass
class Bench:
    env: dict[str, str]
    data: stack.Dataset
    work: Path

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]


@pytest.fixture(scope="session")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Bench:
    url = stack.database_url()
    if not stack.database_exists(stack.with_database(url, "postgres")):
        pytest.skip(f"PostgreSQL is not reachable at {url} (BENCH_DATABASE_URL)")
    work = tmp_path_factory.mktemp("bench")
    env = stack.environment(url, work)
    return Bench(env, stack.prepare(env, fresh=False), work)
