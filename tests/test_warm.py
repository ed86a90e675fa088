"""The server loads its views and compiles its templates before the first request
(gpvoice.config.warm, called by gpvoice.config.wsgi under gunicorn's preload)."""

from __future__ import annotations

from django.db import connection
from django.template import engines
from django.urls import URLResolver, get_resolver, reverse

from gpvoice.config.warm import warm


class RefusingLoader:
    """Stands in for the template loader after warming: any template read again fails."""

    def __init__(self, real) -> None:
        self.real = real

    def get_source(self, environment, template):
        raise AssertionError(f"{template} was read again after warming")

    def __getattr__(self, name):
        return getattr(self.real, name)


def _count(resolver: URLResolver) -> int:
    return sum(_count(e) if isinstance(e, URLResolver) else 1 for e in resolver.url_patterns)


def test_warm_compiles_every_template_and_builds_every_route_without_the_database(monkeypatch):
    # No django_db mark: a database query here would fail the test.
    warmed = warm()
    env = engines["jinja2"].env
    names = env.list_templates()
    assert warmed.templates == len(names) > 100
    assert warmed.routes == _count(get_resolver()) > 200
    assert connection.connection is None  # no worker inherits a connection opened here
    # Jinja keeps what it compiled (its cache must hold every template: raise cache_size if not).
    assert env.cache is not None and len(env.cache) >= len(names)
    # Namespaced routes' lookups are built too: reversing reads no URL configuration again.
    for resolver in get_resolver().url_patterns:
        if isinstance(resolver, URLResolver) and resolver.namespace:
            assert resolver._populated, resolver.namespace
    assert reverse("core:privacy") == "/privacy"
    monkeypatch.setattr(env, "auto_reload", False)
    monkeypatch.setattr(env, "loader", RefusingLoader(env.loader))
    for name in (names[0], names[len(names) // 2], names[-1]):
        assert env.get_template(name).name == name  # from what warm() compiled


def test_the_gunicorn_master_freezes_what_it_loaded_before_forking_workers():
    """gunicorn calls ``when_ready`` in the master after loading the app, before the first fork;
    it must be a setting gunicorn knows (a misspelt hook would be ignored without a word)."""
    import gc

    from gunicorn.config import Config

    from gpvoice.config import gunicorn as settings

    config = Config()
    for name, value in vars(settings).items():
        if name in config.settings:
            config.set(name, value)
    assert config.when_ready is settings.when_ready
    kept = [[] for _ in range(1000)]  # containers made before the hook: frozen with the rest
    assert gc.get_freeze_count() == 0
    try:
        config.when_ready(None)
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
