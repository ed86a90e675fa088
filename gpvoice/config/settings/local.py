"""Settings for a developer's machine and the demo: debug on, emails printed to the console."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402, F403
