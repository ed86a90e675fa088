"""Bulletin pages: the archive, composing with a preview, sending, choices of email, unsubscribe."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from gpvoice.core.context import render
from gpvoice.core.formats import when
from gpvoice.core.markdown import render as markdown
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member, public

from .. import presenters, reads, selectors, services
from ..forms import BounceForm, BulletinForm, PreferencesForm
from ..models import Audience, Bulletin, BulletinStatus, Category, DeliveryState
from .common import crumbs, form_errors, g

PAGE = 25


def _crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    return crumbs(request, "Bulletins", "engagement:bulletins", *trail)


def bulletin_or_404(request: HttpRequest, bulletin_id: int) -> Bulletin:
    found = selectors.bulletin_for(membership=g(request).membership, pk=bulletin_id)
    if found is None:
        raise Http404("No such bulletin")
    return found


def _row(b: Bulletin) -> dict[str, str]:
    return {
        "title": b.title,
        "href": reverse("engagement:bulletin", args=[b.group.slug, b.pk]),
        "when": when(b.sent_at) if b.sent_at else "Draft",
        "category": Category(b.category).label,
    }


@group_member()
def bulletin_list(request: HttpRequest) -> HttpResponse:
    page = page_of(
        selectors.bulletins_for(membership=g(request).membership).select_related("group"),
        request,
        per_page=PAGE,
    )
    return render(
        request,
        "engagement/bulletins.jinja",
        rows=[_row(b) for b in page.object_list],
        caption=page_caption(page, "bulletins"),
        pagination=page_links(page, request),
        can_manage=selectors.is_officer(g(request).membership),
        breadcrumbs=_crumbs(request)[:-1] + [{"text": "Bulletins"}],
    )


def _form_values(form: BulletinForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {k: data[k] for k in ("title", "body", "category", "audience", "essential")}


@group_member(roles=OFFICER_ROLES)
def bulletin_new(request: HttpRequest) -> HttpResponse:
    form = BulletinForm(
        request.POST or None, initial={"category": Category.NEWS, "audience": Audience.ALL_STAFF}
    )
    if request.method == "POST" and form.is_valid():
        try:
            b = services.bulletin_create(group=g(request).group, actor=request.user, **_form_values(form))
        except services.BulletinError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The bulletin is drafted: check the preview, then send it.")
            return redirect("engagement:bulletin_edit", b.group.slug, b.pk)
    return render(
        request,
        "engagement/bulletin_new.jinja",
        form=form,
        breadcrumbs=_crumbs(request, ("Write a bulletin", None)),
    )


@group_member()
def bulletin_detail(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    b = bulletin_or_404(request, bulletin_id)
    if request.method == "GET" and b.status != BulletinStatus.DRAFT:
        reads.note_read(bulletin=b, user=request.user)
    return render(
        request,
        "engagement/bulletin.jinja",
        b=b,
        sent=when(b.sent_at) if b.sent_at else "Not yet sent",
        category=Category(b.category).label,
        body=markdown(b.body),
        can_manage=selectors.is_officer(g(request).membership),
        breadcrumbs=_crumbs(request, (b.title, None)),
    )


def _edit_post(request: HttpRequest, b: Bulletin, bounce: BounceForm) -> BulletinForm | None:
    what = request.POST.get("do", "")
    if what == "save":
        form = BulletinForm(request.POST)
        if not form.is_valid():
            return form
        services.bulletin_update(bulletin=b, actor=request.user, **_form_values(form))
        messages.success(request, "Saved. Check the preview before sending.")
    elif what == "send":
        services.bulletin_send(bulletin=b, actor=request.user)
        messages.success(request, "Sending: copies go out in batches in the background.")
    elif what == "bounce":
        if not bounce.is_valid():
            raise services.BulletinError(form_errors(bounce))
        services.bounce_record(bulletin=b, actor=request.user, **bounce.cleaned_data)
        messages.success(request, "The bounce is recorded.")
    else:
        raise services.BulletinError("Choose what to do.")
    return None


@group_member(roles=OFFICER_ROLES)
def bulletin_edit(request: HttpRequest, bulletin_id: int) -> HttpResponse:
    b = bulletin_or_404(request, bulletin_id)
    error, form = "", None
    bounce = BounceForm(request.POST if request.POST.get("do") == "bounce" else None)
    if request.method == "POST":
        try:
            form = _edit_post(request, b, bounce)
        except services.BulletinError as refusal:
            error = str(refusal)
        if form is None and not error:
            return redirect("engagement:bulletin_edit", b.group.slug, b.pk)
    form = form or BulletinForm(
        initial={
            "title": b.title,
            "body": b.body,
            "category": b.category,
            "audience": b.audience,
            "essential": b.essential,
        }
    )
    counts = selectors.delivery_counts(b) if b.status != BulletinStatus.DRAFT else {}
    return render(
        request,
        "engagement/bulletin_edit.jinja",
        b=b,
        form=form,
        error=error,
        draft=b.status == BulletinStatus.DRAFT,
        preview=markdown(b.body),
        audience=Audience(b.audience).label,
        counts=[
            {"key": {"text": DeliveryState(s).label}, "value": {"text": f"{n:,}"}}
            for s, n in sorted(counts.items())
        ],
        uncertain=presenters.uncertain(counts.get(DeliveryState.UNCERTAIN, 0)),
        bounce=bounce,
        breadcrumbs=_crumbs(
            request,
            (b.title, reverse("engagement:bulletin", args=[b.group.slug, b.pk])),
            ("Edit and send", None),
        ),
    )


@group_member()
def preferences(request: HttpRequest) -> HttpResponse:
    person = selectors.person_of(request.user)
    current = selectors.preferences_of(person) if person else {}
    form = PreferencesForm(request.POST or None, initial=current)
    if request.method == "POST" and person is not None and form.is_valid():
        try:
            services.preference_set(person=person, choices=form.cleaned_data, actor=request.user)
        except services.BulletinError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Your choices were saved.")
            return redirect("engagement:preferences", g(request).group.slug)
    return render(
        request,
        "engagement/preferences.jinja",
        form=form,
        has_person=person is not None,
        breadcrumbs=_crumbs(request, ("How often you hear from us", None)),
    )


@public
@csrf_exempt  # RFC 8058: mail clients post here without cookies; the signed token is the credential
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners open links); POST, from the page or a mail client's one-click, acts.
    The answer is the same for every token, so the page says nothing about who it was for."""
    done = False
    if request.method == "POST":
        services.unsubscribe(token=token)
        done = True
    return render(request, "engagement/unsubscribe.jinja", done=done)
