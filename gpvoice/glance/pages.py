"""The glance pages inside a group: the officers' dashboard, a practice's record (page and CSV) and
the annual report (page and PDF). Each shows the sections the installed apps register in core."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from gpvoice.core import glance, rules
from gpvoice.core.context import group_crumbs, render
from gpvoice.core.context import group_of as _group
from gpvoice.core.exports import csv_response
from gpvoice.core.kept import kept
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.permissions import group_member

from . import presenters, selectors

R = TypeVar("R", HttpResponse, StreamingHttpResponse)


def _no_store(response: R) -> R:
    response["Cache-Control"] = "no-store"
    return response


@group_member(roles=OFFICER_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    sections = [presenters.section_view(s) for s in glance.dashboard(group)]
    return render(
        request,
        "glance/dashboard.jinja",
        sections=sections,
        computed_at=timezone.now(),
        report_href=reverse("glance:report", args=[group.slug]),
        breadcrumbs=group_crumbs(request, ("Dashboard", None)),
    )


def _record_practice(request: HttpRequest) -> tuple[Any | None, list[Any]]:
    """The practice asked for (``?practice=<ODS code>``) if this person may read its record, and the
    practices they sign for; with one practice and no choice, that one. Another's is a 404."""
    group = _group(request)
    mine = selectors.recordable_practices(group=group, user=request.user)
    code = request.GET.get("practice", "").strip()
    if not code:
        return (mine[0] if len(mine) == 1 else None), mine
    officer = rules.is_officer(request.membership)  # type: ignore[attr-defined]
    found = selectors.practice_for_record(group=group, user=request.user, code=code, officer=officer)
    if found is None:
        raise Http404("No such practice record")
    return found, mine


@group_member()
def practice_record(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    practice, mine = _record_practice(request)
    # The officers' look-up form sent without a code: say so beside the field.
    missing = "practice" in request.GET and not request.GET["practice"].strip()
    sections = (
        [presenters.section_view(s) for s in glance.practice_record(group, practice)] if practice else []
    )
    base = reverse("glance:record", args=[group.slug])
    return _no_store(
        render(
            request,
            "glance/record.jinja",
            practice=practice,
            sections=sections,
            mine=[{"text": p.name, "href": f"{base}?practice={p.ods_code}"} for p in mine],
            can_look_up_any=rules.is_officer(request.membership),  # type: ignore[attr-defined]
            code_error="Enter the ODS code of a practice in the footprint" if missing else "",
            form_has_errors=missing,
            csv_href=f"{reverse('glance:record_csv', args=[group.slug])}?practice={practice.ods_code}"
            if practice
            else "",
            breadcrumbs=group_crumbs(request, ("A practice's record", None)),
        )
    )


@group_member()
def practice_record_csv(request: HttpRequest) -> StreamingHttpResponse:
    group = _group(request)
    practice, _ = _record_practice(request)
    rows: list[list[str]] = []
    name = "practice-record"
    if practice is not None:
        name = f"practice-record-{practice.ods_code}"
        rows.append(["Practice", practice.name, practice.ods_code])
        for section in glance.practice_record(group, practice):
            rows.extend(presenters.section_csv_rows(section))
    return _no_store(csv_response(name, ["Section", "", "", "", "", ""], rows))


def financial_year_now() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def financial_year(request: HttpRequest) -> int:
    """The report's year, April to March, named by the year it starts (``?year=2026`` is 2026/27);
    anything else is the current one."""
    current = financial_year_now()
    asked = request.GET.get("year", "")
    if asked.isascii() and asked.isdigit() and 2000 <= int(asked) <= current:
        return int(asked)
    return current


def _report_context(request: HttpRequest) -> dict[str, Any]:
    group = _group(request)
    year = financial_year(request)
    start, end = date(year, 4, 1), date(year + 1, 4, 1)
    base = reverse("glance:report", args=[group.slug])
    return {
        "year_text": f"{year}/{str(year + 1)[-2:]}",
        "start": start,
        "last_day": date(year + 1, 3, 31),
        # The same for every member, and read far more often than the records change (core.kept).
        "sections": kept(
            group,
            f"annual-report:{year}",
            lambda: [presenters.section_view(s) for s in glance.annual_report(group, start, end)],
        ),
        "previous_href": f"{base}?year={year - 1}" if year > 2000 else "",
        "next_href": f"{base}?year={year + 1}" if year < financial_year_now() else "",
        "pdf_href": f"{reverse('glance:report_pdf', args=[group.slug])}?year={year}",
        "year": year,
        "breadcrumbs": group_crumbs(request, ("Annual report", None)),
    }


@group_member()
def annual_report(request: HttpRequest) -> HttpResponse:
    return _no_store(render(request, "glance/report.jinja", **_report_context(request)))


@group_member()
def annual_report_pdf(request: HttpRequest) -> HttpResponse:
    """The report page laid out by WeasyPrint, with no network (meetings.pdf's fetcher)."""
    from gpvoice.meetings.pdf import pack_pdf

    context = _report_context(request)
    page = render(request, "glance/report.jinja", printing_pdf=True, **context)
    body = pack_pdf(page.content.decode(), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{context["year"]}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)
