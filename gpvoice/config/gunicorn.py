"""gunicorn's settings: `gunicorn -c python:gpvoice.config.gunicorn gpvoice.config.wsgi`.

Each value can be changed from the environment. Sync workers, as Django's request handling is
synchronous: WEB_CONCURRENCY defaults to 2 × cores + 1 (gunicorn's own guidance); each worker holds
one database connection at a time (kept for DB_CONN_MAX_AGE seconds).
"""

import gc
import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# gunicorn's access log would write each raw URL (invitation tokens, query strings); the app's
# own JSON line per request (gpvoice.core.logs) replaces it.
accesslog = None
errorlog = "-"
# Which proxies may set X-Forwarded-* for gunicorn itself; the app trusts SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Load the application before forking: workers share its memory, and a broken configuration
# stops the server at once instead of in each worker.
preload_app = True


def when_ready(server: object) -> None:
    """In the master, once the app is loaded (and warm) and before the first worker is forked:
    collect what loading left behind, then move every object that remains out of the collector's
    reach (``gc.freeze``). Each worker inherits about 180,000 long-lived objects (modules, views,
    compiled templates); a full collection in a worker walked them all, about 60 ms of one core at
    unpredictable moments, and touched their memory, which the workers otherwise share
    copy-on-write. After the freeze a full collection looks only at what the worker made itself.
    Python's documentation recommends this for servers that fork without exec."""
    gc.collect()
    gc.freeze()
