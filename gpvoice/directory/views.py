from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core.context import group_crumbs, render
from gpvoice.core.models import Role
from gpvoice.core.pagination import CountedPaginator
from gpvoice.core.permissions import group_member

from . import selectors
from .forms import FootprintAddForm, FootprintSearchForm, PracticeFilterForm
from .models import OrgStatus
from .services import FootprintError, footprint_add
from .services import footprint_remove as footprint_remove_service

PAGE_SIZE = 50
STATUS_LABELS: dict[str, str] = dict(OrgStatus.choices)


def _crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    practices = reverse("directory:practices", args=[request.group.slug])  # type: ignore[attr-defined]
    return group_crumbs(request, ("Practices", practices), *trail)


@group_member()
def practice_list(request: HttpRequest) -> HttpResponse:
    form = PracticeFilterForm(request.GET or None, choices=selectors.filter_choices())
    filters = (
        selectors.PracticeFilters(**form.cleaned_data) if form.is_valid() else selectors.PracticeFilters()
    )
    group = request.group  # type: ignore[attr-defined]
    practices = selectors.practice_page_rows(group=group, filters=filters)
    count = selectors.practice_count(group=group, filters=filters)
    paginator = (
        Paginator(practices, PAGE_SIZE) if count is None else CountedPaginator(practices, PAGE_SIZE, count)
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/practice_list.jinja",
        form=form,
        page=page,
        query=query.urlencode(),
        england=filters.scope == selectors.Scope.ENGLAND,
        status_labels=STATUS_LABELS,
        breadcrumbs=group_crumbs(request, ("Practices", None)),
    )


@group_member()
def practice_detail(request: HttpRequest, practice_code: str) -> HttpResponse:
    practice = selectors.practice_by_code(code=practice_code)
    if practice is None:
        raise Http404("No such practice")
    people = selectors.appointments_visible_at(group=request.group, organisation=practice)  # type: ignore[attr-defined]
    return render(
        request,
        "directory/practice_detail.jinja",
        practice=practice,
        people=people,
        list_sizes=list(practice.list_sizes.all()[:12]),
        groups=selectors.groups_covering(practice=practice, user=request.user),
        in_footprint=people.in_footprint,
        breadcrumbs=_crumbs(request, (practice.name, None)),
    )


@group_member()
def pcn_detail(request: HttpRequest, pcn_code: str) -> HttpResponse:
    pcn = selectors.pcn_by_code(code=pcn_code)
    if pcn is None:
        raise Http404("No such PCN")
    group = request.group  # type: ignore[attr-defined]
    people = selectors.appointments_visible_at(group=group, organisation=pcn)
    return render(
        request,
        "directory/pcn_detail.jinja",
        pcn=pcn,
        members=list(selectors.pcn_members(pcn=pcn)),
        total=selectors.pcn_total_list_size(pcn=pcn),
        people=people,
        directors=selectors.clinical_directors(people.visible),
        in_footprint=people.in_footprint,
        breadcrumbs=_crumbs(request, (pcn.name, None)),
    )


@group_member()
def organisation_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation = selectors.organisation_by_id(pk=org_id)
    if organisation is None:
        raise Http404("No such organisation")
    return render(
        request,
        "directory/organisation_detail.jinja",
        organisation=organisation,
        people=selectors.appointments_visible_at(group=request.group, organisation=organisation),  # type: ignore[attr-defined]
        breadcrumbs=_crumbs(request, (organisation.name, None)),
    )


@group_member()
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_in_group(group=request.group, pk=person_id)  # type: ignore[attr-defined]
    if person is None:
        raise Http404("No such person in this group's records")
    return render(
        request,
        "directory/person_detail.jinja",
        person=person,
        appointments=selectors.person_appointments(person=person),
        declarations=selectors.person_declarations(person=person),
        breadcrumbs=_crumbs(request, (person.full_name, None)),
    )


SEARCH_PAGE_SIZE = 20


@group_member(roles=[Role.ADMIN])
def footprint_edit(request: HttpRequest) -> HttpResponse:
    """The footprint: what is chosen (each with a confirmed removal), a search across ICBs,
    sub-ICB locations, PCNs and practices by name or code, and adding by code."""
    group = request.group  # type: ignore[attr-defined]
    posted = request.POST if request.method == "POST" else None
    form = FootprintAddForm(posted if posted is not None and "add" not in posted else None)
    search = FootprintSearchForm(request.GET or None)
    if posted is not None and "remove" in posted:
        # Removal is confirmed on its own page (works without JavaScript); nothing changes here.
        entry = selectors.footprint_entry(group=group, pk=posted["remove"])
        if entry is None:
            raise Http404("No such footprint entry")
        return redirect("directory:footprint_remove", group.slug, entry.pk)
    if posted is not None and "add" in posted:
        organisation = selectors.footprint_candidate(pk=posted["add"])
        if organisation is None:
            raise Http404("No such organisation")
        return _add(request, group, organisation, form)
    if posted is not None and form.is_valid():
        return _add(request, group, form.cleaned_data["organisation"], form)
    return _footprint_page(request, group, form, search)


def _add(request: HttpRequest, group: Any, organisation: Any, form: FootprintAddForm) -> HttpResponse:
    try:
        footprint_add(group=group, organisation=organisation, actor=request.user)
    except FootprintError as error:
        if form.is_bound:
            form.add_error("ods_code", str(error))
            return _footprint_page(request, group, form, FootprintSearchForm(None))
        messages.error(request, str(error))
    else:
        messages.success(request, f"{organisation.name} was added to the footprint.")
    return redirect("directory:footprint", group.slug)


def _footprint_page(request: HttpRequest, group: Any, form: Any, search: FootprintSearchForm) -> HttpResponse:
    term = search.cleaned_data["q"] if search.is_valid() else ""
    found = (
        Paginator(selectors.footprint_candidates(term=term), SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        if term
        else None
    )
    entries = list(selectors.footprint_entries(group=group))
    chosen = {e.organisation_id for e in entries}
    return render(
        request,
        "directory/footprint.jinja",
        form=form if form.errors else (search if search.errors else form),
        add_form=form,
        search=search,
        term=term,
        found=found,
        found_rows=[(o, o.pk in chosen) for o in found] if found is not None else [],
        query=urlencode({"q": term}),
        entries=entries,
        practice_count=selectors.footprint_practices(group=group).count(),
        breadcrumbs=_crumbs(request, ("Footprint", None))[:1] + [{"text": "Footprint"}],
    )


@group_member(roles=[Role.ADMIN])
def footprint_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Confirm, then remove one entry of the footprint (a plain form: no JavaScript needed)."""
    group = request.group  # type: ignore[attr-defined]
    entry = selectors.footprint_entry(group=group, pk=entry_id)
    if entry is None:
        raise Http404("No such footprint entry")
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            footprint_remove_service(entry=entry, actor=request.user)
        except FootprintError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{entry.organisation.name} was removed from the footprint.")
        return redirect("directory:footprint", group.slug)
    covered = selectors.footprint_practices(group=group).count()
    return render(
        request,
        "directory/footprint_remove.jinja",
        entry=entry,
        covered=covered,
        breadcrumbs=_crumbs(request, ("Footprint", reverse("directory:footprint", args=[group.slug])))[:1]
        + [
            {"text": "Footprint", "href": reverse("directory:footprint", args=[group.slug])},
            {"text": "Remove"},
        ],
    )
