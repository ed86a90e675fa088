"""The WSGI application for gunicorn: `gunicorn -c python:gpvoice.config.gunicorn gpvoice.config.wsgi`.

Without DJANGO_SETTINGS_MODULE (in the environment or `.env`) it uses the production settings,
which refuse to start without a SECRET_KEY: a server never falls back to debug settings.
The views and templates are loaded here, before any request (``gpvoice.config.warm``).
"""

import os

from django.core.wsgi import get_wsgi_application

from gpvoice.config.envfile import load_env_file

load_env_file()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gpvoice.config.settings.production")
application = get_wsgi_application()

from gpvoice.config.warm import warm  # noqa: E402 - needs the apps that get_wsgi_application set up

# Under gunicorn (preload_app) this runs once in the master: every worker starts warm.
warm()
