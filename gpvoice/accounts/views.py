from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from gpvoice.core.context import render
from gpvoice.core.permissions import public, signed_in

from .officers import strong_sign_in_steps
from .services import InvitationError, invitation_accept, invitation_find


@public
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the invitation; only the POST accepts it (a GET never changes anything)."""
    try:
        invitation = invitation_find(token=token)
        if request.method == "POST":
            invitation, user = invitation_accept(token=token)
            messages.success(
                request, f"You have joined {invitation.group.name}. Sign in with a code sent to {user.email}."
            )
            return redirect("account_request_login_code")
    except InvitationError as error:
        return render(request, "accounts/invitation_invalid.jinja", status=410, reason=str(error))
    return render(request, "accounts/invitation.jinja", invitation=invitation)


@signed_in
def strong_sign_in_needed(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/strong_sign_in.jinja", steps=strong_sign_in_steps(request), status=403)
