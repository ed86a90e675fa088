"""The environment may be given in a `.env` file; variables set in the real environment win.

Read by the entry points (the `gpvoice` command and the WSGI application), before the settings
module is chosen, so a `.env` may also name DJANGO_SETTINGS_MODULE. The test suite never reads it.
"""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import load_dotenv

PROJECT_DIR = Path(__file__).resolve().parents[2]


def env_file_path() -> Path:
    """`.env` in the project folder, or the file GPVOICE_ENV_FILE names."""
    return Path(os.environ.get("GPVOICE_ENV_FILE") or PROJECT_DIR / ".env")


def load_env_file() -> bool:
    """Load the file when it exists; True if it did. Never overrides a variable already set."""
    path = env_file_path()
    return path.is_file() and load_dotenv(path, override=False)
