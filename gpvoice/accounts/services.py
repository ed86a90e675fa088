"""Invitations: a group admin invites by email; the link works once, before it expires."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import audit, rules
from gpvoice.core.locking import lock_row
from gpvoice.core.models import LeadershipGroup, Membership, Role
from gpvoice.core.services import membership_set
from gpvoice.jobs.mail import queue_email

from .models import Invitation, User


class InvitationError(Exception):
    """Raised with a message fit to show the person holding the link."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, group: LeadershipGroup, email: str, role: Role | str, invited_by: Any, base_url: str
) -> tuple[Invitation, str]:
    """Create the invitation and email it; returns it with its one-time token.

    Only an admin of the group invites (checked here, under the group's lock, so the page, the API
    and a command hold the same rule)."""
    if role not in Role.values:
        raise InvitationError("Choose a role from the list.")
    role = Role(role)
    email = (email if isinstance(email, str) else "").strip().lower()
    if not email or "\x00" in email or len(email) > 254:
        raise InvitationError("Enter an email address.")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # The group row serialises invitations with role changes (core.services).
        group = lock_row(LeadershipGroup.objects.all(), pk=group.pk)
        rules.require_admin(
            group,
            invited_by,
            message=f"Only an admin of {group.name} can invite people.",
            refuse=InvitationError,
        )
        if Membership.objects.filter(group=group, user__email__iexact=email).exists():
            raise InvitationError(f"{email} is already a member of {group.name}. Nothing was sent.")
        pending = pending_invitations(group=group).filter(email__iexact=email).first()
        if pending is not None:
            raise InvitationError(
                f"{email} was already invited on {pending.created_at:%d %B %Y} and has not accepted yet. "
                "Nothing was sent: resend that invitation from the list of pending invitations."
            )
        invitation = Invitation.objects.create(
            group=group,
            email=email,
            role=role,
            token_hash=_hash(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        audit.record(
            action="accounts.invitation.sent",
            actor=invited_by,
            group=group,
            obj=invitation,
            data={"email": email, "role": role.value},
        )
    _send(invitation, token, base_url, invited_by, key=f"invitation:{invitation.pk}")
    return invitation, token


def _send(invitation: Invitation, token: str, base_url: str, invited_by: Any, *, key: str) -> None:
    link = base_url.rstrip("/") + reverse("accounts:invitation_accept", args=[token])
    group, role, email = invitation.group, Role(invitation.role), invitation.email
    inviter = getattr(invited_by, "display_name", "") or f"An admin of {group.name}"
    queue_email(
        key=key,
        subject=f"{settings.SERVICE_NAME}: you are invited to join {group.name}",
        body=(
            f"{inviter} has invited you to join {group.name} on {settings.SERVICE_NAME} as "
            f"{role.label.lower()}.\n\nAccept the invitation: {link}\n\n"
            "When you accept, we will ask for your name and email you a code to sign in with: "
            "there is no password to remember.\n\n"
            f"The link works once and expires on {invitation.expires_at:%d %B %Y}.\n\n"
            f"You are receiving this email because an admin of {group.name} invited {email}. "
            "If you were not expecting it, you can ignore it: nothing happens unless the link is used."
        ),
        to=[email],
        erase_after_send=True,  # the link is a credential: the outbox keeps it only until sent
    )


def open_invitations(*, group: LeadershipGroup) -> Any:
    """Invitations to this group neither accepted nor withdrawn (expired ones too: an admin may
    resend them), newest first."""
    return Invitation.objects.filter(group=group, accepted_at__isnull=True, revoked_at__isnull=True).order_by(
        "-created_at", "-pk"
    )


def pending_invitations(*, group: LeadershipGroup) -> Any:
    """Open invitations whose link still works."""
    return open_invitations(group=group).filter(expires_at__gt=timezone.now())


def _lock_pending(invitation: Invitation, actor: Any, doing: str) -> Invitation:
    # The invitation's row: a resend, a withdrawal and the invitee accepting never interleave.
    invitation = lock_row(Invitation.objects.select_related("group"), pk=invitation.pk)
    rules.require_admin(
        invitation.group,
        actor,
        message=f"Only an admin of {invitation.group.name} can {doing} invitations.",
        refuse=InvitationError,
    )
    if invitation.accepted_at is not None:
        raise InvitationError(f"{invitation.email} has already accepted this invitation.")
    if invitation.revoked_at is not None:
        raise InvitationError(f"The invitation to {invitation.email} was already withdrawn.")
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: Any, base_url: str) -> Invitation:
    """Send a pending (or expired, never accepted) invitation again, with a fresh link and expiry;
    the link sent before stops working."""
    invitation = _lock_pending(invitation, actor, "resend")
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.sent_count += 1
    invitation.save(update_fields=["token_hash", "expires_at", "sent_count"])
    # One message per link, however often this runs (jobs.mail).
    _send(invitation, token, base_url, actor, key=f"invitation:{invitation.pk}:{invitation.token_hash[:16]}")
    audit.record(
        action="accounts.invitation.resent",
        actor=actor,
        group=invitation.group,
        obj=invitation,
        data={"email": invitation.email, "times_sent": invitation.sent_count},
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: Any) -> Invitation:
    """Withdraw a pending invitation: its link is refused from now on."""
    invitation = _lock_pending(invitation, actor, "withdraw")
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        action="accounts.invitation.revoked",
        actor=actor,
        group=invitation.group,
        obj=invitation,
        data={"email": invitation.email},
    )
    return invitation


def invitation_find(*, token: str) -> Invitation:
    invitation = Invitation.objects.select_related("group").filter(token_hash=_hash(token)).first()
    if invitation is None:
        raise InvitationError("This invitation link is not valid. Check you copied the whole link.")
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used. Sign in with your email address.")
    if invitation.revoked_at is not None:
        raise InvitationError("This invitation was withdrawn. Ask your group admin if you should still join.")
    if invitation.expires_at <= timezone.now():
        raise InvitationError("This invitation has expired. Ask your group admin to invite you again.")
    return invitation


NAME_MAX = User._meta.get_field("full_name").max_length or 200


class NameRefused(InvitationError):
    """The name given is not usable; the message names the field."""


def clean_full_name(value: Any, *, required: bool) -> str:
    """A person's name as they give it: trimmed, without characters that cannot be stored or shown."""
    text = " ".join((value if isinstance(value, str) else "").split())
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise NameRefused("Your full name contains a character that cannot be stored.")
    if required and not text:
        raise NameRefused("Enter your full name.")
    if len(text) > NAME_MAX:
        raise NameRefused(f"Your full name must be {NAME_MAX} characters or fewer.")
    return text


@transaction.atomic
def invitation_accept(*, token: str, full_name: str = "") -> tuple[Invitation, User]:
    """Accept the invitation as the person it was sent to, with their name (asked for on the page,
    required when the account has none)."""
    found = invitation_find(token=token)
    # Lock so that two clicks on the same link accept it once.
    invitation = lock_row(Invitation.objects.select_related("group"), pk=found.pk)
    if not invitation.is_usable():
        raise InvitationError("This invitation has already been used. Sign in with your email address.")
    user = User.objects.select_for_update().filter(email__iexact=invitation.email).first()
    name = clean_full_name(full_name, required=user is None or not user.full_name)
    if user is None:
        user = User.objects.create_user(email=invitation.email, full_name=name)
    elif name and name != user.full_name:
        user.full_name = name
        user.save(update_fields=["full_name"])
    # The invitation was checked when an admin sent it; accepting it is the system honouring it
    # (actor=None), so it still works if the inviter has since stepped down.
    membership_set(group=invitation.group, user=user, role=invitation.role, actor=None)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        action="accounts.invitation.accepted",
        actor=user,
        group=invitation.group,
        obj=invitation,
        data={"name": user.full_name},
    )
    return invitation, user


@transaction.atomic
def account_set_name(*, user: User, full_name: str, actor: Any) -> User:
    """Change the name shown for an account; only its holder changes it here."""
    # One writer per account row: two tabs saving at once leave one name, not a mix.
    user = lock_row(User.objects.all(), pk=user.pk)
    if not getattr(actor, "is_authenticated", False) or actor.pk != user.pk:
        raise NameRefused("You can only change your own name.")
    name = clean_full_name(full_name, required=True)
    previous = user.full_name
    if name == previous:
        return user  # nothing changed, nothing to record
    user.full_name = name
    user.save(update_fields=["full_name"])
    audit.record(action="accounts.user.renamed", actor=actor, obj=user, data={"from": previous, "to": name})
    return user
