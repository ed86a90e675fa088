"""Pages for group admins: who works at the group's practices, and who may act for each one.

Every change goes through directory.services (checked under the lock, audited); these views
only parse the form and show the service's refusal.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core.context import group_crumbs, render
from gpvoice.core.models import Role
from gpvoice.core.permissions import group_member

from . import selectors
from .models import Appointment, Organisation, RoleType
from .services import AppointmentError, appointment_add, appointment_end, appointment_set_signatory

PAGE_SIZE = 100


class AppointmentAddForm(forms.Form):
    full_name = forms.CharField(label="Name of the person", max_length=200)
    email = forms.EmailField(label="Work email address", max_length=254)
    role = forms.ChoiceField(label="Role", choices=RoleType.choices)
    title = forms.CharField(label="Job title (optional)", max_length=200, required=False)
    is_signatory = forms.TypedChoiceField(
        label="May they act for the practice (answer the mandate and cast its vote)?",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )


def _practice(request: HttpRequest, practice_code: str) -> Organisation:
    """One of this group's practices, or a 404: another group's practice is not found here."""
    group = request.group  # type: ignore[attr-defined]
    # Hostile text in the code never gets here: core.middleware.InvalidPathMiddleware 404s it.
    practice = selectors.footprint_practices(group=group).filter(ods_code=practice_code).first()
    if practice is None:
        raise Http404("No such practice in this group's footprint")
    return practice


def _posted_appointment(practice: Organisation, value: Any) -> Appointment:
    """A current appointment at this practice, from a posted id (anything else is a 404)."""
    found = next(
        (a for a in selectors.appointments_at(organisation=practice) if str(a.pk) == str(value)), None
    )
    if found is None:
        raise Http404("No such appointment at this practice")
    return found


def _rows(practice: Organisation, slug: str) -> list[dict[str, Any]]:
    return [
        {
            "appointment": a,
            "role": a.get_role_display() + (f" ({a.title})" if a.title else ""),
            "since": a.start.strftime("%d %B %Y"),
            "person_href": reverse("directory:person", args=[slug, a.person_id]),
            "signatory": a.is_signatory,
        }
        for a in selectors.appointments_at(organisation=practice)
    ]


@group_member(roles=[Role.ADMIN])
def appointments_index(request: HttpRequest) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    practices = selectors.footprint_practices(group=group).order_by("name")
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/appointments_index.jinja",
        page=page,
        breadcrumbs=group_crumbs(request, ("People at our practices", None)),
    )


@group_member(roles=[Role.ADMIN])
def practice_appointments(request: HttpRequest, practice_code: str) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    practice = _practice(request, practice_code)
    adding = request.method == "POST" and not {"end", "signatory"} & set(request.POST)
    form = AppointmentAddForm(request.POST if adding else None)
    here = reverse("directory:practice_appointments", args=[group.slug, practice.ods_code])
    if request.method == "POST":
        try:
            if "end" in request.POST:
                ended = appointment_end(
                    group=group,
                    appointment=_posted_appointment(practice, request.POST["end"]),
                    actor=request.user,
                )
                messages.success(request, f"{ended.person.full_name}'s appointment was ended.")
                return redirect(here)
            if "signatory" in request.POST:
                make = request.POST.get("make") == "1"
                changed = appointment_set_signatory(
                    group=group,
                    appointment=_posted_appointment(practice, request.POST["signatory"]),
                    is_signatory=make,
                    actor=request.user,
                )
                verb = "may now act" if make else "no longer acts"
                messages.success(request, f"{changed.person.full_name} {verb} for {practice.name}.")
                return redirect(here)
            if form.is_valid():
                added = appointment_add(
                    group=group, practice=practice, actor=request.user, **form.cleaned_data
                )
                messages.success(request, f"{added.person.full_name} was added to {practice.name}.")
                return redirect(here)
        except AppointmentError as refusal:
            if adding:
                form.add_error(None, str(refusal))
            else:
                messages.error(request, str(refusal))
                return redirect(here)
    return render(
        request,
        "directory/appointments_practice.jinja",
        practice=practice,
        rows=_rows(practice, group.slug),
        form=form,
        breadcrumbs=group_crumbs(
            request,
            ("People at our practices", reverse("directory:appointments", args=[group.slug])),
            (practice.name, None),
        ),
    )
