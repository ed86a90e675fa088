"""``/api/v1/``: the documented HTTP API (django-ninja, OpenAPI at ``/api/v1/openapi.json``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status as Answer
from ninja.throttling import AuthRateThrottle

from gpvoice.ballots import selectors as ballot_selectors
from gpvoice.ballots.models import Ballot
from gpvoice.ballots.services import advance
from gpvoice.governance import selectors as governance_selectors

from .auth import Caller, GroupToken, MemberSession, membership_of

api = NinjaAPI(
    title="GP Voice API",
    version="1",
    description=(
        "Read a leadership group's mandate and ballots. Members use their signed-in session; partner "
        "systems send `Authorization: Bearer <token>` with a token a group admin created. A token reads "
        "only its own group."
    ),
    auth=[GroupToken(), MemberSession()],
    throttle=[AuthRateThrottle("120/m")],
    urls_namespace="apiv1",
    docs_url=None,  # our own docs page (gpvoice.api.views.docs): no third-party assets, strict CSP
)


def _caller(request: HttpRequest) -> Caller:
    return request.auth  # type: ignore[attr-defined]


class BallotOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    electorate: str
    opens_at: datetime | None
    closes_at: datetime | None


class ResultOut(Schema):
    ballot: int
    group: str
    title: str
    kind: str
    status: str
    result: dict[str, Any] | None = None
    hands: list[dict[str, Any]] | None = None
    present: int | None = None
    withheld: Any = None


class Refusal(Schema):
    detail: str


@api.get(
    "/groups/{slug}/mandate",
    response={200: dict[str, Any], 404: Refusal},
    summary="Mandate coverage",
    url_name="mandate",
)
def mandate(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Coverage of the current mandate round by practices and patients (counts and exact shares), the
    threshold, and whether the group is acting with mandate."""
    membership = membership_of(_caller(request), slug)
    return {"group": slug, **governance_selectors.mandate_status(group=membership.group).as_json()}


class PcnCoverageOut(Schema):
    pcn: str | None
    name: str
    practices: dict[str, int]
    patients: dict[str, int]

    @staticmethod
    def resolve_pcn(row: Any) -> str | None:
        return row.pcn.ods_code if row.pcn else None

    @staticmethod
    def resolve_name(row: Any) -> str:
        return row.pcn.name if row.pcn else "No PCN"

    @staticmethod
    def resolve_practices(row: Any) -> dict[str, int]:
        return dict(row.counts()[0])

    @staticmethod
    def resolve_patients(row: Any) -> dict[str, int]:
        return dict(row.counts()[1])


@api.get(
    "/groups/{slug}/mandate/pcns",
    response={200: list[PcnCoverageOut], 404: Refusal},
    summary="Mandate coverage by PCN",
    url_name="mandate_pcns",
)
@paginate(PageNumberPagination, page_size=50)
def mandate_pcns(request: HttpRequest, slug: str) -> Any:
    """The current round's coverage in each PCN of the footprint (practices and patients per answer
    state; "none" is not answered yet), by PCN name, 50 a page. Empty when no round has opened."""
    group = membership_of(_caller(request), slug).group
    round = governance_selectors.current_round(group=group)
    return governance_selectors.pcn_coverage_rows(round=round)


@api.get("/groups/{slug}/ballots", response=list[BallotOut], summary="Ballots of a group", url_name="ballots")
@paginate(PageNumberPagination, page_size=50)
def ballots(request: HttpRequest, slug: str) -> Any:
    """The group's ballots, newest first, 50 a page (drafts only for officers)."""
    return ballot_selectors.ballots_for(membership=membership_of(_caller(request), slug))


@api.get(
    "/ballots/{ballot_id}/result",
    response={200: ResultOut, 404: Refusal},
    summary="A ballot's result",
    url_name="result",
)
def result(request: HttpRequest, ballot_id: int) -> Answer:
    """A ballot's published result: every round or the pairwise matrix, both weightings, the outcome."""
    slug = ballot_selectors.group_slug_of(ballot_id=ballot_id)
    if slug is None:
        raise Http404("No such ballot")
    membership = membership_of(_caller(request), slug)
    ballot = ballot_selectors.ballot_for(membership=membership, pk=ballot_id)
    if ballot is None:
        raise Http404("No such ballot")
    ballot = advance(ballot=ballot)
    # The same rule as the results page: officers see a closed result before it is published.
    if not ballot_selectors.result_visible_to(ballot=ballot, membership=membership):
        return Answer(404, {"detail": "The result is published when the ballot closes."})
    return Answer(200, _result_body(ballot))


def _result_body(ballot: Ballot) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ballot": ballot.pk,
        "group": ballot.group.slug,
        "title": ballot.title,
        "kind": ballot.kind,
        "status": ballot.status,
    }
    if ballot.is_recorded:
        body["hands"] = [{"label": o.label, "count": o.hands} for o in ballot.options.all()]
        body["present"] = ballot.present.count()
    else:
        body["result"] = ballot.result
        if ballot.result and ballot.result.get("withheld"):
            body["withheld"] = ballot.result["withheld"]  # a secret ballot below its minimum turnout
    return body
