from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from gpvoice.core.context import render
from gpvoice.core.permissions import signed_in

from . import selectors, services
from .forms import CHOICES, PreferencesForm


@signed_in
def preferences(request: HttpRequest) -> HttpResponse:
    """A person chooses which optional emails they get; the notice that a vote has opened for their
    practice always goes (docs/adr/0010-notifications.md)."""
    current = selectors.preferences_of(user=request.user)
    initial = [name for name, _ in CHOICES if getattr(current, name)]
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial={"email_me": initial})
    if request.method == "POST" and form.is_valid():
        services.preferences_update(user=request.user, actor=request.user, **form.flags())
        messages.success(request, "Your notification settings were saved.")
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.jinja",
        form=form,
        breadcrumbs=[{"text": "Your groups", "href": "/"}, {"text": "Notification settings"}],
    )
