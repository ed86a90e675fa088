"""Members' glance pages: the public page's switch, a person's consent to be named on it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core.context import group_crumbs, render
from gpvoice.core.context import group_of as _group
from gpvoice.core.context import membership_of as _membership
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.permissions import group_member

from . import selectors, services
from .forms import ConsentForm, PublicPageForm


@group_member(roles=OFFICER_ROLES)
def public_settings(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    initial = {"public_page": "yes" if group.public_page else "no"}
    form = PublicPageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.public_page_set(
                group=group, enabled=form.cleaned_data["public_page"] == "yes", actor=request.user
            )
        except services.GlanceError as refusal:
            form.add_error(None, str(refusal))
        else:
            selectors.forget_public(group)
            messages.success(request, "The public page setting is saved.")
            return redirect("glance:public_settings", group.slug)
    return render(
        request,
        "glance/public_settings.jinja",
        form=form,
        public_href=reverse("glance:public", args=[group.slug]) if group.public_page else "",
        breadcrumbs=group_crumbs(request, ("Public page", None)),
    )


@group_member()
def consent(request: HttpRequest) -> HttpResponse:
    group, membership = _group(request), _membership(request)
    initial = {"named_publicly": "yes" if membership.named_publicly_at else "no"}
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.named_publicly_set(
                membership=membership, agreed=form.cleaned_data["named_publicly"] == "yes", actor=request.user
            )
        except services.GlanceError as refusal:
            form.add_error(None, str(refusal))
        else:
            selectors.forget_public(group)
            messages.success(request, "Your choice is saved.")
            return redirect("glance:consent", group.slug)
    return render(
        request,
        "glance/consent.jinja",
        form=form,
        breadcrumbs=group_crumbs(request, ("Being named on the public page", None)),
    )
