"""The health endpoint: 200 while the database (and a shared cache, when configured) answers;
503 with a JSON body naming what failed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import reverse


class SharedCacheStandIn(LocMemCache):
    """Stands in for a shared cache: any backend that is not per process gets probed."""


class UnreachableCache(LocMemCache):
    def set(self, *args: Any, **kwargs: Any) -> None:
        raise ConnectionError("cache server down")


def _shared(backend: type) -> dict[str, dict[str, str]]:
    return {"default": {"BACKEND": f"{__name__}.{backend.__name__}"}}


@pytest.mark.django_db
def test_healthy_database_answers_ok(client):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_a_database_that_does_not_answer_is_named_with_503(client, monkeypatch):
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["database"]}


@pytest.mark.django_db
def test_a_shared_cache_is_probed_and_answers(client):
    with override_settings(CACHES=_shared(SharedCacheStandIn)):
        response = client.get(reverse("core:health"))
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_a_shared_cache_that_is_down_is_named_with_503(client):
    with override_settings(CACHES=_shared(UnreachableCache)):
        response = client.get(reverse("core:health"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["cache"]}


@pytest.mark.django_db
def test_an_unreachable_redis_is_named_with_503(client):
    # Port 1 on loopback refuses at once: the real Redis backend and client, failing.
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=redis):
        response = client.get(reverse("core:health"))
    assert response.status_code == 503 and response.json()["failed"] == ["cache"]


@pytest.mark.django_db
def test_both_failures_are_named(client, monkeypatch):
    monkeypatch.setattr(connection, "cursor", lambda *a, **k: (_ for _ in ()).throw(OperationalError()))
    with override_settings(CACHES=_shared(UnreachableCache)):
        response = client.get(reverse("core:health"))
    assert response.status_code == 503 and response.json()["failed"] == ["database", "cache"]


# Each worker keeps its answer for HEALTH_CACHE_SECONDS: a burst of checks costs one probe, and a
# database that stops answering is still reported once that window has passed.


@pytest.fixture
def fresh_health(settings):
    from gpvoice.core import health

    settings.HEALTH_CACHE_SECONDS = 2
    health.forget()
    yield health
    health.forget()


@pytest.mark.django_db
def test_a_burst_of_health_checks_probes_the_database_once(client, fresh_health):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        answers = [client.get(reverse("core:health")).status_code for _ in range(20)]
    assert answers == [200] * 20
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]


@pytest.mark.django_db
def test_a_dead_database_is_reported_once_the_window_has_passed(client, fresh_health, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(fresh_health.time, "monotonic", lambda: clock[0])
    assert client.get(reverse("core:health")).status_code == 200

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "cursor", refuse)
    clock[0] += 1.99  # inside the window: the kept answer
    assert client.get(reverse("core:health")).status_code == 200
    clock[0] += 0.01  # two seconds after the probe: probed again, and the failure named
    response = client.get(reverse("core:health"))
    assert response.status_code == 503 and response.json()["failed"] == ["database"]
    monkeypatch.undo()
    monkeypatch.setattr(fresh_health.time, "monotonic", lambda: clock[0])
    clock[0] += 1.0  # a failure is kept as briefly as a success
    assert client.get(reverse("core:health")).status_code == 503
    clock[0] += 1.0
    assert client.get(reverse("core:health")).status_code == 200
