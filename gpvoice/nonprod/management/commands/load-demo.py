from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from gpvoice.nonprod.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo


class Command(BaseCommand):
    help = (
        "Create (or top up) the demo workspace. Safe to run more than once. Printed links use SITE_URL "
        "(`make demo PORT=8123` sets it to the address it serves)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo()
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(self.style.SUCCESS(f"Demo workspace ready: {len(summary.groups)} groups."))
        if summary.people:
            self.stdout.write(
                f"Directory: a synthetic area imported from NHS-format files, {summary.people} people."
            )
        self.stdout.write(f"\nSign in at {site}/accounts/login/code/ with any of these emails;")
        self.stdout.write(
            "the sign-in code is printed in the server's terminal (the console email backend):\n"
        )
        for email, description in summary.users.items():
            self.stdout.write(f"  {email:45} {description}")
        self.stdout.write(
            "\nAdmin and executive pages need a password sign-in plus a code from an authenticator app:"
            f"\n  sign in at {site}/accounts/login/ with an admin or executive email above"
            f"\n  password {DEMO_PASSWORD}"
            f"\n  TOTP secret {DEMO_TOTP_SECRET} (add it to any authenticator app)\n"
        )
        for slug, token in summary.tokens.items():
            self.stdout.write(
                f"API token for {slug} (shown once; read only): curl -H 'Authorization: Bearer {token}' "
                f"{site}/api/v1/groups/{slug}/mandate"
            )
