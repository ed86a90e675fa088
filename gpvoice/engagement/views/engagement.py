"""The engagement view: who took part, per practice and per PCN, and the practices to follow up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import engagement as registry
from gpvoice.core.context import render
from gpvoice.core.exports import csv_response
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member

from .. import selectors, services
from ..figures import THIN_BELOW
from .common import g

PAGE = 50
VIEWS = {"practices": "Practices", "pcns": "PCNs", "thin": "Thin engagement"}


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    this = timezone.localdate().year
    return int(raw) if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= this + 1 else this


def _cells(figures: dict[str, Any], keys: list[str]) -> list[str]:
    out = []
    for key in keys:
        took, asked = figures.get(key, (0, 0))
        out.append(f"{took} of {asked}" if asked else "–")
    return out


def _share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


@group_member(roles=OFFICER_ROLES)
def engagement_view(request: HttpRequest) -> HttpResponse:
    group, year = g(request).group, _year(request)
    if request.method == "POST":
        try:
            if request.POST.get("do") != "recount":
                raise services.ConsultationError("Choose what to do.")
            services.engagement_refresh(group=group, year=year, actor=request.user)
        except services.ConsultationError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Recounted.")
        return redirect(f"{request.path}?year={year}")
    which = request.GET.get("view", "practices")
    which = which if which in VIEWS else "practices"
    signals = registry.signals()
    keys = [s.key for s in signals]
    if which == "pcns":
        page = page_of(selectors.pcn_figures(group=group, year=year), request, per_page=PAGE)
        rows = [
            [r.pcn.name if r.pcn else "No PCN", f"{r.practices:,}", *_cells(r.figures, keys), _share(r.share)]
            for r in page.object_list
        ]
        head = ["PCN", "Practices"]
    else:
        page = page_of(
            selectors.practice_figures(group=group, year=year, thin=which == "thin"), request, per_page=PAGE
        )
        rows = [
            [r.practice.name, r.pcn.name if r.pcn else "", *_cells(r.figures, keys), _share(r.share)]
            for r in page.object_list
        ]
        head = ["Practice", "PCN"]
    return render(
        request,
        "engagement/engagement.jinja",
        year=year,
        which=which,
        tabs=[
            {"text": label, "href": f"?view={key}&year={year}", "current": key == which}
            for key, label in VIEWS.items()
        ],
        head=[*head, *[s.label for s in signals], "Overall"],
        rows=rows,
        caption=page_caption(
            page, VIEWS[which].lower() if which != "thin" else "practices with thin engagement"
        ),
        pagination=page_links(page, request),
        thin_rule=f"took part in under {THIN_BELOW.numerator} in {THIN_BELOW.denominator} of its chances",
        years=[
            {"text": str(y), "href": f"?view={which}&year={y}"}
            for y in selectors.figures_year(group=group)
            if y != year
        ],
        breadcrumbs=[
            {"text": group.name, "href": reverse("core:group_home", args=[group.slug])},
            {"text": "Engagement"},
        ],
    )


@group_member(roles=OFFICER_ROLES)
def thin_export(request: HttpRequest) -> StreamingHttpResponse:
    group, year = g(request).group, _year(request)
    signals = registry.signals()
    keys = [s.key for s in signals]
    rows = (
        [
            r.practice.name,
            r.practice.ods_code,
            r.pcn.name if r.pcn else "",
            *_cells(r.figures, keys),
            _share(r.share),
        ]
        for r in selectors.practice_figures(group=group, year=year, thin=True).iterator(chunk_size=500)
    )
    header = ["Practice", "ODS code", "PCN", *[s.label for s in signals], "Overall"]
    return csv_response(f"{group.slug}-thin-engagement-{year}", header, rows)
