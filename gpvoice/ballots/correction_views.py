"""Officers correcting a ballot (cancel, extend) and the result as a file or a printable page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.accounts.officers import has_strong_sign_in
from gpvoice.core.context import render
from gpvoice.core.exports import csv_response
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.permissions import group_member

from . import presenters, selectors, services
from .forms import CancelForm, ExtendForm
from .models import Ballot
from .views import _ballot, _crumbs


def _correcting(request: HttpRequest, ballot_id: int) -> tuple[Ballot, Any]:
    ballot = _ballot(request, ballot_id)
    actions = presenters.actions_for(ballot, request.membership)  # type: ignore[attr-defined]
    return ballot, actions


def _page(request: HttpRequest, ballot: Ballot, template: str, current: str, **context: Any) -> HttpResponse:
    detail = reverse("ballots:detail", args=[ballot.group.slug, ballot.pk])
    return render(
        request,
        template,
        ballot=ballot,
        breadcrumbs=_crumbs(request, (ballot.title, detail), (current, None)),
        **context,
    )


@group_member(roles=OFFICER_ROLES)
def ballot_cancel(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """A confirm page with the reason voters will read; the POST cancels (works without JS)."""
    ballot, actions = _correcting(request, ballot_id)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not has_strong_sign_in(request):
        return redirect("accounts:strong_sign_in_needed")
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_cancel(ballot=ballot, reason=form.cleaned_data["reason"], actor=request.user)
        except services.BallotError as refusal:
            form.add_error("reason", str(refusal))
        else:
            messages.success(request, "The ballot is cancelled. Nothing cast in it will be counted.")
            return redirect("ballots:detail", ballot.group.slug, ballot.pk)
    return _page(request, ballot, "ballots/cancel.jinja", "Cancel", form=form, allowed=actions.can_cancel)


@group_member(roles=OFFICER_ROLES)
def ballot_extend(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot, actions = _correcting(request, ballot_id)
    form = ExtendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not has_strong_sign_in(request):
        return redirect("accounts:strong_sign_in_needed")
    if request.method == "POST" and form.is_valid():
        try:
            _, told = services.ballot_extend(ballot=ballot, closes_at=form.closes_at(), actor=request.user)
        except services.BallotError as refusal:
            form.add_error("closes_on", str(refusal))
        else:
            who = (
                f"{told} elector{'s' if told != 1 else ''} will be told by email."
                if told
                else (
                    "Nobody has been emailed: the ballot has not opened, so it has no electors yet."
                    if ballot.status == "scheduled"
                    else "Nobody could be emailed: no elector has an email address."
                )
            )
            messages.success(request, f"The closing time is extended. {who}")
            return redirect("ballots:detail", ballot.group.slug, ballot.pk)
    return _page(request, ballot, "ballots/extend.jinja", "Extend", form=form, allowed=actions.can_extend)


def _visible(request: HttpRequest, ballot_id: int) -> Ballot:
    ballot = _ballot(request, ballot_id)
    if not selectors.result_visible_to(ballot=ballot, membership=request.membership):  # type: ignore[attr-defined]
        raise Http404("No result to show yet")
    return ballot


@group_member()
def ballot_result_print(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """The result on one plain page, for printing or saving as a PDF from the browser."""
    ballot = _visible(request, ballot_id)
    return render(
        request,
        "ballots/result_print.jinja",
        ballot=ballot,
        lines=presenters.result_lines(ballot.result) if ballot.result else [],
        hands=list(ballot.options.all()) if ballot.is_recorded else [],
        rule_rows=presenters.rule_rows(ballot, list(ballot.options.all())),
    )


@group_member()
def ballot_result_csv(request: HttpRequest, ballot_id: int) -> StreamingHttpResponse:
    """The counted figures per option and, for an open ballot, each elector's vote, as CSV."""
    ballot = _visible(request, ballot_id)
    return csv_response(
        f"ballot-{ballot.pk}-result", ["section", "label", "figure", "detail"], _result_rows(ballot)
    )


def _result_rows(ballot: Ballot) -> Iterator[list[Any]]:
    if ballot.is_recorded:
        for option in ballot.options.all():
            yield ["option", option.label, option.hands, ""]
        return
    result = ballot.result or {}
    for line in presenters.result_lines(result) if result else []:
        yield ["summary", line.strip(), "", ""]
    for row in result.get("options", []):
        yield ["option", row["label"], row["count"], row.get("patients")]
    if not ballot.is_secret:
        labels = {str(o.pk): o.label for o in ballot.options.all()}
        for vote in selectors.open_ballot_votes(ballot=ballot).iterator(chunk_size=500):
            yield [
                "vote",
                vote.elector.label,
                presenters.describe_vote(vote.content, labels),
                vote.cast_at.isoformat(),
            ]
