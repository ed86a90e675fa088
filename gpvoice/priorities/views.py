from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from gpvoice.ballots import services as ballots
from gpvoice.core import rules
from gpvoice.core.context import group_crumbs, render
from gpvoice.core.models import OFFICER_ROLES
from gpvoice.core.pagination import page_caption, page_links, page_of
from gpvoice.core.permissions import group_member

from . import presenters, selectors, services
from .forms import (
    AdoptForm,
    CandidateForm,
    MergeForm,
    NominationForm,
    RoundForm,
    ScoringScheduleForm,
    UpdateForm,
)
from .models import AdoptedPriority, Phase, PriorityRound, next_phase


def _group(request: HttpRequest) -> Any:
    return request.group  # type: ignore[attr-defined]


def _is_officer(request: HttpRequest) -> bool:
    return rules.is_officer(request.membership)  # type: ignore[attr-defined]


def _posted(request: HttpRequest, *names: str) -> Any:
    """The POST data when this form was the one sent (by its button's name), else None."""
    if request.method != "POST":
        return None
    return request.POST if not names or any(n in request.POST for n in names) else None


def _crumbs(request: HttpRequest, *trail: tuple[str, str | None]) -> list[dict[str, str]]:
    return group_crumbs(
        request, ("Priorities", reverse("priorities:list", args=[_group(request).slug])), *trail
    )


def _round(request: HttpRequest, round_id: int) -> PriorityRound:
    """The round, in this group, with its scoring ballot brought up to time (opened/closed)."""
    round = selectors.round_for(group=_group(request), pk=round_id)
    if round is None:
        raise Http404("No such round")
    if round.scoring_ballot is not None:
        round.scoring_ballot = ballots.advance(ballot=round.scoring_ballot)
    return round


def _round_crumbs(request: HttpRequest, round: PriorityRound, current: str) -> list[dict[str, Any]]:
    href = reverse("priorities:detail", args=[round.group.slug, round.pk])
    return _crumbs(request, (round.title, href), (current, None))


@group_member()
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.rounds_for(group=_group(request)))
    return render(
        request,
        "priorities/list.jinja",
        rounds=[(r, presenters.phase_tag(r.phase)) for r in rounds],
        officer=_is_officer(request),
        breadcrumbs=group_crumbs(request, ("Priorities", None)),
    )


@group_member(roles=OFFICER_ROLES)
def round_new(request: HttpRequest) -> HttpResponse:
    form = RoundForm(
        _posted(request), initial={"method": "points", "points_allowance": 100, "adopt_up_to": 3}
    )
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(group=_group(request), actor=request.user, **form.cleaned_data)
        except services.PriorityError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The round is open for nominations.")
            return redirect("priorities:detail", _group(request).slug, round.pk)
    return render(
        request, "priorities/new.jinja", form=form, breadcrumbs=_crumbs(request, ("New round", None))
    )


@group_member()
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    """The round as it stands; in nominations, any member proposes a priority here."""
    round = _round(request, round_id)
    nominating = round.phase == Phase.NOMINATIONS
    organisations = (
        selectors.proposer_organisations(user=request.user, group=round.group) if nominating else []
    )
    form = NominationForm(_posted(request) if nominating else None, organisations=organisations)
    error = None
    if request.method == "POST":
        if not nominating:
            error = f"Nominations for this round have closed: it is in {round.get_phase_display().lower()}."
        elif form.is_valid():
            try:
                services.nomination_make(
                    round=round,
                    title=form.cleaned_data["title"],
                    rationale=form.cleaned_data["rationale"],
                    on_behalf_of=form.organisation(),
                    actor=request.user,
                )
            except services.PriorityError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "Thank you: your nomination was recorded.")
                return redirect("priorities:detail", round.group.slug, round.pk)
    candidates = selectors.candidates(round=round)
    adopted = selectors.adopted(round=round)
    showing_nominations = round.phase in (Phase.NOMINATIONS, Phase.CONSOLIDATION)
    nominations = selectors.nominations(round=round)
    page = page_of(nominations if showing_nominations else nominations.none(), request)
    return render(
        request,
        "priorities/round.jinja",
        round=round,
        tag=presenters.phase_tag(round.phase),
        steps=presenters.steps(round, selectors.phase_changes(round=round)),
        form=form,
        error=error,
        nominations=page.object_list,
        nomination_count=page.paginator.count,
        nomination_pages=page_links(page, request, label="Pages of nominations", anchor="#nominations"),
        candidates=candidates,
        results=selectors.results(round=round, candidates=candidates, adopted=adopted),
        adopted=adopted,
        adopted_rows=[(a, presenters.status_tag(a.status)) for a in adopted],
        next_phase=next_phase(round.phase),
        officer=_is_officer(request),
        breadcrumbs=_crumbs(request, (round.title, None)),
    )


@group_member(roles=OFFICER_ROLES)
def round_consolidate(request: HttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    candidates = selectors.candidates(round=round)
    nominations = selectors.nominations(round=round)
    # Only a round in consolidation lists its nominations, a page at a time.
    page = page_of(nominations if round.phase == Phase.CONSOLIDATION else nominations.none(), request)
    merge = MergeForm(
        _posted(request, "merge"), nominations=nominations, candidates=candidates, shown=page.object_list
    )
    change = CandidateForm(_posted(request, "change"), candidates=candidates)
    error = None
    if request.method == "POST":
        try:
            if "each" in request.POST:
                made = services.nominations_each_own(round=round, actor=request.user)
                messages.success(request, f"{made} nominations were each listed as an option.")
                return redirect("priorities:consolidate", round.group.slug, round.pk)
            if "merge" in request.POST and merge.is_valid():
                data = merge.cleaned_data
                candidate = services.nominations_merge(
                    round=round,
                    nominations=list(data["nominations"]),
                    into=data["candidate"],
                    title=data["title"] if data["candidate"] is None else "",
                    description=data["description"] if data["candidate"] is None else "",
                    actor=request.user,
                )
                messages.success(request, f"Merged into “{candidate.title}”. Who proposed what is kept.")
                return redirect("priorities:consolidate", round.group.slug, round.pk)
            if "change" in request.POST and change.is_valid():
                services.candidate_update(
                    candidate=change.chosen(),
                    title=change.cleaned_data["title"],
                    description=change.cleaned_data["description"],
                    actor=request.user,
                )
                messages.success(request, "The option was changed.")
                return redirect("priorities:consolidate", round.group.slug, round.pk)
            if not {"each", "merge", "change"} & set(request.POST):
                error = "Choose what to do with the nominations."
        except services.PriorityError as refusal:
            if "each" in request.POST:
                error = str(refusal)
            else:
                (change if "change" in request.POST else merge).add_error(None, str(refusal))
    return render(
        request,
        "priorities/consolidate.jinja",
        round=round,
        candidates=candidates,
        unassigned=[n for n in page.object_list if n.candidate_id is None],
        unassigned_count=selectors.unassigned_count(round=round),
        caption=page_caption(page, "nominations"),
        pages=page_links(page, request, label="Pages of nominations"),
        merge=merge,
        change=change,
        form=merge if merge.errors else change,
        error=error,
        breadcrumbs=_round_crumbs(request, round, "Consolidation"),
    )


@group_member(roles=OFFICER_ROLES)
def round_advance(request: HttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    target = next_phase(round.phase)
    schedule = ScoringScheduleForm(_posted(request), initial=ScoringScheduleForm.initial_values())
    error = None
    if request.method == "POST":
        needs_dates = target == Phase.SCORING
        if not needs_dates or schedule.is_valid():
            try:
                services.round_advance(
                    round=round,
                    to_phase=request.POST.get("to_phase", ""),
                    actor=request.user,
                    opens_at=schedule.cleaned_data.get("opens_at") if needs_dates else None,
                    closes_at=schedule.cleaned_data.get("closes_at") if needs_dates else None,
                )
            except services.PriorityError as refusal:
                error = str(refusal)
            else:
                messages.success(request, presenters.moved_message(target))
                return redirect("priorities:detail", round.group.slug, round.pk)
    return render(
        request,
        "priorities/advance.jinja",
        round=round,
        target=target,
        target_text=presenters.PHASE_TEXT.get(target, "") if target else "",
        schedule=schedule,
        form=schedule if target == Phase.SCORING else None,
        error=error,
        breadcrumbs=_round_crumbs(request, round, "Next phase"),
    )


@group_member(roles=OFFICER_ROLES)
def round_adopt(request: HttpRequest, round_id: int) -> HttpResponse:
    round = _round(request, round_id)
    form = AdoptForm(
        _posted(request),
        candidates=selectors.candidates_not_adopted(round=round),
        leads=selectors.possible_leads(group=round.group),
        ranks=selectors.ranks(round=round),
    )
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_adopt(round=round, actor=request.user, **form.cleaned_data)
        except services.PriorityError as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"“{priority.title}” was adopted, led by {priority.lead.full_name}.")
            return redirect("priorities:adopt", round.group.slug, round.pk)
    adopted = selectors.adopted(round=round)
    return render(
        request,
        "priorities/adopt.jinja",
        round=round,
        form=form,
        adopted=adopted,
        results=selectors.results(round=round, candidates=selectors.candidates(round=round), adopted=adopted),
        breadcrumbs=_round_crumbs(request, round, "Adopt priorities"),
    )


def _may_update(request: HttpRequest, priority: AdoptedPriority) -> bool:
    return _is_officer(request) or (
        priority.lead.user_id is not None and priority.lead.user_id == request.user.pk
    )


@group_member()
def priority_detail(request: HttpRequest, round_id: int, priority_id: int) -> HttpResponse:
    round = _round(request, round_id)
    priority = selectors.priority_for(round=round, pk=priority_id)
    if priority is None:
        raise Http404("No such priority")
    may_update = _may_update(request, priority)
    form = UpdateForm(_posted(request))
    if request.method == "POST":
        if not may_update:
            raise Http404("Only officers and the lead post updates")
        if form.is_valid():
            try:
                services.delivery_update_post(priority=priority, actor=request.user, **form.cleaned_data)
            except services.PriorityError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "The update was posted. Every member of the group can see it.")
                return redirect("priorities:priority", round.group.slug, round.pk, priority.pk)
    updates = page_of(selectors.delivery_updates(priority=priority), request)
    return render(
        request,
        "priorities/priority.jinja",
        round=round,
        priority=priority,
        status_tag=presenters.status_tag(priority.status),
        proposals=selectors.proposals(candidate=priority.candidate),
        updates=[(u, presenters.status_tag(u.status)) for u in updates.object_list],
        update_pages=page_links(updates, request, label="Pages of updates", anchor="#updates"),
        form=form,
        may_update=may_update and round.phase == Phase.DELIVERY,
        breadcrumbs=_round_crumbs(request, round, priority.title),
    )
