"""Officer pages (group admin, executive) need a password sign-in completed with a second factor."""

from __future__ import annotations

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


def has_strong_sign_in(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    methods = {record.get("method") for record in records}
    return "password" in methods and "mfa" in methods


def strong_sign_in_steps(request: HttpRequest) -> dict[str, bool]:
    """What the user still has to do, for the page that explains it."""
    user = request.user
    return {
        "has_password": bool(user.is_authenticated and user.has_usable_password()),
        "has_totp": bool(
            user.is_authenticated
            and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ),
        "signed_in_strongly": has_strong_sign_in(request),
    }
