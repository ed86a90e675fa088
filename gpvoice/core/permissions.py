"""The permission layer. Every view is classified by one of these decorators.

``access`` on a view says who may reach it; the URL-walking authorisation test reads it and
fails for any route that is not classified.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from .models import OFFICER_ROLES, Role
from .selectors import memberships_of

View = Callable[..., HttpResponseBase]

PUBLIC = "public"
SIGNED_IN = "signed-in"
ALL_ROLES = frozenset(Role)


def public(view: View) -> View:
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapper.access = SIGNED_IN  # type: ignore[attr-defined]
    return wrapper


def group_member(roles: Iterable[Role] = ALL_ROLES) -> Callable[[View], View]:
    """Resolve ``slug`` to a group the user belongs to with one of ``roles``.

    A group the user does not belong to is a 404, never a 403: its existence is private.
    Officer-only views also need a password + second-factor sign-in (accounts.officers).
    """
    allowed = frozenset(roles)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # All the user's memberships in one query: this group's is the one the request goes
            # through, and the page's group switcher lists the rest without asking again.
            mine = list(memberships_of(user=request.user))
            membership = next((m for m in mine if m.group.slug == slug), None)
            if membership is None:
                raise Http404("No such group")
            if membership.role not in allowed:
                raise Http404("No such page in this group")
            if allowed <= OFFICER_ROLES:
                from gpvoice.accounts.officers import has_strong_sign_in, strong_sign_in_redirect

                if not has_strong_sign_in(request):
                    return strong_sign_in_redirect(request)
            request.user_memberships = mine  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            request.group = membership.group  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.access = ("group", allowed)  # type: ignore[attr-defined]
        return wrapper

    return decorate
