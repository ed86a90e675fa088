"""The `gpvoice` console command: Django's management commands under the product's name."""

import os
import sys


def main() -> None:
    from gpvoice.config.envfile import load_env_file

    load_env_file()  # a `.env` file, if present; the real environment wins
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gpvoice.config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gpvoice", *sys.argv[1:]])


if __name__ == "__main__":
    main()
