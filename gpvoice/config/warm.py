"""Work a server does once, before it takes a request, instead of on each worker's first requests.

Django imports the URL configuration (and with it every app's views) on the first request a
process answers, and Jinja compiles each template the first time a page uses it: about 1.3 s and
3.4 s of one core on this project. Under gunicorn, which loads the app in its master before forking
(``preload_app``), doing both here means each worker starts with them done and shares them, so the
first requests after a start or a deploy (and the load balancer's first health checks, which
otherwise queued behind five workers each importing the views) are answered at their usual speed.

Nothing here touches the database; any connection opened is closed again, so that no worker
inherits its parent's socket.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.urls import URLResolver, get_resolver


@dataclass(frozen=True)
class Warmed:
    routes: int
    templates: int


def warm() -> Warmed:
    """Import the URL configuration, build its reverse lookups and compile every Jinja template."""
    routes = _routes(get_resolver())
    templates = 0
    for engine in engines.all():
        if isinstance(engine, Jinja2):
            for name in engine.env.list_templates():
                engine.env.get_template(name)
                templates += 1
    connections.close_all()
    return Warmed(routes=routes, templates=templates)


def _routes(resolver: URLResolver) -> int:
    """Build the lookups ``reverse`` uses in this resolver and every one under it (each namespace
    builds its own, on first use); how many routes they hold."""
    resolver.reverse_dict  # noqa: B018 - imports the views and fills the lookups
    return sum(_routes(entry) if isinstance(entry, URLResolver) else 1 for entry in resolver.url_patterns)
