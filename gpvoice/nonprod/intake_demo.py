"""Demo requests to the single point of access: every status, from the demo's ICB, Place team, trust
and council; one breached, one waiting on the requester, one answered by an executive decision, one
put to a ballot. Made through the services, so the audit log and the emails are as real ones."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gpvoice.accounts.models import User
from gpvoice.ballots.models import Ballot
from gpvoice.core.models import LeadershipGroup
from gpvoice.directory.models import Organisation, OrgType
from gpvoice.governance.models import Authority, DecisionCategory
from gpvoice.intake import kept, services
from gpvoice.intake.models import AccessRequest
from gpvoice.intake.services.submission import submit_with_link


def _partners(group: LeadershipGroup) -> dict[str, Organisation]:
    town = group.name.split()[0]
    # The demo's own ICB (nonprod.area), never a real one imported into the same database.
    icb = Organisation.objects.filter(org_type=OrgType.ICB, ods_code="Q9990").first()
    made = {
        "place": (OrgType.PLACE, f"PL-{group.slug[:6].upper()}", f"{town} Place Partnership team"),
        "trust": (OrgType.TRUST, f"TR-{group.slug[:6].upper()}", f"{town} Hospitals NHS Foundation Trust"),
        "council": (OrgType.LOCAL_AUTHORITY, f"LA-{group.slug[:6].upper()}", f"{town} Borough Council"),
    }
    partners = {
        key: Organisation.objects.get_or_create(org_type=kind, ods_code=code, defaults={"name": name})[0]
        for key, (kind, code, name) in made.items()
    }
    if icb is None:
        icb = Organisation.objects.get_or_create(
            org_type=OrgType.ICB, ods_code="Q9990", defaults={"name": "NHS Demo ICB"}
        )[0]
    return {"icb": icb, **partners}


def _received(group: LeadershipGroup, org: Organisation, n: int, subject: str, body: str, **kw: Any) -> Any:
    request, token = submit_with_link(
        group=group,
        ip=f"demo-{group.slug}-{n}",
        organisation=org.ods_code,
        name=f"Demo requester {n}",
        email=f"requester{n}@{group.slug}.example.org",
        subject=subject,
        body=body,
        wanted_by=None,
        **kw,
    )
    return services.request_verify(token=token)[0]


@transaction.atomic
def load_intake(group: LeadershipGroup) -> None:
    if AccessRequest.objects.filter(group=group).exists():
        return
    executive = User.objects.get(email=f"executive@{group.slug}.example.nhs.uk")
    core = User.objects.get(email=f"core@{group.slug}.example.nhs.uk")
    org = _partners(group)
    pathway = services.category_create(group=group, actor=executive, name="Pathway change", service_days=10)
    seat = services.category_create(
        group=group, actor=executive, name="Nominee to a system meeting", service_days=5
    )
    info = services.category_create(group=group, actor=executive, name="Information request", service_days=15)

    _received(group, org["icb"], 1, "Views on the winter access plan", "Please give general practice's view.")
    seat_request = _received(
        group,
        org["place"],
        2,
        "Nominee for the Place partnership board",
        "We need a GP to sit on the board from April.",
        is_nominee_request=True,
    )
    services.request_triage(request=seat_request, actor=executive, category=seat, priority="high", lead=core)

    late = _received(
        group, org["trust"], 3, "Discharge letters pathway", "Can practices agree the new template?"
    )
    # Received six weeks ago, so that its service level has passed: the breached example.
    AccessRequest.objects.filter(pk=late.pk).update(received_at=timezone.now() - timedelta(days=42))
    kept.rebuild(group)  # the back-dating bypassed the services: recount the kept monthly figures
    late = services.request_triage(
        request=late, actor=executive, category=pathway, priority="normal", lead=core
    )
    services.request_start(request=late, actor=executive)

    waiting = _received(
        group, org["council"], 4, "NHS health checks for carers", "Could practices host them?"
    )
    services.request_triage(request=waiting, actor=executive, category=info, priority="low", lead=None)
    services.request_write(
        request=waiting, actor=executive, body="Which months do you have in mind?", wait=True
    )

    decided = _received(
        group, org["icb"], 5, "Co-funding a shared workforce post", "Would the group co-fund it?"
    )
    spend = DecisionCategory.objects.filter(
        group=group, authority=Authority.EXECUTIVE, spend_limit__isnull=False
    ).first()
    if spend is not None:
        services.request_decide(
            request=decided,
            actor=executive,
            category=spend,
            title="Co-fund the shared workforce post",
            rationale="Within the executive's budget and supports practices' recruitment.",
            amount=Decimal("2000"),
            body="Yes: the executive agreed to co-fund the post for a year.",
        )

    balloted = _received(
        group, org["place"], 6, "Same-day access hub model", "Do practices support the hub model?"
    )
    ballot = Ballot.objects.filter(group=group).order_by("pk").first()
    if ballot is not None:
        services.request_put_to_ballot(request=balloted, actor=executive, ballot=ballot)

    duplicate = _received(
        group, org["trust"], 7, "Discharge letters (again)", "Following up on discharge letters."
    )
    services.request_merge(request=duplicate, into=late, actor=executive)

    answered = _received(
        group, org["council"], 8, "Flu campaign messages", "Will practices share our messages?"
    )
    services.request_answer(
        request=answered, actor=executive, body="Yes: they go out in this week's bulletin."
    )
    closed = _received(
        group, org["icb"], 9, "Practice contact list", "Could we have the practices' contacts?"
    )
    services.request_answer(request=closed, actor=executive, body="They are on the public directory page.")
    services.request_close(request=closed, actor=executive)
    services.request_refer(
        request=_received(group, org["place"], 10, "Estates strategy", "Views on the estates strategy?"),
        actor=executive,
    )
