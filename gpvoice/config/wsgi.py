"""The WSGI application for gunicorn: `gunicorn -c python:gpvoice.config.gunicorn gpvoice.config.wsgi`.

Without DJANGO_SETTINGS_MODULE (in the environment or `.env`) it uses the production settings,
which refuse to start without a SECRET_KEY: a server never falls back to debug settings.
"""

import os

from django.core.wsgi import get_wsgi_application

from gpvoice.config.envfile import load_env_file

load_env_file()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gpvoice.config.settings.production")
application = get_wsgi_application()
