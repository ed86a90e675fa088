"""Ballots from draft to published: the lifecycle, casting, secrecy and refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from gpvoice.ballots import reminders, services
from gpvoice.ballots.models import (
    Ballot,
    Elector,
    FrozenBallot,
    Option,
    Participation,
    SealedChoice,
    Status,
    Vote,
)
from gpvoice.core.models import AuditEntry
from gpvoice.directory.models import FootprintEntry
from gpvoice.directory.tests.factories import OrganisationFactory
from gpvoice.governance.models import RollEntry

from .conftest import close_by_the_clock, make_signatory, option_ids


def _state():
    return (
        Vote.objects.count(),
        SealedChoice.objects.count(),
        Participation.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
class TestLifecycle:
    def test_opening_freezes_the_electorate_with_list_sizes(self, make_ballot, area, group):
        ballot = make_ballot()
        assert ballot.status == Status.OPEN
        electors = Elector.objects.filter(ballot=ballot)
        assert sorted(electors.values_list("weight", flat=True)) == [1000, 2000, 3000, 4000]
        # A practice added to the footprint after opening does not join this ballot.
        late = OrganisationFactory(ods_code="Z95555", list_size=9000)
        FootprintEntry.objects.create(group=group, organisation=late)
        assert Elector.objects.filter(ballot=ballot).count() == 4

    def test_scheduled_ballot_opens_on_time_by_the_clock(self, make_ballot):
        ballot = make_ballot(open_now=False)
        assert ballot.status == Status.SCHEDULED and not ballot.electors.exists()
        with time_machine.travel(ballot.opens_at + timedelta(seconds=1)):
            call_command("ballot-clock")
        ballot.refresh_from_db()
        assert ballot.status == Status.OPEN and ballot.electors.count() == 4

    def test_rules_and_options_cannot_change_once_open(self, make_ballot):
        ballot = make_ballot()
        ballot.method = "single"
        with pytest.raises(FrozenBallot):
            ballot.save()
        with pytest.raises(FrozenBallot):
            Option.objects.create(ballot=ballot, position=9, label="Maybe")
        with pytest.raises(FrozenBallot):
            ballot.options.first().delete()
        ballot.refresh_from_db()
        assert ballot.method == "yes_no" and ballot.options.count() == 2

    def test_only_drafts_change_through_the_service(self, make_ballot, admin):
        ballot = make_ballot(open_now=False)
        draft = services.Draft(title="New", question="Q?", method="yes_no", electorate="practices")
        with pytest.raises(services.BallotError, match="Only a draft"):
            services.ballot_update(ballot=ballot, draft=draft, actor=admin)

    def test_a_late_clock_never_lets_a_vote_in_afterclose_by_the_clock(self, make_ballot, signatories):
        ballot = make_ballot()
        yes = option_ids(ballot)[0]
        before = _state()
        # No worker has run: the ballot row still says open, but the cast checks the time itself.
        with time_machine.travel(ballot.closes_at + timedelta(minutes=5)):
            with pytest.raises(services.BallotError, match="closed"):
                services.ballot_cast(ballot=ballot, user=signatories[0], content={"choice": yes})
        ballot.refresh_from_db()
        assert ballot.status == Status.PUBLISHED
        assert Vote.objects.count() == 0 and SealedChoice.objects.count() == before[1]

    def test_close_publishes_and_the_tally_command_recounts_the_same(self, make_ballot, signatories, capsys):
        ballot = make_ballot()
        yes, no = option_ids(ballot)
        for user, choice in zip(signatories, [yes, yes, no, {"abstain": True}], strict=True):
            content = choice if isinstance(choice, dict) else {"choice": choice}
            services.ballot_cast(ballot=ballot, user=user, content=content)
        ballot = close_by_the_clock(ballot)
        assert ballot.status == Status.PUBLISHED
        result = ballot.result
        assert result["turnout"]["count"] == 4 and result["abstentions"]["count"] == 1
        rows = {r["label"]: r for r in result["options"]}
        assert rows["Yes"]["count"] == 2 and rows["Yes"]["patients"] == 3000
        assert rows["No"]["patients"] == 3000
        assert result["outcome"]["passes"] is True  # 2 of 3 practices, simple majority
        call_command("tally", str(ballot.pk))
        out = capsys.readouterr().out
        assert "Recount matches the stored result." in out and "Outcome: Carried." in out

    def test_tally_command_notices_a_tampered_result(self, make_ballot, signatories):
        ballot = make_ballot()
        services.ballot_cast(ballot=ballot, user=signatories[0], content={"choice": option_ids(ballot)[0]})
        ballot = close_by_the_clock(ballot)
        Ballot.objects.filter(pk=ballot.pk).update(
            result={**ballot.result, "outcome": {"text": "Not carried."}}
        )
        with pytest.raises(CommandError, match="differs"):
            call_command("tally", str(ballot.pk))

    def test_publish_on_close_off_leaves_it_for_an_officer(self, make_ballot, admin):
        ballot = close_by_the_clock(make_ballot(publish_on_close=False))
        assert ballot.status == Status.CLOSED
        ballot = services.ballot_publish(ballot=ballot, actor=admin)
        assert ballot.status == Status.PUBLISHED


@pytest.mark.django_db
class TestCasting:
    def test_a_second_signatory_replaces_the_first_and_both_are_kept(self, make_ballot, group, area):
        practice = area["practices"][0]
        first, second = (make_signatory(group, practice, f"s{i}@nhs.test") for i in range(2))
        ballot = make_ballot()
        yes, no = option_ids(ballot)
        services.ballot_cast(ballot=ballot, user=first, content={"choice": yes})
        cast = services.ballot_cast(ballot=ballot, user=second, content={"choice": no})
        assert cast.replaced
        votes = Vote.objects.filter(ballot=ballot)
        assert votes.count() == 2 and votes.get(is_current=True).content == {"choice": no}

    def test_the_same_vote_sent_again_by_the_same_signatory_is_stored_once(self, make_ballot, group, area):
        """A retried request (its answer lost when a worker died) or a double click: one vote."""
        from gpvoice.core.models import AuditEntry

        practice = area["practices"][0]
        first, second = (make_signatory(group, practice, f"r{i}@nhs.test") for i in range(2))
        ballot = make_ballot()
        yes, no = option_ids(ballot)
        services.ballot_cast(ballot=ballot, user=first, content={"choice": yes})
        again = services.ballot_cast(ballot=ballot, user=first, content={"choice": yes})
        assert not again.replaced
        assert Vote.objects.filter(ballot=ballot).count() == 1
        assert AuditEntry.objects.filter(action="ballots.vote.cast").count() == 1
        # Only a replay of the current vote by the same signatory: another choice, or the same
        # choice from the practice's other signatory, is a new vote that replaces it.
        assert services.ballot_cast(ballot=ballot, user=first, content={"choice": no}).replaced
        assert services.ballot_cast(ballot=ballot, user=first, content={"choice": yes}).replaced
        assert services.ballot_cast(ballot=ballot, user=second, content={"choice": yes}).replaced
        votes = Vote.objects.filter(ballot=ballot)
        assert votes.count() == 4 and votes.get(is_current=True).cast_by == second

    def test_signatory_of_several_practices_must_say_which(self, make_ballot, group, area):
        user = make_signatory(group, area["practices"][0], "two@nhs.test")
        from gpvoice.directory.tests.factories import AppointmentFactory

        AppointmentFactory(person=user.person, organisation=area["practices"][1], is_signatory=True)
        ballot = make_ballot()
        yes = option_ids(ballot)[0]
        with pytest.raises(services.BallotError, match="more than one practice"):
            services.ballot_cast(ballot=ballot, user=user, content={"choice": yes})
        cast = services.ballot_cast(
            ballot=ballot, user=user, content={"choice": yes}, practice=area["practices"][1]
        )
        assert cast.elector.practice == area["practices"][1]

    def test_a_posted_practice_code_chooses_the_elector_and_a_stranger_code_is_refused(
        self, make_ballot, group, area, unchanged
    ):
        from gpvoice.directory.tests.factories import AppointmentFactory

        user = make_signatory(group, area["practices"][0], "two@nhs.test")
        AppointmentFactory(person=user.person, organisation=area["practices"][1], is_signatory=True)
        ballot = make_ballot()
        yes = option_ids(ballot)[0]
        code = area["practices"][1].ods_code
        cast = services.ballot_cast(ballot=ballot, user=user, content={"choice": yes}, practice_code=code)
        assert cast.elector.practice == area["practices"][1]
        # A practice in the electorate the user does not sign for, one outside it, and hostile text.
        for stranger in (
            area["practices"][2].ods_code,
            "Z00000",
            code.lower(),
            "<b>\x00" + code,
            "x" * 10_000,
        ):
            with unchanged(), pytest.raises(services.BallotError, match="do not sign for that practice"):
                services.ballot_cast(
                    ballot=ballot, user=user, content={"choice": yes}, practice_code=stranger
                )

    @pytest.mark.parametrize(
        ("method", "content", "message"),
        [
            ("yes_no", {}, "Choose an option"),
            ("yes_no", {"choice": "999999"}, "not on this ballot"),
            ("yes_no", {"choice": ["1", "2"]}, "only one"),
            ("yes_no", {"choice": "1", "abstain": True}, "abstention cannot"),
            ("yes_no", "yes", "Choose an option"),
            ("yes_no", {"choice": None}, "not in a form"),
            ("schulze", {"ranking": "A>B"}, "not in a form"),
            ("schulze", {"ranking": []}, "at least one"),
            ("schulze", {"ranking": ["{a}", "{a}"]}, "only once"),
            ("irv", {"ranking": [{"x": 1}]}, "not in a form"),
            ("points", {"points": {"{a}": 101}}, "100 points"),
            ("points", {"points": {"{a}": -5, "{b}": 10}}, "negative"),
            ("points", {"points": {"{a}": 1.5}}, "whole numbers"),
            ("points", {"points": {"{a}": True}}, "whole numbers"),
            ("points", {"points": {"{a}": 0}}, "at least one point"),
            ("approval", {"approved": []}, "at least one"),
            ("approval", {"approved": ["{a}", "{a}"]}, "only once"),
            ("approval", {"choice": "{a}"}, "approve"),
        ],
    )
    def test_malformed_casts_are_refused_and_change_nothing(
        self, make_ballot, signatories, method, content, message
    ):
        ballot = make_ballot(method=method, options=["A", "B", "C"], points_allowance=100)
        a, b = option_ids(ballot)[:2]
        if isinstance(content, dict):
            content = {
                k: (
                    [v.format(a=a, b=b) if isinstance(v, str) else v for v in val]
                    if isinstance(val, list)
                    else {kk.format(a=a, b=b): vv for kk, vv in val.items()}
                    if isinstance(val, dict)
                    else val
                )
                for k, val in content.items()
            }
        before = _state()
        with pytest.raises(services.BallotError, match=message):
            services.ballot_cast(ballot=ballot, user=signatories[0], content=content)
        assert _state() == before

    def test_options_of_another_ballot_are_refused(self, make_ballot, signatories):
        first, second = make_ballot(), make_ballot(title="Another")
        before = _state()
        with pytest.raises(services.BallotError, match="not on this ballot"):
            services.ballot_cast(ballot=first, user=signatories[0], content={"choice": option_ids(second)[0]})
        assert _state() == before

    def test_non_signatories_and_outsiders_cannot_vote(self, make_ballot, personas, outsider):
        ballot = make_ballot()
        before = _state()
        for user in [*personas.values(), outsider]:
            with pytest.raises(services.BallotError, match="Only a signatory"):
                services.ballot_cast(ballot=ballot, user=user, content={"choice": option_ids(ballot)[0]})
        assert _state() == before

    def test_before_opening_is_refused(self, make_ballot, signatories):
        ballot = make_ballot(open_now=False)
        with pytest.raises(services.BallotError, match="not open yet"):
            services.ballot_cast(ballot=ballot, user=signatories[0], content={"abstain": True})

    def test_core_member_electorate(self, make_ballot, group, personas, area, admin):
        from gpvoice.directory.tests.factories import PersonFactory
        from gpvoice.governance.models import RollEntry

        core_user = personas["core"]
        person = PersonFactory(user=core_user)
        RollEntry.objects.create(group=group, person=person, status="core")
        ballot = make_ballot(electorate="core")
        assert list(ballot.electors.values_list("weight", flat=True)) == [1]
        services.ballot_cast(ballot=ballot, user=core_user, content={"choice": option_ids(ballot)[0]})
        with pytest.raises(services.BallotError, match="core members"):
            services.ballot_cast(ballot=ballot, user=admin, content={"abstain": True})
        result = close_by_the_clock(ballot).result
        assert result["patients_apply"] is False and result["electorate"]["patients"] is None


@pytest.mark.django_db
class TestSecretBallots:
    def test_a_choice_row_carries_nothing_that_names_the_voter(self):
        fields = {f.name: f for f in SealedChoice._meta.get_fields()}
        assert set(fields) == {"id", "ballot", "seal", "receipt_digest", "content", "sealed_weight"}
        assert fields["id"].get_internal_type() == "UUIDField"
        assert not any(f.get_internal_type() in ("DateTimeField", "DateField") for f in fields.values())
        relations = [f.related_model for f in fields.values() if f.is_relation]
        assert relations == [Ballot]
        participation = {f.name for f in Participation._meta.get_fields()}
        assert not participation & {"content", "choice", "receipt_digest", "sealed_choice"}

    def test_the_database_cannot_link_a_choice_to_a_practice(self, make_ballot, signatories, area):
        """What a reader of the database sees, after close, gives no way to match rows up."""
        ballot = make_ballot(is_secret=True, weighting="list_size")
        yes, no = option_ids(ballot)
        order = [yes, no, no, yes]
        for user, choice in zip(signatories, order, strict=True):
            services.ballot_cast(ballot=ballot, user=user, content={"choice": choice})
        ballot = close_by_the_clock(ballot)
        rows = list(SealedChoice.objects.filter(ballot=ballot).values())
        assert len(rows) == 4
        weights = {str(w) for w in Elector.objects.filter(ballot=ballot).values_list("weight", flat=True)}
        codes = {p.ods_code for p in area["practices"]}
        for row in rows:
            assert row["seal"] is None  # erased at close
            text = " ".join(str(v) for v in row.values())
            assert not any(w in text.split() for w in weights), "a list size is visible on a choice"
            assert not any(code in text for code in codes)
        # The stored result holds no exact patient totals for the secret ballot.
        for option in ballot.result["options"]:
            assert option["patients"] is None
        # The audit log says who voted, never what.
        cast_entries = AuditEntry.objects.filter(action="ballots.vote.cast_secret")
        assert cast_entries.count() == 4
        assert all(set(e.data) == {"elector", "replaces_earlier"} for e in cast_entries)

    def test_recast_replaces_and_receipts_show_what_was_counted(self, make_ballot, signatories):
        ballot = make_ballot(is_secret=True)
        yes, no = option_ids(ballot)
        first = services.ballot_cast(ballot=ballot, user=signatories[0], content={"choice": yes})
        second = services.ballot_cast(ballot=ballot, user=signatories[0], content={"choice": no})
        assert second.replaced and first.receipt != second.receipt
        assert SealedChoice.objects.filter(ballot=ballot).count() == 1
        assert Participation.objects.get(ballot=ballot).casts == 2
        close_by_the_clock(ballot)
        from gpvoice.ballots.selectors import receipt_counted

        assert receipt_counted(ballot=ballot, code=second.receipt)
        assert receipt_counted(ballot=ballot, code=second.receipt.lower().replace("-", " "))
        assert not receipt_counted(ballot=ballot, code=first.receipt)

    def test_weighting_rules_for_secret_ballots(self, group, admin):
        draft = services.Draft(
            title="Rank",
            question="Rank these",
            method="schulze",
            electorate="practices",
            weighting="list_size",
            is_secret=True,
            options=["A", "B"],
        )
        with pytest.raises(services.BallotError, match="reveal how individual practices voted"):
            services.ballot_create(group=group, draft=draft, actor=admin)


@pytest.mark.django_db
class TestCounting:
    def test_double_majority_needs_practices_and_patients(self, make_ballot, signatories):
        # Practices of 1000, 2000, 3000 say yes; 4000 says no: 3 of 4 practices, 6000 of 10000 patients.
        ballot = make_ballot(weighting="double", threshold="two_thirds")
        yes, no = option_ids(ballot)
        for user, choice in zip(signatories, [yes, yes, yes, no], strict=True):
            services.ballot_cast(ballot=ballot, user=user, content={"choice": choice})
        outcome = close_by_the_clock(ballot).result["outcome"]
        assert outcome["passes"] is False
        assert "Practices: yes majority; patients: no majority" in outcome["text"]

    def test_two_thirds_is_exactly_two_thirds(self, make_ballot, signatories):
        ballot = make_ballot(threshold="two_thirds")
        yes, no = option_ids(ballot)
        for user, choice in zip(signatories[:3], [yes, yes, no], strict=True):
            services.ballot_cast(ballot=ballot, user=user, content={"choice": choice})
        assert close_by_the_clock(ballot).result["outcome"]["passes"] is True

    @pytest.mark.parametrize(
        ("threshold", "carried"), [({"threshold": "simple"}, False), ({"threshold": "custom"}, True)]
    )
    def test_exactly_half_is_not_a_simple_majority_but_reaches_a_custom_half(
        self, make_ballot, signatories, threshold, carried
    ):
        ballot = make_ballot(threshold_num=1, threshold_den=2, **threshold)
        yes, no = option_ids(ballot)
        for user, choice in zip(signatories[:2], [yes, no], strict=True):
            services.ballot_cast(ballot=ballot, user=user, content={"choice": choice})
        assert close_by_the_clock(ballot).result["outcome"]["passes"] is carried

    def test_quorum_counts_abstentions(self, make_ballot, signatories):
        ballot = make_ballot(quorum_practices_percent=75)
        yes = option_ids(ballot)[0]
        services.ballot_cast(ballot=ballot, user=signatories[0], content={"choice": yes})
        services.ballot_cast(ballot=ballot, user=signatories[1], content={"abstain": True})
        assert close_by_the_clock(ballot).result["outcome"]["text"] == "No decision: the quorum was not met."
        ballot = make_ballot(quorum_practices_percent=75, title="Again")
        yes = option_ids(ballot)[0]
        for user in signatories[1:]:
            services.ballot_cast(ballot=ballot, user=user, content={"abstain": True})
        services.ballot_cast(ballot=ballot, user=signatories[0], content={"choice": yes})
        result = close_by_the_clock(ballot).result
        assert result["quorum"]["met"] and result["outcome"]["passes"] is True

    def test_seeded_tie_break_is_recorded_and_reproducible(self, make_ballot, signatories):
        ballot = make_ballot(method="single", options=["A", "B"], tie_break="seeded")
        assert ballot.tie_seed
        a, b = option_ids(ballot)
        services.ballot_cast(ballot=ballot, user=signatories[0], content={"choice": a})
        services.ballot_cast(ballot=ballot, user=signatories[1], content={"choice": b})
        result = close_by_the_clock(ballot).result
        assert result["tie_seed"] == ballot.tie_seed
        assert services.compute_result(ballot=ballot) == result


@pytest.mark.django_db
class TestShowOfHands:
    def test_recorded_with_who_was_present(self, group, admin):
        from gpvoice.directory.tests.factories import PersonFactory

        present = PersonFactory.create_batch(5)
        for person in present:
            RollEntry.objects.create(group=group, person=person, status="core")
        ballot = services.show_of_hands_record(
            group=group,
            title="Winter plan",
            question="Support the winter plan?",
            meeting="Core group, December",
            held_on=timezone.localdate(),
            hands=[("For", 4), ("Against", 1)],
            present=present,
            actor=admin,
        )
        assert ballot.is_recorded and ballot.status == Status.PUBLISHED
        assert ballot.present.count() == 5

    def test_more_hands_than_people_is_refused(self, group, admin):
        from gpvoice.directory.tests.factories import PersonFactory

        before = Ballot.objects.count()
        with pytest.raises(services.BallotError, match="More hands"):
            services.show_of_hands_record(
                group=group,
                title="T",
                question="Q",
                meeting="M",
                held_on=timezone.localdate(),
                hands=[("For", 4), ("Against", 2)],
                present=PersonFactory.create_batch(3),
                actor=admin,
            )
        assert Ballot.objects.count() == before


@pytest.mark.django_db
def test_reminders_go_once_to_signatories_who_have_not_voted(make_ballot, signatories, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    closes = timezone.now() + timedelta(days=2)
    ballot = make_ballot(closes_at=closes, reminders=[closes - timedelta(hours=24)])
    services.ballot_cast(ballot=ballot, user=signatories[0], content={"abstain": True})
    with time_machine.travel(closes - timedelta(hours=23)):
        assert reminders.reminders_due() == 3
        assert reminders.reminders_due() == 0  # sent once
    addressed = sorted(m.to[0] for m in mail.outbox)
    assert addressed == ["sig1@nhs.test", "sig2@nhs.test", "sig3@nhs.test"]
    assert ballot.title in mail.outbox[0].subject


@pytest.mark.django_db
def test_a_ballot_run_by_another_part_of_gp_voice_is_changed_only_there(make_ballot, admin):
    ballot = make_ballot(open_now=False, owner="priority round “Spring”")
    with pytest.raises(services.BallotError, match="belongs to the priority round"):
        services.ballot_unschedule(ballot=ballot, actor=admin)
    ballot.refresh_from_db()
    assert ballot.status == Status.SCHEDULED


@pytest.mark.django_db
def test_a_reminder_due_after_the_close_is_not_sent_and_says_so(make_ballot, signatories, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    closes = timezone.now() + timedelta(days=2)
    make_ballot(closes_at=closes, reminders=[closes - timedelta(hours=1)])
    # The clock has not run: the ballot row still says open when the reminder falls due late.
    with time_machine.travel(closes + timedelta(minutes=5)):
        assert reminders.reminders_due() == 0
    assert not mail.outbox
    assert AuditEntry.objects.order_by("-pk").first().action == "ballots.reminder.skipped"
