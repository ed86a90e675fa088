from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core.context import group_crumbs, render
from gpvoice.core.models import Role
from gpvoice.core.permissions import group_member

from . import selectors
from .forms import FootprintAddForm, PracticeFilterForm
from .services import FootprintError, footprint_add, footprint_remove

PAGE_SIZE = 50


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
    practices = selectors.practice_list(group=group, filters=filters)
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/practice_list.jinja",
        form=form,
        page=page,
        query=query.urlencode(),
        england=filters.scope == selectors.Scope.ENGLAND,
        breadcrumbs=group_crumbs(request, ("Practices", None)),
    )


@group_member()
def practice_detail(request: HttpRequest, practice_code: str) -> HttpResponse:
    practice = selectors.practice_by_code(code=practice_code)
    if practice is None:
        raise Http404("No such practice")
    group = request.group  # type: ignore[attr-defined]
    return render(
        request,
        "directory/practice_detail.jinja",
        practice=practice,
        people=selectors.appointments_visible_at(group=group, organisation=practice),
        list_sizes=list(practice.list_sizes.all()[:12]),
        groups=selectors.groups_covering(practice=practice, user=request.user),
        in_footprint=selectors.in_footprint(group=group, organisation=practice),
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
        in_footprint=selectors.in_footprint(group=group, organisation=pcn),
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


@group_member(roles=[Role.ADMIN])
def footprint_edit(request: HttpRequest) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    form = FootprintAddForm(
        request.POST if request.method == "POST" and "remove" not in request.POST else None
    )
    if request.method == "POST":
        if "remove" in request.POST:
            entry = selectors.footprint_entry(group=group, pk=request.POST["remove"])
            if entry is None:
                raise Http404("No such footprint entry")
            footprint_remove(entry=entry, actor=request.user)
            messages.success(request, f"{entry.organisation.name} was removed from the footprint.")
            return redirect("directory:footprint", group.slug)
        if form.is_valid():
            try:
                footprint_add(group=group, organisation=form.cleaned_data["organisation"], actor=request.user)
            except FootprintError as error:
                form.add_error("ods_code", str(error))
            else:
                messages.success(
                    request, f"{form.cleaned_data['organisation'].name} was added to the footprint."
                )
                return redirect("directory:footprint", group.slug)
    practices = selectors.footprint_practices(group=group)
    return render(
        request,
        "directory/footprint.jinja",
        form=form,
        entries=list(selectors.footprint_entries(group=group)),
        practice_count=practices.count(),
        breadcrumbs=_crumbs(request, ("Footprint", None))[:1] + [{"text": "Footprint"}],
    )
