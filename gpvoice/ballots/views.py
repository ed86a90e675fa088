from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.accounts.officers import has_strong_sign_in
from gpvoice.core.context import group_crumbs, render
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.pagination import PAGE_SIZE, page_caption, page_links, page_of
from gpvoice.core.permissions import group_member
from gpvoice.governance.selectors import people_on_roll

from . import presenters, sealing, selectors, services
from .contents import InvalidChoice
from .forms import BallotForm, ReceiptForm, ShowOfHandsForm, parse_cast
from .models import Ballot, Method, Status

VOTES_PER_PAGE = PAGE_SIZE


def _group(request: HttpRequest) -> Any:
    return request.group  # type: ignore[attr-defined]


def _crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    return group_crumbs(request, ("Ballots", reverse("ballots:list", args=[_group(request).slug])), *trail)


def _ballot(request: HttpRequest, ballot_id: int) -> Ballot:
    """The ballot, in this group and visible to this member, brought up to time (open/close)."""
    ballot = selectors.ballot_for(membership=request.membership, pk=ballot_id)  # type: ignore[attr-defined]
    if ballot is None:
        raise Http404("No such ballot")
    try:
        return services.advance(ballot=ballot)
    except services.BallotError as refusal:  # it cannot close (a seal no key opens): say so
        messages.error(request, str(refusal))
        return ballot


@group_member()
def ballot_list(request: HttpRequest) -> HttpResponse:
    services.advance_due_in(group=_group(request))  # the clock, checked as the vote page checks it
    page = page_of(selectors.ballot_list_page(membership=request.membership), request)  # type: ignore[attr-defined]
    return render(
        request,
        "ballots/list.jinja",
        ballots=[presenters.list_row(b) for b in page.object_list],
        caption=page_caption(page, "ballots"),
        pages=page_links(page, request, label="Pages of ballots"),
        can_create=presenters.can_create(request.membership),  # type: ignore[attr-defined]
        breadcrumbs=group_crumbs(request, ("Ballots", None)),
    )


@group_member(roles=OFFICER_ROLES)
def ballot_new(request: HttpRequest) -> HttpResponse:
    form = BallotForm(request.POST or None, initial=BallotForm.initial_for(None))
    if request.method == "POST" and form.is_valid():
        try:
            ballot = services.ballot_create(group=_group(request), draft=form.draft(), actor=request.user)
        except services.BallotError as refusal:
            for problem in refusal.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "The ballot was saved as a draft. Schedule it when it is ready.")
            return redirect("ballots:detail", _group(request).slug, ballot.pk)
    return render(
        request,
        "ballots/form.jinja",
        form=form,
        ballot=None,
        breadcrumbs=_crumbs(request, ("New ballot", None)),
    )


@group_member(roles=OFFICER_ROLES)
def ballot_edit(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = _ballot(request, ballot_id)
    form = BallotForm(request.POST or None, initial=BallotForm.initial_for(ballot))
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_update(ballot=ballot, draft=form.draft(), actor=request.user)
        except services.BallotError as refusal:
            for problem in refusal.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "The draft was saved.")
            return redirect("ballots:detail", _group(request).slug, ballot.pk)
    return render(
        request,
        "ballots/form.jinja",
        form=form,
        ballot=ballot,
        breadcrumbs=_crumbs(
            request, (ballot.title, reverse("ballots:detail", args=[ballot.group.slug, ballot.pk]))
        ),
    )


@group_member()
def ballot_detail(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = _ballot(request, ballot_id)
    error = None
    actions = presenters.actions_for(ballot, request.membership)  # type: ignore[attr-defined]
    if request.method == "POST":
        if not actions.can_manage:
            raise Http404("Only officers manage ballots")
        if not has_strong_sign_in(request):
            return redirect("accounts:strong_sign_in_needed")
        action = request.POST.get("action")
        services_for = {
            "schedule": (
                services.ballot_schedule,
                "The ballot is scheduled. It opens and closes on time by itself.",
            ),
            "unschedule": (services.ballot_unschedule, "The ballot is back in draft."),
            "publish": (services.ballot_publish, "The result is published."),
        }
        if action not in services_for:
            error = "Choose what to do with this ballot."
        else:
            service, done = services_for[action]
            try:
                moved = service(ballot=ballot, actor=request.user)
            except services.BallotError as refusal:
                error = str(refusal)
            else:
                if action == "schedule" and moved.status == Status.OPEN:
                    done = (
                        "The opening time had passed, so the ballot is open now. It closes on time by itself."
                    )
                messages.success(request, done)
                return redirect("ballots:detail", ballot.group.slug, ballot.pk)
    electors = services.electors_for(ballot=ballot, user=request.user)
    voted = selectors.voted_electors(ballot=ballot, electors=electors)
    return render(
        request,
        "ballots/detail.jinja",
        ballot=ballot,
        tag=presenters.status_tag(ballot),
        rule_rows=presenters.rule_rows(ballot, list(ballot.options.all())),
        electors=[(e, e.pk in voted) for e in electors],
        turnout=selectors.turnout(ballot=ballot) if ballot.status != Status.DRAFT else None,
        participation=_participation(request, ballot) if actions.can_see_participation else None,
        present=list(ballot.present.all()) if ballot.is_recorded else [],
        actions=actions,
        error=error,
        breadcrumbs=_crumbs(request, (ballot.title, None)),
    )


def _participation(request: HttpRequest, ballot: Ballot) -> dict[str, Any]:
    """One page of who has voted, all of them or only those who have (not) voted yet."""
    shown = request.GET.get("electors", "")
    shown = shown if shown in selectors.PARTICIPATION_FILTERS else ""
    electors = selectors.participation_list(ballot=ballot, voted=selectors.PARTICIPATION_FILTERS[shown])
    page = page_of(electors, request)
    return {
        "electors": page.object_list,
        "caption": page_caption(page, "electors"),
        "pages": page_links(page, request, label="Pages of electors", anchor="#participation"),
        "filters": [
            {
                "text": text,
                "href": f"?electors={value}#participation" if value else "?#participation",
                "current": value == shown,
            }
            for value, text in (("", "All"), ("not-voted", "Not voted yet"), ("voted", "Voted"))
        ],
    }


@group_member()
def ballot_vote(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = _ballot(request, ballot_id)
    options = list(ballot.options.all())
    error = None
    if request.method == "POST":
        # The service finds the elector from the posted practice code, under the ballot's lock.
        try:
            content = parse_cast(ballot=ballot, options=options, data=request.POST)
            cast = services.ballot_cast(
                ballot=ballot,
                user=request.user,
                content=content,
                practice_code=request.POST.get("practice") or None,
            )
        except (InvalidChoice, services.BallotError) as refusal:
            error = str(refusal)
        else:
            who = cast.elector.label
            if cast.receipt:
                # Post, redirect, get: the receipt waits in the session (never in a URL) and
                # the receipt page shows it once; a reload neither casts again nor shows it.
                request.session[_receipt_key(ballot)] = {
                    "receipt": sealing.seal_receipt(ballot_id=ballot.pk, receipt=cast.receipt),
                    "who": who,
                    "replaced": cast.replaced,
                }
                return redirect("ballots:receipt", ballot.group.slug, ballot.pk)
            done = "Your new vote replaces the earlier one" if cast.replaced else "Vote recorded"
            messages.success(request, f"{done}: {who}, in “{ballot.title}”.")
            if request.POST.get("return_to") == "home":  # came from the to-do list: back to it
                return redirect("core:group_home", ballot.group.slug)
            return redirect("ballots:detail", ballot.group.slug, ballot.pk)
    electors = services.electors_for(ballot=ballot, user=request.user)  # for the page only
    labels = {str(o.pk): o.label for o in options}
    current = {  # read for the page only: a cast that succeeds has been redirected by now
        elector_id: presenters.describe_vote(vote.content, labels)
        for elector_id, vote in selectors.current_votes(ballot=ballot, electors=electors).items()
    }
    return render(
        request,
        "ballots/vote.jinja",
        ballot=ballot,
        options=options,
        electors=electors,
        current=current,
        error=error,
        posted=request.POST if request.method == "POST" else None,
        is_ranked=ballot.is_ranked,
        methods=Method,
        return_home=request.GET.get("from") == "home" or request.POST.get("return_to") == "home",
        breadcrumbs=_crumbs(
            request,
            (ballot.title, reverse("ballots:detail", args=[ballot.group.slug, ballot.pk])),
            ("Vote", None),
        ),
    )


def _receipt_key(ballot: Ballot) -> str:
    return f"ballots.receipt.{ballot.pk}"


@group_member()
def ballot_receipt(request: HttpRequest, ballot_id: int) -> HttpResponse:
    """The receipt of the secret vote just cast, shown once (it is taken out of the session)."""
    ballot = _ballot(request, ballot_id)
    waiting = request.session.pop(_receipt_key(ballot), None)
    receipt = (
        sealing.open_receipt(ballot_id=ballot.pk, sealed=waiting.get("receipt", ""))
        if isinstance(waiting, dict)
        else None
    )
    shown = {**waiting, "receipt": receipt} if receipt and isinstance(waiting, dict) else None
    return render(
        request,
        "ballots/receipt.jinja",
        ballot=ballot,
        shown=shown,
        breadcrumbs=_crumbs(
            request, (ballot.title, reverse("ballots:detail", args=[ballot.group.slug, ballot.pk]))
        ),
    )


@group_member()
def ballot_results(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = _ballot(request, ballot_id)
    visible = selectors.result_visible_to(ballot=ballot, membership=request.membership)  # type: ignore[attr-defined]
    options = list(ballot.options.all())
    labels = {str(o.pk): o.label for o in options}
    # A receipt is checked by POST, so the code never appears in a URL, a log or the history.
    receipt_form = ReceiptForm(request.POST if request.method == "POST" else None)
    receipt_found = None
    if ballot.is_secret and visible and receipt_form.is_valid():
        receipt_found = selectors.receipt_counted(ballot=ballot, code=receipt_form.cleaned_data["receipt"])
    return render(
        request,
        "ballots/results.jinja",
        ballot=ballot,
        visible=visible,
        result=ballot.result if visible else None,
        turnout_patients=(
            presenters.turnout_by_patients(ballot.result)
            if visible and ballot.result and ballot.result["patients_apply"]
            else None
        ),
        votes=(
            selectors.open_ballot_votes_page(
                ballot=ballot, number=request.GET.get("page"), per_page=VOTES_PER_PAGE
            )
            if visible and not ballot.is_secret and not ballot.is_recorded
            else None
        ),
        describe=lambda content: presenters.describe_vote(content, labels),
        hands=options if ballot.is_recorded else [],
        present=list(ballot.present.all()) if ballot.is_recorded else [],
        receipt_form=receipt_form,
        receipt_found=receipt_found,
        breadcrumbs=_crumbs(
            request,
            (ballot.title, reverse("ballots:detail", args=[ballot.group.slug, ballot.pk])),
            ("Result", None),
        ),
    )


@group_member(roles=OFFICER_ROLES)
def hands_new(request: HttpRequest) -> HttpResponse:
    group = _group(request)
    form = ShowOfHandsForm(request.POST or None, people=people_on_roll(group=group))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = services.show_of_hands_record(
                group=group,
                title=data["title"],
                question=data["question"],
                meeting=data["meeting"],
                held_on=data["held_on"],
                hands=data["hands"],
                present=list(data["present"]),
                actor=request.user,
            )
        except services.BallotError as refusal:
            for problem in refusal.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "The show of hands was recorded.")
            return redirect("ballots:results", group.slug, ballot.pk)
    return render(
        request,
        "ballots/hands.jinja",
        form=form,
        has_roll=people_on_roll(group=group).exists(),
        breadcrumbs=_crumbs(request, ("Record a show of hands", None)),
    )
