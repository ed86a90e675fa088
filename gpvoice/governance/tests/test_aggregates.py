"""Mandate coverage is kept, not recomputed (ADR 0008): the stored counts follow every answer,
footprint change and list-size change, equal a full recount, and decide the mandate by the same
pure threshold rule; pages read them with a fixed number of queries."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpvoice.core.models import Role
from gpvoice.directory import services as directory_services
from gpvoice.directory.importers import import_file
from gpvoice.directory.models import FootprintEntry, FootprintPractice, Organisation, OrgStatus, OrgType
from gpvoice.directory.tests.factories import OrganisationFactory
from gpvoice.governance import aggregates, services
from gpvoice.governance import coverage as cov
from gpvoice.governance.models import MandateAnswer, RoundCoverage, RoundPcnCoverage
from gpvoice.governance.selectors import mandate_status, round_coverage
from gpvoice.operations.derived import derived_differences, rebuild_derived

from .conftest import make_signatory


def _answer(round, practice, answer, user):
    return services.mandate_answer(round=round, practice=practice, answer=answer, user=user)


def reference(round) -> cov.Coverage:
    """The old way, kept as the oracle: one row per footprint practice through coverage.compute."""
    answers = dict(
        MandateAnswer.objects.filter(round=round, is_current=True).values_list("practice", "answer")
    )
    chosen = FootprintEntry.objects.filter(group=round.group).values("organisation_id")
    from django.db.models import Q

    practices = Organisation.objects.filter(org_type=OrgType.PRACTICE, status=OrgStatus.ACTIVE).filter(
        Q(pk__in=chosen) | Q(pcn_id__in=chosen) | Q(sub_icb_id__in=chosen) | Q(icb_id__in=chosen)
    )
    return cov.compute(
        cov.PracticeAnswer(
            code=p.ods_code,
            name=p.name,
            pcn=p.pcn.name if p.pcn else "No PCN",
            patients=p.list_size or 0,
            answer=answers.get(p.pk, "none"),
        )
        for p in practices.select_related("pcn")
    )


def assert_kept(round) -> None:
    kept, expected = round_coverage(round=round), reference(round)
    assert kept.overall == expected.overall
    assert kept.by_pcn == expected.by_pcn
    assert aggregates.differences(round) == []


def stored(round) -> tuple[dict[str, int], dict[str, int]]:
    return RoundCoverage.objects.get(round=round).counts()


# Hand-worked: the stored counts and the verdict on them -----------------------------------------


@pytest.mark.django_db
def test_opening_a_round_counts_every_practice_as_not_answered(open_round, area):
    practices, patients = stored(open_round)
    assert practices == {"agree": 0, "decline": 0, "abstain": 0, "withdrawn": 0, "none": 3}
    assert patients["none"] == 6000  # 1000 + 2000 + 3000
    assert RoundPcnCoverage.objects.get(round=open_round).pcn == area["pcn"]


@pytest.mark.django_db
def test_each_answer_moves_one_practice_between_states(open_round, area, signatories):
    a, b, _ = area["practices"]  # 1000, 2000, 3000 patients
    _answer(open_round, a, "agree", signatories[0])
    _answer(open_round, b, "decline", signatories[1])
    practices, patients = stored(open_round)
    assert (practices["agree"], practices["decline"], practices["none"]) == (1, 1, 1)
    assert (patients["agree"], patients["decline"], patients["none"]) == (1000, 2000, 3000)
    _answer(open_round, a, "withdrawn", signatories[0])
    _answer(open_round, b, "abstain", signatories[1])
    practices, patients = stored(open_round)
    assert (practices["agree"], practices["withdrawn"], practices["abstain"]) == (0, 1, 1)
    assert (patients["withdrawn"], patients["abstain"], patients["decline"]) == (1000, 2000, 0)
    assert_kept(open_round)


@pytest.mark.django_db
def test_a_replayed_answer_moves_nothing(open_round, area, signatories):
    _answer(open_round, area["practices"][0], "agree", signatories[0])
    before = stored(open_round)
    _answer(open_round, area["practices"][0], "agree", signatories[0])
    assert stored(open_round) == before


def _tally(agree: tuple[int, int], total: tuple[int, int]) -> cov.Coverage:
    """Stored-style counts: ``agree`` and ``total`` as (practices, patients)."""
    practices = {"agree": agree[0], "decline": 0, "abstain": 0, "withdrawn": 0, "none": total[0] - agree[0]}
    patients = {"agree": agree[1], "decline": 0, "abstain": 0, "withdrawn": 0, "none": total[1] - agree[1]}
    return cov.Coverage(cov.Tally(practices, patients))


HALF = Fraction(1, 2)


@pytest.mark.parametrize(
    ("agree", "total", "meets"),
    [
        ((2, 3000), (4, 5000), False),  # exactly half the practices is not more than half
        ((3, 2500), (5, 5000), False),  # exactly half the patients is not more than half
        ((3, 2501), (5, 5000), True),  # 3 of 5 practices, 2,501 of 5,000 patients
        ((3, 5000), (4, 10000), False),  # most practices, half the patients
        ((1, 9000), (3, 10000), False),  # most patients, a third of the practices
        ((0, 0), (0, 0), False),  # an empty footprint never gives a mandate
    ],
)
def test_the_threshold_on_stored_counts(agree, total, meets):
    assert _tally(agree, total).meets(practices=HALF, patients=HALF) is meets


@pytest.mark.django_db
def test_the_mandate_page_verdict_uses_the_stored_counts(group, open_round, area, signatories):
    """4 practices (1000, 2000, 3000, 0 patients): 2 agreeing is exactly half, not a majority."""
    OrganisationFactory(ods_code="Z90009", pcn=area["pcn"], sub_icb=area["sub_icb"], list_size=0)
    _answer(open_round, area["practices"][1], "agree", signatories[1])
    _answer(open_round, area["practices"][2], "agree", signatories[2])
    practices, patients = stored(open_round)
    assert (practices["agree"], sum(practices.values()), patients["agree"]) == (2, 4, 5000)
    assert not mandate_status(group=group).with_mandate, "2 of 4 practices is exactly half"
    # The stored row is what decides: doctored, the verdict follows it (and recount finds it).
    RoundCoverage.objects.filter(round=open_round).update(agree_practices=3, none_practices=1)
    assert mandate_status(group=group).with_mandate
    assert aggregates.differences(open_round) == ["overall counts differ from the recount"]


# Changes other than answers recount ----------------------------------------------------------


@pytest.mark.django_db
def test_footprint_changes_recount_in_their_transaction(group, open_round, area, signatories, personas):
    admin = personas[Role.ADMIN]
    _answer(open_round, area["practices"][0], "agree", signatories[0])
    other_pcn = OrganisationFactory(org_type=OrgType.PCN, ods_code="U88888", name="Other PCN")
    extra = OrganisationFactory(ods_code="Z88001", pcn=other_pcn, list_size=500)
    entry = directory_services.footprint_add(group=group, organisation=other_pcn, actor=admin)
    practices, patients = stored(open_round)
    assert (sum(practices.values()), patients["none"]) == (4, 5500)
    assert RoundPcnCoverage.objects.filter(round=open_round).count() == 2
    assert FootprintPractice.objects.filter(group=group, practice=extra).exists()
    assert_kept(open_round)
    directory_services.footprint_remove(entry=entry, actor=admin)
    assert sum(stored(open_round)[0].values()) == 3
    assert not FootprintPractice.objects.filter(group=group, practice=extra).exists()
    assert_kept(open_round)


@pytest.mark.django_db
def test_a_list_size_import_and_a_closing_recount(group, open_round, area, signatories):
    from gpvoice.directory import layouts as files

    a, b, c = area["practices"]
    _answer(open_round, a, "agree", signatories[0])
    sizes = files.list_sizes([files.size_row(a.ods_code, "1500"), files.size_row(b.ods_code, "2000")])
    assert import_file("list-sizes", sizes, apply=True).ok
    assert stored(open_round)[1]["agree"] == 1500
    assert_kept(open_round)
    Organisation.objects.filter(pk=c.pk).update(status=OrgStatus.CLOSED)  # behind the ORM's back
    assert derived_differences(group)  # the recount sees it
    rebuild_derived(group)
    assert sum(stored(open_round)[0].values()) == 2 and derived_differences() == []


@pytest.mark.django_db
def test_recount_command_checks_and_rebuilds(group, open_round, area, signatories, capsys):
    _answer(open_round, area["practices"][0], "agree", signatories[0])
    call_command("recount", "--check")
    assert "equal a full recount" in capsys.readouterr().out
    RoundPcnCoverage.objects.filter(round=open_round).update(agree_patients=7)
    FootprintPractice.objects.filter(group=group, practice=area["practices"][1]).delete()
    with pytest.raises(CommandError, match="difference"):
        call_command("recount", "--check")
    out = capsys.readouterr().out
    assert "footprint of northvale: 1 practice(s) missing" in out and "Test PCN differs" in out
    call_command("recount")
    assert "Rebuilt the footprints of" in capsys.readouterr().out
    call_command("recount", "--check", "--group", "northvale")
    assert_kept(open_round)
    with pytest.raises(CommandError, match="no group"):
        call_command("recount", "--group", "nowhere")


# Any sequence keeps the stored coverage equal to a full recount --------------------------------

OPS = st.lists(
    st.tuples(
        st.sampled_from(["agree", "decline", "abstain", "withdrawn", "add", "remove", "resize", "close"]),
        st.integers(0, 4),
        st.integers(0, 5000),
    ),
    min_size=1,
    max_size=14,
)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_any_sequence_keeps_coverage_equal_to_a_recount(group, open_round, area, personas, ops):
    from django.db import transaction

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            admin = personas[Role.ADMIN]
            spare_pcn = OrganisationFactory(org_type=OrgType.PCN, ods_code="U77777", name="Spare PCN")
            practices = [
                *area["practices"],
                OrganisationFactory(ods_code="Z77001", pcn=spare_pcn, list_size=700),
            ]
            practices.append(OrganisationFactory(ods_code="Z77002", pcn=None, list_size=300))
            users = {p.pk: make_signatory(group, p, f"h{p.ods_code.lower()}@nhs.test") for p in practices}
            for op, index, size in ops:
                practice = practices[index]
                if op in ("agree", "decline", "abstain", "withdrawn"):
                    try:
                        _answer(open_round, practice, op, users[practice.pk])
                    except services.GovernanceError:
                        pass  # outside the footprint, or a withdrawal without an agreement
                elif op == "add":
                    target = [spare_pcn, practices[-1], area["pcn"]][index % 3]
                    try:
                        directory_services.footprint_add(group=group, organisation=target, actor=admin)
                    except directory_services.FootprintError:
                        pass
                elif op == "remove":
                    entry = FootprintEntry.objects.filter(group=group).order_by("pk")[index % 2 :].first()
                    if entry is not None:
                        directory_services.footprint_remove(entry=entry, actor=admin)
                elif op == "resize":
                    practice.refresh_from_db()
                    practice.list_size = size
                    practice.save()
                else:
                    practice.refresh_from_db()
                    practice.status = (
                        OrgStatus.ACTIVE if practice.status == OrgStatus.CLOSED else OrgStatus.CLOSED
                    )
                    practice.save()
                assert_kept(open_round)
            raise Rollback
    except Rollback:
        pass


# Pages cost the same for 5 practices as for 200 ----------------------------------------------


def _grow(group, count: int, *, start: int) -> None:
    """``count`` more practices, four to a PCN, written in bulk (as load-scale does), then
    resolved and counted once with rebuild_derived."""
    Organisation.objects.bulk_create(
        [
            Organisation(org_type=OrgType.PCN, ods_code=f"U6{i:04d}", name=f"Bulk PCN {i:04d}")
            for i in range(start // 4, (start + count + 3) // 4)
        ],
        ignore_conflicts=True,
    )
    pcns = {
        o.ods_code: o for o in Organisation.objects.filter(org_type=OrgType.PCN, ods_code__startswith="U6")
    }
    Organisation.objects.bulk_create(
        [
            Organisation(
                org_type=OrgType.PRACTICE,
                ods_code=f"Z6{i:04d}",
                name=f"Bulk practice {i:04d}",
                pcn=pcns[f"U6{i // 4:04d}"],
                list_size=1000 + i,
            )
            for i in range(start, start + count)
        ]
    )
    FootprintEntry.objects.bulk_create(
        [FootprintEntry(group=group, organisation=pcn) for pcn in pcns.values()], ignore_conflicts=True
    )
    rebuild_derived(group)


@pytest.mark.django_db
def test_mandate_pages_use_a_fixed_number_of_queries(client, group, personas, strong_login):
    from datetime import date, timedelta

    from django.utils import timezone

    _grow(group, 5, start=0)
    admin = personas[Role.ADMIN]
    terms = services.terms_issue(
        terms=services.terms_create(group=group, title="ToR", body="Purpose", actor=admin), actor=admin
    )
    round = services.mandate_open(
        terms=terms,
        closes_at=timezone.now() + timedelta(days=7),
        expires_on=date.today() + timedelta(days=300),
        actor=admin,
    )
    practices = list(Organisation.objects.filter(ods_code__startswith="Z6").order_by("ods_code"))
    signer = make_signatory(group, practices[0], "signer@nhs.test")
    _answer(round, practices[0], "agree", signer)
    for i, practice in enumerate(practices[1:4]):
        _answer(round, practice, "decline", make_signatory(group, practice, f"s{i}@nhs.test"))
    strong_login(client, signer)

    def measure() -> dict[str, int]:
        counts = {}
        for name, url in [
            ("mandate", f"/g/{group.slug}/mandate/"),
            ("mandate, later pages", f"/g/{group.slug}/mandate/?pcns=2&waiting=3"),
            ("json", f"/api/v1/groups/{group.slug}/mandate"),
            ("json by PCN", f"/api/v1/groups/{group.slug}/mandate/pcns?page=1"),
            ("home", f"/g/{group.slug}/"),
        ]:
            cache.clear()  # the tables and panels worked out, not read back from the cache
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[name] = len(captured)
        return counts

    small = measure()
    _grow(group, 195, start=5)  # 200 practices in 50 PCNs: the lists now span pages
    assert_kept(round)
    assert sum(stored(round)[0].values()) == 200
    large = measure()
    assert small == large, f"queries grew with the footprint: {small} -> {large}"
    page = client.get(f"/g/{group.slug}/mandate/").content.decode()
    assert "196 practices not yet answered, page 1 of 4" in page and "50 PCNs, page 1 of 1" not in page


@pytest.mark.django_db
def test_the_json_by_pcn_is_paginated_and_stored(client, group, open_round, area, signatories, strong_login):
    _answer(open_round, area["practices"][2], "agree", signatories[2])
    strong_login(client, signatories[2])
    body = client.get(f"/api/v1/groups/{group.slug}/mandate/pcns").json()
    assert body["count"] == 1
    (row,) = body["items"]
    assert (row["pcn"], row["name"]) == ("U99999", "Test PCN")
    assert row["practices"]["agree"] == 1 and row["patients"]["agree"] == 3000
    assert row["practices"]["none"] == 2 and row["patients"]["none"] == 3000
