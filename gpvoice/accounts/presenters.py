"""What the profile page shows: the person's own groups, appointments, declarations and sign-in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gpvoice.core.formats import day
from gpvoice.directory.selectors import footprint_practices
from gpvoice.governance.selectors import declaration_due

from .selectors import own_appointments, own_declarations, own_memberships, own_person


@dataclass
class ProfilePage:
    email: str
    groups: list[dict[str, Any]] = field(default_factory=list)
    appointments: list[dict[str, Any]] = field(default_factory=list)
    declarations: list[dict[str, Any]] = field(default_factory=list)
    has_directory_record: bool = False
    sign_in: list[dict[str, Any]] = field(default_factory=list)
    notifications_url: str = ""


def _link(name: str) -> str:
    """A page's address if it is installed here (notification settings come with the notifications app)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _appointment_row(appointment: Any, today: Any) -> dict[str, Any]:
    current = appointment.is_current(today)
    role = appointment.get_role_display()
    if appointment.is_signatory and current:
        role += f" (signatory of {appointment.organisation.name})"
    return {
        "role": role,
        "organisation": f"{appointment.organisation.name} ({appointment.organisation.ods_code})",
        "dates": f"Since {day(appointment.start)}"
        if current
        else f"{day(appointment.start)} to {day(appointment.end)}",
        "current": current,
    }


def _declaration_row(declaration: Any, today: Any) -> dict[str, Any]:
    due = declaration_due(declaration, today)
    return {
        "pk": declaration.pk,
        "interest": declaration.organisation.name if declaration.organisation else declaration.interest,
        "nature": declaration.nature,
        "declared_on": day(declaration.declared_on),
        "due": due,
        "status": "Renewal due" if due else "Up to date",
    }


def _row(key: str, value: str, href: str = "", action: str = "") -> dict[str, Any]:
    """A row for the NHS.UK summary list macro."""
    row: dict[str, Any] = {"key": {"text": key}, "value": {"text": value}}
    if href:
        row["actions"] = {"items": [{"href": href, "text": action, "visuallyHiddenText": key.lower()}]}
    return row


def _sign_in_rows(user: Any) -> list[dict[str, Any]]:
    has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    has_password = user.has_usable_password()
    return [
        _row("Sign-in code", f"Emailed to {user.email} each time you sign in"),
        _row(
            "Password",
            "Set" if has_password else "Not set (only admins and the executive need one)",
            reverse("account_change_password" if has_password else "account_set_password"),
            "Change" if has_password else "Set",
        ),
        _row(
            "Authenticator app",
            "Set up" if has_totp else "Not set up (only admins and the executive need one)",
            reverse("mfa_index"),
            "Manage",
        ),
    ]


def profile_page(request: HttpRequest) -> ProfilePage:
    user = request.user
    today = timezone.localdate()
    person = own_person(user=user)
    appointments = list(own_appointments(person=person)) if person is not None else []
    signs_for = {
        a.organisation_id: a.organisation.name for a in appointments if a.is_signatory and a.is_current(today)
    }
    page = ProfilePage(email=user.email, has_directory_record=person is not None)  # type: ignore[union-attr]
    for membership in own_memberships(user=user):
        role = membership.get_role_display()
        # One query per group, only for signatories (a person belongs to a handful of groups).
        here = (
            footprint_practices(group=membership.group).filter(pk__in=signs_for).values_list("pk", flat=True)
            if signs_for
            else []
        )
        page.groups.append(
            {
                "name": membership.group.name,
                "href": reverse("core:group_home", args=[membership.group.slug]),
                "role": role + "".join(f"; signatory of {n}" for n in sorted(signs_for[pk] for pk in here)),
            }
        )
    if person is not None:
        page.appointments = [_appointment_row(a, today) for a in appointments]
        page.declarations = [_declaration_row(d, today) for d in own_declarations(person=person)]
    page.sign_in = _sign_in_rows(user)
    page.notifications_url = _link("notifications:preferences")
    return page
