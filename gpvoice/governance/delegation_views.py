"""One line of the scheme of delegation: change it, record a review, read its history (admins)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.core.context import group_crumbs, render
from gpvoice.core.formats import short_when
from gpvoice.core.models import Role
from gpvoice.core.permissions import group_member

from . import selectors, services
from .forms import CategoryEditForm, ReviewDoneForm
from .models import DecisionCategory


def _history_rows(category: DecisionCategory) -> list[list[dict[str, str]]]:
    rows = []
    for change in selectors.category_history(category=category)[:100]:
        limit = f"£{change.spend_limit:,.2f}" if change.spend_limit is not None else "none"
        line = f"{change.get_authority_display()}; ceiling {limit}; review by {change.review_date:%d %B %Y}"
        who = change.changed_by.display_name if change.changed_by else "The system"
        rows.append(
            [
                {"text": short_when(change.changed_at)},
                {"text": change.get_kind_display()},
                {"text": line},
                {"text": change.note or "–"},
                {"text": who},
            ]
        )
    return rows


@group_member(roles=[Role.ADMIN])
def category_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    group = request.group  # type: ignore[attr-defined]
    category = selectors.category_in(group=group, pk=category_id)
    if category is None:
        raise Http404("No such category in this group's scheme")
    posted: Any = request.POST if request.method == "POST" else None
    reviewing = posted is not None and "review" in posted
    initial = {
        "authority": category.authority,
        "spend_limit": category.spend_limit,
        "review_date": category.review_date,
    }
    form = CategoryEditForm(posted if posted is not None and not reviewing else None, initial=initial)
    review = ReviewDoneForm(posted if reviewing else None)
    if posted is not None and not reviewing and form.is_valid():
        data = form.cleaned_data
        try:
            services.category_update(category=category, actor=request.user, **data)
        except services.GovernanceError as refusal:
            form.add_error("authority", str(refusal))
        else:
            messages.success(request, f"{category.name} was changed. The change is in its history below.")
            return redirect("governance:category", group.slug, category.pk)
    if reviewing and review.is_valid():
        try:
            services.category_review_done(
                category=category,
                actor=request.user,
                next_review=review.cleaned_data["next_review"],
                note=review.cleaned_data["review_note"],
            )
        except services.GovernanceError as refusal:
            review.add_error("next_review", str(refusal))
        else:
            messages.success(request, f"The review of {category.name} is recorded.")
            return redirect("governance:category", group.slug, category.pk)
    return render(
        request,
        "governance/category.jinja",
        category=category,
        overdue=category.review_overdue(),
        form=form,
        review=review,
        history=_history_rows(category),
        breadcrumbs=group_crumbs(
            request,
            ("Scheme of delegation", reverse("governance:delegation", args=[group.slug])),
            (category.name, None),
        ),
    )
