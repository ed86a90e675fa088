from __future__ import annotations

from allauth.account.internal.flows.login_by_code import LoginCodeVerificationProcess
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from gpvoice.core.context import render
from gpvoice.core.permissions import public, signed_in
from gpvoice.directory.services import (
    DeclarationError,
    declaration_declare,
    declaration_end,
    declaration_renew,
)

from .forms import DeclarationForm, NameForm
from .officers import strong_sign_in_page
from .presenters import profile_page
from .selectors import own_declaration, own_person
from .services import InvitationError, NameRefused, account_set_name, invitation_accept, invitation_find


@public
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the invitation and asks for a name; only the POST accepts it, then emails the
    first sign-in code and asks for it (a GET never changes anything)."""
    try:
        invitation = invitation_find(token=token)
    except InvitationError as error:
        return render(request, "accounts/invitation_invalid.jinja", status=410, reason=str(error))
    form = NameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, user = invitation_accept(token=token, full_name=form.cleaned_data["full_name"])
        except NameRefused as error:
            form.add_error("full_name", str(error))
        except InvitationError as error:
            return render(request, "accounts/invitation_invalid.jinja", status=410, reason=str(error))
        else:
            return _first_sign_in(request, user, invitation.group)
    return render(request, "accounts/invitation.jinja", invitation=invitation, form=form)


def _first_sign_in(request: HttpRequest, user: object, group: object) -> HttpResponse:
    home = reverse("core:group_home", args=[group.slug])  # type: ignore[attr-defined]
    if request.user.is_authenticated and request.user.pk == user.pk:  # type: ignore[attr-defined]
        messages.success(request, f"You have joined {group}.")
        return redirect(home)
    if request.user.is_authenticated:
        logout(request)  # someone else was signed in on this browser: the new member signs in as themselves
    LoginCodeVerificationProcess.initiate(request=request, user=user, email=user.email)  # type: ignore[attr-defined]
    messages.success(
        request,
        f"You have joined {group}. We have emailed a sign-in code to {user.email}: "  # type: ignore[attr-defined]
        "enter it below to sign in.",
    )
    return redirect(reverse("account_confirm_login_code") + "?" + urlencode({"next": home}))


@signed_in
def strong_sign_in_needed(request: HttpRequest) -> HttpResponse:
    page = strong_sign_in_page(request)
    # 403 while steps remain (the page asked for is still refused); 200 once they are all done.
    return render(request, "accounts/strong_sign_in.jinja", status=200 if page["all_done"] else 403, **page)


@signed_in
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The person's own page: name (editable), groups, practices and appointments, declarations,
    sign-in settings."""
    form = NameForm(
        request.POST if request.method == "POST" else None,
        initial={"full_name": request.user.full_name},  # type: ignore[union-attr]
    )
    if request.method == "POST" and form.is_valid():
        try:
            account_set_name(user=request.user, full_name=form.cleaned_data["full_name"], actor=request.user)  # type: ignore[arg-type]
        except NameRefused as error:
            form.add_error("full_name", str(error))
        else:
            messages.success(request, "Your name has been saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.jinja", form=form, page=profile_page(request))


@signed_in
@require_http_methods(["GET", "POST"])
def declaration_new(request: HttpRequest) -> HttpResponse:
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration_declare(actor=request.user, **form.cleaned_data)
        except DeclarationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your interest in {form.cleaned_data['interest']} has been declared.")
            return redirect(reverse("accounts:profile") + "#declarations")
    return render(request, "accounts/declaration_new.jinja", form=form)


@signed_in
@require_http_methods(["GET", "POST"])
def declaration_change(request: HttpRequest) -> HttpResponse:
    """POST ``declaration`` (an id of one of my own) with ``renew`` or ``end``; a GET goes back."""
    back = reverse("accounts:profile") + "#declarations"
    if request.method != "POST":
        return redirect(back)
    declaration = own_declaration(
        person=own_person(user=request.user), pk=request.POST.get("declaration", "")
    )
    if declaration is None:
        messages.error(request, "That declaration is not one of yours, or has ended.")
        return redirect(back)
    try:
        if "end" in request.POST:
            declaration_end(declaration=declaration, actor=request.user)
            messages.success(request, "The interest is recorded as ended today.")
        else:
            declaration_renew(declaration=declaration, actor=request.user)
            messages.success(request, "Thank you: your declaration is renewed for another year.")
    except DeclarationError as error:
        messages.error(request, str(error))
    return redirect(back)
