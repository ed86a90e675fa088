"""Officer pages (group admin, executive) need a password sign-in completed with a second factor.

Someone signed in with an emailed code is not sent away: the "stronger sign-in" page takes them
through the steps they still need, one link at a time (set a password, set up an authenticator app,
confirm the password, enter a code from the app), each coming back to it, and then on to the page
they asked for. allauth records a re-authentication like a sign-in, so no sign-out is needed."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def has_strong_sign_in(request: HttpRequest) -> bool:
    return {"password", "mfa"} <= _methods(request)


def _methods(request: HttpRequest) -> set[str]:
    return {str(record.get("method")) for record in get_authentication_records(request, request.user)}


@dataclass(frozen=True)
class Step:
    text: str
    hint: str
    url_name: str
    done: bool


def safe_next(request: HttpRequest, value: object) -> str:
    """Where to go once signed in strongly: a path on this site, else the home page."""
    text = value if isinstance(value, str) else ""
    allowed = url_has_allowed_host_and_scheme(text, allowed_hosts={request.get_host()}, require_https=False)
    return text if text.startswith("/") and allowed else reverse("core:home")


def strong_sign_in_steps(request: HttpRequest) -> list[Step]:
    """What the user still has to do, in order, for the page that takes them through it."""
    user = request.user
    has_password = bool(user.is_authenticated and user.has_usable_password())
    has_totp = bool(
        user.is_authenticated
        and Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )
    methods = _methods(request)
    return [
        Step(
            "Set a password",
            "At least 12 characters; a long phrase is easier to remember than a short code.",
            "account_set_password",
            has_password,
        ),
        Step(
            "Set up an authenticator app",
            "Scan a QR code with an app such as Microsoft Authenticator or Google Authenticator.",
            "mfa_activate_totp",
            has_totp,
        ),
        Step(
            "Confirm your password",
            "Enter the password you set.",
            "account_reauthenticate",
            "password" in methods,
        ),
        Step(
            "Enter a code from your authenticator app",
            "The app shows a new 6-digit code every 30 seconds.",
            "mfa_reauthenticate",
            "mfa" in methods,
        ),
    ]


def strong_sign_in_page(request: HttpRequest) -> dict[str, object]:
    """Task-list items and the one next step, each link coming back here (and then to ``next``)."""
    goal = safe_next(request, request.GET.get("next"))
    here = reverse("accounts:strong_sign_in_needed") + "?" + urlencode({"next": goal})
    steps = strong_sign_in_steps(request)
    items = []
    for step in steps:
        link = reverse(step.url_name) + "?" + urlencode({"next": here})
        status = (
            {"text": "Completed"}
            if step.done
            else {"tag": {"text": "Not done yet", "classes": "nhsuk-tag--blue"}}
        )
        items.append(
            {"heading": step.text, "hint": step.hint, "href": None if step.done else link, "status": status}
        )
    pending = next((s for s in steps if not s.done), None)
    if pending is None:
        next_step = {"lead": "You have signed in strongly.", "text": "Continue", "href": goal}
    else:
        link = reverse(pending.url_name) + "?" + urlencode({"next": here})
        next_step = {"lead": f"Next: {pending.text.lower()}.", "text": pending.text, "href": link}
    return {"step_items": items, "next_step": next_step, "all_done": pending is None}


def strong_sign_in_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """To the stronger sign-in page, coming back to the page asked for once it is done."""
    where = reverse("accounts:strong_sign_in_needed") + "?" + urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(where)
