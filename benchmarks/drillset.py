"""What the serving benchmark and the drills need in the database, printed as one JSON object.

Run inside the benchmark's own environment (`python benchmarks/drillset.py COMMAND ...`, with
DJANGO_SETTINGS_MODULE and DATABASE_URL set); never against a real deployment.

    wide N          a synthetic group ("widevale") of N practices, one signatory each, imported
                    through the directory importers (codes Z8…/U8…/98W/QX8, which neither the demo
                    nor real ODS codes use), its footprint set and a mandate round opened through
                    the services, half the practices answering. For development, where
                    `gpvoice load-scale` (the national dataset) is not available.
    pages SLUG      a core member of the group and a session for them; the group's ids that its
                    pages take (latest ballot, round, terms, a practice, PCN, person, request).
    drill SLUG N [PLACES]
                    N clients for the contention drill: the first ceil(N/2) footprint practices
                    with a signatory, each signatory given a login and two sessions (two clients
                    racing for one practice); a practice ballot opened now through the services;
                    the group's open mandate round (one opened if there is none). With PLACES, a
                    session of that many places set up through the services (booking open now,
                    giving up allowed until tomorrow, freed places to the first waiting) and N
                    bookers, members of the group each with a login of their own.

Sessions are written straight into the session store, as Django's own ``Client.force_login`` does.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, timedelta
from typing import Any

BENCH_DOMAIN = "bench.invalid"  # no one can receive mail there (RFC 2606)
DRILL_TITLE = "Contention drill"  # the drills' own ballots, which the page benchmark leaves out


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gpvoice.config.settings.demo")
    django.setup()


def session_for(user: Any) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _bench_user(group: Any, role: str, name: str) -> Any:
    from gpvoice.accounts.models import User
    from gpvoice.core.models import Membership
    from gpvoice.core.services import membership_set

    email = f"{name}@{group.slug}.{BENCH_DOMAIN}"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, full_name=f"Benchmark {name}"
    )
    if not Membership.objects.filter(group=group, user=user, role=role).exists():
        membership_set(group=group, user=user, role=role)
    return user


def wide(practices: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from gpvoice.core.models import LeadershipGroup, Role
    from gpvoice.core.services import group_create
    from gpvoice.directory import layouts as files
    from gpvoice.directory.importers import import_file
    from gpvoice.directory.models import Appointment, Organisation, OrgType, Person, RoleType
    from gpvoice.directory.selectors import footprint_practices
    from gpvoice.directory.services import footprint_add
    from gpvoice.governance import services as governance

    slug = "widevale"
    if LeadershipGroup.objects.filter(slug=slug).exists():
        return {"group": slug, "made": False}
    per_pcn = 10
    # The practice map and the practice file close every practice they do not list, so the demo's
    # own rows travel with ours: the demo area stays open.
    from gpvoice.nonprod.area import _codes

    map_rows, size_rows, eprac_rows = _codes()
    for n in range(practices):
        code, pcn = f"Z8{n:04d}", f"U8{n // per_pcn:04d}"
        row = files.map_row(code, pcn, name=f"WIDE PRACTICE {n}", sub_icb="98W", icb="QX8", region="Y90")
        row[6] = f"WIDE PCN {n // per_pcn}"
        map_rows.append(row)
        size_rows.append(files.size_row(code, str(3000 + (n * 37) % 15000)))
        eprac = files.epraccur_row(code, sub_icb="98W", icb="QX8", region="Y90")
        eprac[1] = f"WIDE PRACTICE {n}"
        eprac_rows.append(eprac)
    with transaction.atomic():
        for kind, data in (
            ("practice-map", files.practice_map(map_rows)),
            ("epraccur", files.epraccur(eprac_rows)),
            ("list-sizes", files.list_sizes(size_rows)),
        ):
            report = import_file(kind, data, apply=True)
            assert report.ok, report.summary_lines()
        codes = Organisation.objects.filter(org_type=OrgType.PRACTICE, ods_code__startswith="Z8")
        people = Person.objects.bulk_create(
            Person(
                full_name=f"Wide Signatory {p.ods_code}", email=f"sign.{p.ods_code.lower()}@{BENCH_DOMAIN}"
            )
            for p in codes.order_by("ods_code")
        )
        Appointment.objects.bulk_create(
            Appointment(
                person=person,
                organisation=practice,
                role=RoleType.PRACTICE_MANAGER,
                start=date(2024, 4, 1),
                is_signatory=True,
            )
            for person, practice in zip(people, codes.order_by("ods_code"), strict=True)
        )
        group = group_create(name="Widevale Benchmark Group", slug=slug)
        admin = _bench_user(group, Role.ADMIN, "admin")
        footprint_add(group=group, organisation=Organisation.objects.get(ods_code="98W"), actor=None)
    terms = governance.terms_create(
        group=group, title="Terms of reference", body="Benchmark terms.", actor=admin
    )
    terms = governance.terms_issue(terms=terms, actor=admin)
    round = governance.mandate_open(
        terms=terms,
        closes_at=timezone.now() + timedelta(days=30),
        expires_on=date.today() + timedelta(days=365),
        actor=admin,
    )
    answered = 0
    for practice in footprint_practices(group=group).order_by("ods_code")[practices // 2 :]:
        user = _signatory_user(group, practice)
        governance.mandate_answer(round=round, practice=practice, answer="agree", user=user)
        answered += 1
    return {"group": slug, "made": True, "practices": practices, "answered": answered}


def _signatory_user(group: Any, practice: Any) -> Any:
    from gpvoice.accounts.models import User
    from gpvoice.core.models import Membership, Role
    from gpvoice.core.services import membership_set
    from gpvoice.governance.selectors import current_appointments_qs

    appointment = (
        current_appointments_qs()
        .filter(organisation=practice, is_signatory=True)
        .select_related("person__user")
        .order_by("pk")
        .first()
    )
    assert appointment is not None, practice.ods_code
    person = appointment.person
    user = person.user
    if user is None:
        email = f"sign.{practice.ods_code.lower()}.{person.pk}@{BENCH_DOMAIN}"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, full_name=person.full_name
        )
        person.user = user
        person.save(update_fields=["user"])
    if not Membership.objects.filter(group=group, user=user).exists():
        membership_set(group=group, user=user, role=Role.PRACTICE_STAFF)
    return user


def pages(slug: str) -> dict[str, Any]:
    """The ids a group's pages take, and a core member's session to read them with."""
    from django.db.models import Case, When

    from gpvoice.ballots.models import Ballot, Status
    from gpvoice.core.models import LeadershipGroup, Membership, Role
    from gpvoice.directory.models import Appointment
    from gpvoice.directory.selectors import footprint_practices
    from gpvoice.governance.models import MandateRound, TermsOfReference
    from gpvoice.intake.models import AccessRequest
    from gpvoice.priorities.models import PriorityRound

    group = LeadershipGroup.objects.get(slug=slug)
    member = _bench_user(group, Role.CORE, "member")
    practice = footprint_practices(group=group).order_by("ods_code").first()
    person = (
        Appointment.objects.filter(organisation=practice)
        .order_by("pk")
        .values_list("person_id", flat=True)
        .first()
        if practice
        else None
    )
    ids: dict[str, Any] = {
        "slug": slug,
        "membership_id": Membership.objects.get(group=group, user=member).pk,
        "practice_code": practice.ods_code if practice else None,
        "pcn_code": practice.pcn.ods_code if practice and practice.pcn else None,
        "org_id": practice.icb_id if practice else None,
        "person_id": person,
        "terms_id": TermsOfReference.objects.filter(group=group)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
        # The latest ballot with a published result, so that the result pages of the two groups
        # compare like with like (the demo's latest ballot is a cancelled one, with no votes).
        "ballot_id": Ballot.objects.filter(group=group)
        .exclude(title__startswith=DRILL_TITLE)
        .order_by(Case(When(status=Status.PUBLISHED, then=0), default=1), "-pk")
        .values_list("pk", flat=True)
        .first(),
        "round_id": PriorityRound.objects.filter(group=group)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
        "reference": AccessRequest.objects.filter(group=group)
        .order_by("-pk")
        .values_list("reference", flat=True)
        .first(),
        "mandate_round": MandateRound.objects.filter(group=group)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
    }
    return {"group": slug, "cookie": session_for(member), "ids": ids}


def _drill_session(group: Any, admin: Any, places: int, now: Any) -> int:
    from gpvoice.events import services as events
    from gpvoice.events.models import Audience, Kind, WaitMode

    starts = now + timedelta(days=2)
    details = events.Details(
        kind=Kind.THINK_TANK,
        title=f"{DRILL_TITLE} {now:%H:%M:%S}",
        description="",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Drill room",
        link="",
        capacity=places,
        # Members of the group may book from the session's page (bookers need no appointment).
        audience=Audience.LINK,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
        cancel_by=now + timedelta(days=1),
        wait_mode=WaitMode.PROMOTE,
        offer_hours=24,
    )
    return int(events.session_create(group=group, details=details, actor=admin).pk)


def drill(slug: str, clients: int, places: int = 0) -> dict[str, Any]:
    from django.utils import timezone

    from gpvoice.ballots import services as ballots
    from gpvoice.core.models import LeadershipGroup, Role
    from gpvoice.directory.selectors import footprint_practices
    from gpvoice.governance import selectors as governance_selectors
    from gpvoice.governance import services as governance
    from gpvoice.governance.selectors import current_appointments_qs

    group = LeadershipGroup.objects.get(slug=slug)
    admin = _bench_user(group, Role.ADMIN, "drill.admin")
    signed = current_appointments_qs().filter(is_signatory=True).values("organisation_id")
    wanted = (clients + 1) // 2
    practices = list(footprint_practices(group=group).filter(pk__in=signed).order_by("ods_code")[:wanted])
    assert len(practices) == wanted, (
        f"{slug} has {len(practices)} practices with a signatory, {wanted} wanted"
    )
    now = timezone.now()
    draft = ballots.Draft(
        title=f"{DRILL_TITLE} {now:%H:%M:%S}",
        question="Does the drill hold?",
        method="yes_no",
        electorate="practices",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=1),
    )
    ballot = ballots.ballot_create(group=group, draft=draft, actor=admin)
    ballot = ballots.advance(ballot=ballots.ballot_schedule(ballot=ballot, actor=admin))
    round = governance_selectors.current_round(group=group)
    if round is None or not round.is_open():
        terms = governance.terms_create(group=group, title="Drill terms", body="Drill.", actor=admin)
        terms = governance.terms_issue(terms=terms, actor=admin)
        round = governance.mandate_open(
            terms=terms,
            closes_at=now + timedelta(days=30),
            expires_on=date.today() + timedelta(days=365),
            actor=admin,
        )
    people = []
    for i in range(clients):
        practice = practices[i % wanted]
        user = _signatory_user(group, practice)
        people.append({"cookie": session_for(user), "practice": practice.ods_code, "user": user.pk})
        if places:
            booker = _bench_user(group, Role.PRACTICE_STAFF, f"booker.{i}")
            people[-1].update(booker=booker.pk, booker_cookie=session_for(booker))
    return {
        "group": slug,
        "ballot": ballot.pk,
        "options": [str(pk) for pk in ballot.options.order_by("pk").values_list("pk", flat=True)],
        "round": round.pk,
        "clients": people,
        "practices": [p.ods_code for p in practices],
        "session": _drill_session(group, admin, places, now) if places else None,
        "places": places,
    }


def biggest() -> dict[str, Any]:
    """The group whose footprint holds the most practices (load-scale's national group)."""
    from gpvoice.core.models import LeadershipGroup
    from gpvoice.directory.selectors import footprint_practices

    sizes = {g.slug: footprint_practices(group=g).count() for g in LeadershipGroup.objects.all()}
    slug = max(sizes, key=lambda s: sizes[s])
    return {"group": slug, "practices": sizes[slug]}


def main(argv: list[str]) -> None:
    _setup()
    command, *args = argv
    if command == "wide":
        result = wide(int(args[0]))
    elif command == "pages":
        result = pages(args[0])
    elif command == "biggest":
        result = biggest()
    elif command == "drill":
        result = drill(args[0], *(int(a) for a in args[1:3]))
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
