from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gpvoice.ballots.models import Ballot, Electorate, Method, Status
from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import FootprintEntry, RoleType
from gpvoice.directory.tests.factories import AppointmentFactory, OrganisationFactory, PersonFactory
from gpvoice.priorities import scoring, selectors, services
from gpvoice.priorities.models import (
    AdoptedPriority,
    Candidate,
    DeliveryUpdate,
    Nomination,
    Phase,
    PhaseChange,
)
from gpvoice.priorities.services import PriorityError

from .conftest import TITLES, close_scoring, make_practices, make_signatory, score

pytestmark = pytest.mark.django_db

MEGABYTE = "x" * 1_048_576
SOON = timedelta(days=90)


def _window():
    now = timezone.now()
    return {"opens_at": now - timedelta(minutes=1), "closes_at": now + timedelta(hours=1)}


class TestPhases:
    def test_a_new_round_is_in_nominations_with_its_history_and_an_audit_entry(self, group, admin):
        round = services.round_create(group=group, title="Priorities 2027", actor=admin)
        assert round.phase == Phase.NOMINATIONS and round.method == "points" and round.adopt_up_to == 3
        assert list(PhaseChange.objects.filter(round=round).values_list("phase", flat=True)) == [
            "nominations"
        ]
        assert AuditEntry.objects.filter(action="priorities.round.created", object_id=str(round.pk)).exists()

    def test_phases_move_forward_one_at_a_time(self, make_round, admin, unchanged):
        round = make_round(Phase.NOMINATIONS)
        services.nomination_make(round=round, title="A", rationale="a", actor=admin)
        services.nomination_make(round=round, title="B", rationale="b", actor=admin)
        for wrong in [Phase.SCORING, Phase.DELIVERY, Phase.NOMINATIONS, "backwards", ""]:
            with unchanged(), pytest.raises(PriorityError, match="the only move is on to consolidation"):
                services.round_advance(round=round, to_phase=wrong, actor=admin)
        round = services.round_advance(round=round, to_phase=Phase.CONSOLIDATION, actor=admin)
        with unchanged(), pytest.raises(PriorityError, match="the only move is on to scoring"):
            # A second officer who saw the round in nominations asks for the same move again.
            services.round_advance(round=round, to_phase=Phase.CONSOLIDATION, actor=admin)
        assert round.phase == Phase.CONSOLIDATION

    def test_delivery_is_the_last_phase_and_every_phase_is_kept(self, make_round, admin, unchanged):
        round = make_round(Phase.DELIVERY)
        with unchanged(), pytest.raises(PriorityError, match="last phase"):
            services.round_advance(round=round, to_phase=Phase.DELIVERY, actor=admin)
        assert list(round.phase_changes.values_list("phase", flat=True)) == [p.value for p in Phase]
        actions = AuditEntry.objects.filter(action="priorities.round.advanced").values_list("data", flat=True)
        assert [(d["from"], d["to"]) for d in actions] == [
            ("nominations", "consolidation"),
            ("consolidation", "scoring"),
            ("scoring", "adoption"),
            ("adoption", "delivery"),
        ]

    @pytest.mark.parametrize("role", [Role.CORE, Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF])
    def test_only_officers_start_rounds_and_move_phases(self, group, make_round, personas, role, unchanged):
        round = make_round(Phase.CONSOLIDATION)
        with unchanged():
            with pytest.raises(PriorityError, match="Only the officers"):
                services.round_create(group=group, title="Mine", actor=personas[role])
            with pytest.raises(PriorityError, match="Only the officers"):
                services.round_advance(round=round, to_phase=Phase.SCORING, actor=personas[role], **_window())

    def test_an_officer_of_another_group_cannot_touch_this_groups_round(
        self, make_round, outsider, unchanged
    ):
        round = make_round(Phase.CONSOLIDATION)
        with unchanged():
            with pytest.raises(PriorityError, match="Only the officers"):
                services.round_advance(round=round, to_phase=Phase.SCORING, actor=outsider, **_window())
            with pytest.raises(PriorityError, match="Only the officers"):
                services.nominations_each_own(round=round, actor=outsider)

    def test_consolidation_needs_two_nominations(self, make_round, admin, unchanged):
        round = make_round(Phase.NOMINATIONS)
        services.nomination_make(round=round, title="Only one", rationale="r", actor=admin)
        with unchanged(), pytest.raises(PriorityError, match="At least two"):
            services.round_advance(round=round, to_phase=Phase.CONSOLIDATION, actor=admin)

    def test_titles_are_unique_per_group_whatever_the_case(self, group, other_group, admin, outsider):
        services.round_create(group=group, title="Priorities 2027", actor=admin)
        with pytest.raises(PriorityError, match="already a round called"):
            services.round_create(group=group, title="  PRIORITIES 2027 ", actor=admin)
        assert services.round_create(group=other_group, title="Priorities 2027", actor=outsider)


class TestNominations:
    def test_any_member_nominates_as_a_member(self, make_round, personas):
        round = make_round()
        for role, user in personas.items():
            services.nomination_make(round=round, title=f"From {role}", rationale="Because", actor=user)
        assert round.nominations.count() == len(Role)
        nomination = round.nominations.get(title="From observer")
        assert nomination.on_behalf_of is None and nomination.proposer_name == "observer@northvale.test"

    def test_for_a_practice_or_pcn_where_they_hold_a_current_appointment(self, group, make_round, practices):
        round = make_round()
        signatory = make_signatory(group, practices[0], "pm@nhs.test")
        director = make_signatory(group, practices[2], "cd@nhs.test")
        AppointmentFactory(
            person=director.person, organisation=practices[2].pcn, role=RoleType.PCN_CLINICAL_DIRECTOR
        )
        services.nomination_make(
            round=round, title="Estates", rationale="r", actor=signatory, on_behalf_of=practices[0]
        )
        services.nomination_make(
            round=round, title="Workforce", rationale="r", actor=director, on_behalf_of=practices[2].pcn
        )
        assert [n.on_behalf_of for n in round.nominations.order_by("pk")] == [practices[0], practices[2].pcn]

    def test_not_for_an_organisation_without_a_current_appointment(
        self, group, make_round, practices, unchanged
    ):
        round = make_round()
        signatory = make_signatory(group, practices[0], "pm@nhs.test")
        elsewhere = OrganisationFactory(ods_code="Z66666", name="Outside the footprint")
        AppointmentFactory(person=signatory.person, organisation=elsewhere)
        ended = practices[1]
        AppointmentFactory(
            person=signatory.person,
            organisation=ended,
            start=timezone.localdate() - timedelta(days=400),
            end=timezone.localdate() - timedelta(days=1),
        )
        for org in [practices[3], practices[2].pcn, elsewhere, ended]:
            with unchanged(), pytest.raises(PriorityError, match="only where you hold a current appointment"):
                services.nomination_make(
                    round=round, title="T", rationale="r", actor=signatory, on_behalf_of=org
                )

    def test_only_in_the_nominations_phase(self, make_round, personas, unchanged):
        round = make_round(Phase.CONSOLIDATION)
        with unchanged(), pytest.raises(PriorityError, match="closed: it is in consolidation"):
            services.nomination_make(round=round, title="Late", rationale="r", actor=personas[Role.CORE])

    def test_not_for_another_groups_round(self, make_round, outsider, unchanged):
        round = make_round()
        with unchanged(), pytest.raises(PriorityError, match="Only members of Northvale"):
            services.nomination_make(round=round, title="Ours", rationale="r", actor=outsider)

    def test_a_person_makes_at_most_twenty_a_round(self, make_round, personas, unchanged):
        round = make_round()
        user = personas[Role.CORE]
        for i in range(services.NOMINATIONS_PER_PERSON):
            services.nomination_make(round=round, title=f"Idea {i}", rationale="r", actor=user)
        with unchanged(), pytest.raises(PriorityError, match="at most 20"):
            services.nomination_make(round=round, title="One more", rationale="r", actor=user)

    @pytest.mark.parametrize(
        ("title", "rationale", "message"),
        [
            ("", "Because", "Enter the priority you propose"),
            ("   \n ", "Because", "Enter the priority you propose"),
            (None, "Because", "Enter the priority you propose"),
            (123, "Because", "Enter the priority you propose"),
            ("x" * 151, "Because", "The title must be 150 characters or fewer; it has 151"),
            ("Workforce", "", "Say why"),
            ("Workforce", MEGABYTE, "The rationale must be 5,000 characters or fewer; it has 1,048,576"),
            ("Work\x00force", "Because", "cannot be stored"),
            ("Workforce", ["a", "list"], "Say why"),
        ],
    )
    def test_bad_input_is_refused_and_changes_nothing(
        self, make_round, personas, unchanged, title, rationale, message
    ):
        round = make_round()
        with unchanged(), pytest.raises(PriorityError, match=message):
            services.nomination_make(round=round, title=title, rationale=rationale, actor=personas[Role.CORE])

    def test_hostile_text_is_stored_as_typed(self, make_round, personas):
        round = make_round()
        text = '<script>alert("x")</script> & <b>bold</b>'
        nomination = services.nomination_make(
            round=round, title=text[:40], rationale=text, actor=personas[Role.CORE]
        )
        assert Nomination.objects.get(pk=nomination.pk).rationale == text  # escaped when shown, never altered


class TestConsolidation:
    def _round(self, make_round, personas, admin):
        round = make_round(Phase.NOMINATIONS)
        for title, role in [
            ("GP workforce", Role.CORE),
            ("Recruiting GPs", Role.ATTENDEE),
            ("Estates", Role.OBSERVER),
            ("estates", Role.PRACTICE_STAFF),
        ]:
            services.nomination_make(
                round=round, title=title, rationale=f"{role} says so", actor=personas[role]
            )
        return services.round_advance(round=round, to_phase=Phase.CONSOLIDATION, actor=admin)

    def test_merging_keeps_who_proposed_what(self, make_round, personas, admin):
        round = self._round(make_round, personas, admin)
        workforce = list(round.nominations.filter(title__in=["GP workforce", "Recruiting GPs"]))
        candidate = services.nominations_merge(
            round=round, nominations=workforce, title="Workforce", description="GPs and nurses", actor=admin
        )
        assert sorted(candidate.nominations.values_list("proposer_name", "title", "rationale")) == [
            ("attendee@northvale.test", "Recruiting GPs", "attendee says so"),
            ("core@northvale.test", "GP workforce", "core says so"),
        ]
        entry = AuditEntry.objects.get(action="priorities.nominations.merged")
        assert entry.data["into"] == "Workforce" and entry.data["nominations"] == sorted(
            n.pk for n in workforce
        )

    def test_moving_nominations_removes_options_left_empty(self, make_round, personas, admin):
        round = self._round(make_round, personas, admin)
        assert services.nominations_each_own(round=round, actor=admin) == 4
        assert list(Candidate.objects.filter(round=round).values_list("title", flat=True)) == [
            "GP workforce",
            "Recruiting GPs",
            "Estates",  # "estates" joined it: identical titles share one option
        ]
        into = Candidate.objects.get(round=round, title="GP workforce")
        services.nominations_merge(
            round=round,
            nominations=list(round.nominations.filter(title="Recruiting GPs")),
            into=into,
            actor=admin,
        )
        assert list(Candidate.objects.filter(round=round).values_list("title", flat=True)) == [
            "GP workforce",
            "Estates",
        ]
        assert into.nominations.count() == 2 and round.nominations.filter(candidate__isnull=True).count() == 0

    def test_refusals_change_nothing(self, make_round, other_group, personas, admin, outsider, unchanged):
        round = self._round(make_round, personas, admin)
        services.nominations_merge(
            round=round,
            nominations=list(round.nominations.filter(title="Estates")),
            title="Estates",
            actor=admin,
        )
        estates = Candidate.objects.get(round=round)
        other = services.round_create(group=other_group, title="Theirs", actor=outsider)
        theirs = services.nomination_make(round=other, title="Theirs", rationale="r", actor=outsider)
        mine = list(round.nominations.filter(title="GP workforce"))
        cases = [
            ({"nominations": []}, "at least one nomination"),
            ({"nominations": [theirs]}, "not in this round"),
            ({"nominations": [*mine, theirs]}, "not in this round"),
            ({"nominations": mine, "title": ""}, "Enter a title for the new option"),
            ({"nominations": mine, "title": "ESTATES"}, "already an option called"),
            ({"nominations": mine, "title": "x" * 151}, "150 characters or fewer"),
            ({"nominations": mine, "title": "W", "description": MEGABYTE}, "5,000 characters"),
            ({"nominations": mine, "into": estates, "title": "Also"}, "not both"),
        ]
        for kwargs, message in cases:
            with unchanged(), pytest.raises(PriorityError, match=message):
                services.nominations_merge(round=round, actor=admin, **kwargs)

    def test_an_option_of_another_round_is_refused(self, make_round, personas, admin, unchanged):
        round = self._round(make_round, personas, admin)
        other = make_round(Phase.CONSOLIDATION, title="Another round")
        services.nominations_each_own(round=other, actor=admin)
        theirs = Candidate.objects.filter(round=other).first()
        with unchanged(), pytest.raises(PriorityError, match="That option is not in this round"):
            services.nominations_merge(
                round=round, nominations=list(round.nominations.all()), into=theirs, actor=admin
            )

    def test_options_can_be_renamed_during_consolidation_only(self, make_round, admin, unchanged):
        round = make_round(Phase.CONSOLIDATION)
        services.nominations_each_own(round=round, actor=admin)
        first, second = Candidate.objects.filter(round=round)[:2]
        services.candidate_update(candidate=first, title="The workforce", description="More GPs", actor=admin)
        with unchanged(), pytest.raises(PriorityError, match="already an option"):
            services.candidate_update(candidate=second, title="the WORKFORCE", description="", actor=admin)
        services.round_advance(round=round, to_phase=Phase.SCORING, actor=admin, **_window())
        with unchanged(), pytest.raises(PriorityError, match="during consolidation"):
            services.candidate_update(
                candidate=first, title="Changed after scoring", description="", actor=admin
            )


class TestScoring:
    def test_needs_every_nomination_in_an_option_and_two_options(self, make_round, admin, unchanged):
        round = make_round(Phase.CONSOLIDATION)
        with unchanged(), pytest.raises(PriorityError, match="3 nominations are not yet in an option"):
            services.round_advance(round=round, to_phase=Phase.SCORING, actor=admin, **_window())
        services.nominations_merge(
            round=round, nominations=list(round.nominations.all()), title="Everything", actor=admin
        )
        with unchanged(), pytest.raises(PriorityError, match="at least two options"):
            services.round_advance(round=round, to_phase=Phase.SCORING, actor=admin, **_window())

    @pytest.mark.parametrize(
        ("window", "message"),
        [
            ({}, "Say when scoring opens and closes"),
            ({"opens_at": "tomorrow", "closes_at": "later"}, "Say when scoring opens and closes"),
            (
                {
                    "opens_at": timezone.now() + timedelta(days=2),
                    "closes_at": timezone.now() + timedelta(days=1),
                },
                "close after",
            ),
            (
                {
                    "opens_at": timezone.now() - timedelta(days=2),
                    "closes_at": timezone.now() - timedelta(days=1),
                },
                "future",
            ),
        ],
    )
    def test_needs_a_window_in_the_future(self, make_round, admin, unchanged, window, message):
        round = make_round(Phase.CONSOLIDATION)
        services.nominations_each_own(round=round, actor=admin)
        with unchanged(), pytest.raises(PriorityError, match=message):
            services.round_advance(round=round, to_phase=Phase.SCORING, actor=admin, **window)

    def test_needs_practices_in_the_footprint(self, group, make_round, admin, unchanged):
        round = make_round(Phase.CONSOLIDATION)
        FootprintEntry.objects.filter(group=group).delete()
        services.nominations_each_own(round=round, actor=admin)
        with unchanged(), pytest.raises(PriorityError, match="no practices"):
            services.round_advance(round=round, to_phase=Phase.SCORING, actor=admin, **_window())

    def test_makes_an_open_points_ballot_of_the_practices(self, make_round, practices):
        round = make_round(Phase.SCORING)
        ballot = Ballot.objects.get(pk=round.scoring_ballot_id)
        assert ballot.method == Method.POINTS and ballot.points_allowance == 100
        assert ballot.electorate == Electorate.PRACTICES and ballot.weighting == "equal"
        assert not ballot.is_secret and ballot.publish_on_close
        assert [o.label for o in ballot.options.all()] == TITLES
        assert ballot.status == Status.OPEN and ballot.electors.count() == len(practices)
        assert AuditEntry.objects.filter(action="ballots.ballot.scheduled", object_id=str(ballot.pk)).exists()

    def test_a_ranked_round_makes_a_schulze_ballot(self, make_round, practices, signatories):
        votes = [(signatories[0], practices[0], ["Estates", "Workforce"])]
        round = make_round(Phase.ADOPTION, method="schulze", votes=votes)
        assert round.scoring_ballot.method == Method.SCHULZE and round.scoring_ballot.points_allowance is None
        rows = selectors.results(round=round, candidates=selectors.candidates(round=round), adopted=[]).rows
        assert [r.place.label for r in rows] == ["Estates", "Workforce", "Same-day access"]
        assert [r.breadth for r in rows] == [
            scoring.Breadth(1, 1),
            scoring.Breadth(1, 1),
            scoring.Breadth(0, 0),
        ]
        assert rows[0].place.score_text == "Preferred to 2 of 2 other options head to head"

    def test_adoption_waits_for_the_published_result(self, make_round, admin, practices, unchanged):
        round = make_round(Phase.SCORING)
        with unchanged(), pytest.raises(PriorityError, match="once the scoring ballot has closed"):
            services.round_advance(round=round, to_phase=Phase.ADOPTION, actor=admin)
        close_scoring(round)
        assert (
            services.round_advance(round=round, to_phase=Phase.ADOPTION, actor=admin).phase == Phase.ADOPTION
        )


class TestBreadth:
    def test_counts_practices_and_their_pcns_and_zero_points_do_not_count(
        self, make_round, practices, signatories
    ):
        # practices 0 and 1 share a PCN; 2 and 3 share the other
        votes = [
            (signatories[0], practices[0], {"Workforce": 60, "Estates": 40}),
            (signatories[1], practices[1], {"Workforce": 100, "Estates": 0}),
            (signatories[2], practices[2], {"Workforce": 10, "Same-day access": 90}),
        ]
        round = make_round(Phase.ADOPTION, votes=votes)
        score_rows = selectors.results(
            round=round, candidates=selectors.candidates(round=round), adopted=[]
        ).rows
        assert [(r.place.label, r.place.score, r.breadth.text) for r in score_rows] == [
            ("Workforce", 170, "3 practices, 2 PCNs"),
            ("Same-day access", 90, "1 practice, 1 PCN"),
            ("Estates", 40, "1 practice, 1 PCN"),  # practice 1 gave it 0 points: not support
        ]

    def test_abstentions_and_replaced_votes_support_nothing(self, make_round, practices, signatories):
        round = make_round(Phase.SCORING, votes=[(signatories[0], practices[0], {"Estates": 100})])
        score(round, signatories[0], practices[0], points={"Workforce": 100})  # replaces the first
        score(round, signatories[1], practices[1])  # abstains
        close_scoring(round)
        breadth = selectors.breadth_of_support(ballot=round.scoring_ballot)
        ids = {o.label: str(o.pk) for o in round.scoring_ballot.options.all()}
        assert breadth == {ids["Workforce"]: scoring.Breadth(1, 1)}

    def test_hidden_until_the_result_is_published(self, make_round, practices, signatories):
        round = make_round(Phase.SCORING, votes=[(signatories[0], practices[0], {"Estates": 100})])
        assert selectors.breadth_of_support(ballot=round.scoring_ballot) == {}
        assert selectors.results(round=round, candidates=[], adopted=[]) is None

    @pytest.mark.parametrize("voters", [3, 30])
    def test_is_one_query_however_many_practices_vote(
        self, group, make_round, django_assert_num_queries, voters
    ):
        practices = make_practices(group, pcns=3, per_pcn=10)[:voters]
        users = [make_signatory(group, p, f"v{i}@nhs.test") for i, p in enumerate(practices)]
        votes = [(u, p, {"Workforce": 50, "Estates": 50}) for u, p in zip(users, practices, strict=True)]
        round = make_round(Phase.ADOPTION, votes=votes)
        ballot = Ballot.objects.get(pk=round.scoring_ballot_id)
        with django_assert_num_queries(1):
            breadth = selectors.breadth_of_support(ballot=ballot)
        assert sorted(b.practices for b in breadth.values()) == [voters, voters]

    def test_is_kept_when_the_round_moves_to_adoption_and_read_without_the_votes(
        self, group, make_round, django_assert_num_queries
    ):
        practices = make_practices(group, pcns=2, per_pcn=3)
        users = [make_signatory(group, p, f"k{i}@nhs.test") for i, p in enumerate(practices)]
        votes = [(u, p, {"Workforce": 60, "Estates": 40}) for u, p in zip(users, practices, strict=True)]
        round = make_round(Phase.ADOPTION, votes=votes)
        round.refresh_from_db()
        ballot = Ballot.objects.get(pk=round.scoring_ballot_id)
        counted = selectors.count_support(ballot=ballot)
        assert round.support == {option: [b.practices, b.pcns] for option, b in counted.items()}
        assert sorted(b.text for b in counted.values()) == ["6 practices, 2 PCNs"] * 2
        with django_assert_num_queries(0):
            assert selectors.breadth_of_support(ballot=ballot, round=round) == counted

    def test_pure_counting_handles_odd_contents(self):
        votes = [
            ({"points": {"1": 0, "2": 5}}, 10, 100),
            ({"points": {"1": 3}}, 11, None),  # a practice with no PCN
            ({"ranking": ["2", "3"]}, 12, 100),
            ({"abstain": True}, 13, 101),
            ({"points": {"1": True, "2": "9"}}, 14, 102),  # nothing countable
            ({"points": {"2": 1}}, 10, 100),  # the same elector twice counts once
        ]
        assert scoring.count_breadth(votes) == {
            "1": scoring.Breadth(1, 0),
            "2": scoring.Breadth(2, 1),
            "3": scoring.Breadth(1, 1),
        }


class TestAdoption:
    def test_adopts_with_a_lead_and_review_date_keeping_its_place(
        self, make_round, admin, lead, practices, signatories
    ):
        votes = [(signatories[0], practices[0], {"Estates": 70, "Workforce": 30})]
        round = make_round(Phase.ADOPTION, votes=votes)
        estates = Candidate.objects.get(round=round, title="Estates")
        review = timezone.localdate() + SOON
        priority = services.priority_adopt(
            round=round, candidate=estates, lead=lead, review_date=review, actor=admin
        )
        assert (priority.title, priority.rank, priority.lead, priority.review_date) == (
            "Estates",
            1,
            lead,
            review,
        )
        assert priority.status == "on_track"

    def test_refusals_change_nothing(self, make_round, admin, lead, personas, outsider, unchanged):
        round = make_round(Phase.ADOPTION, adopt_up_to=2)
        other = make_round(Phase.CONSOLIDATION, title="Another round")
        services.nominations_each_own(round=other, actor=admin)
        theirs = Candidate.objects.filter(round=other).first()
        first, second, third = Candidate.objects.filter(round=round)
        stranger = PersonFactory(full_name="Not in the group")
        today = timezone.localdate()
        good = {"candidate": first, "lead": lead, "review_date": today + SOON, "actor": admin}
        services.priority_adopt(round=round, **good)
        cases = [
            ({**good, "candidate": theirs}, "not in this round"),
            ({**good, "candidate": None}, "not in this round"),
            ({**good}, "already been adopted"),
            ({**good, "candidate": second, "lead": None}, "Choose a lead"),
            ({**good, "candidate": second, "lead": stranger}, "Choose a lead"),
            ({**good, "candidate": second, "review_date": today}, "review date must be in the future"),
            ({**good, "candidate": second, "review_date": "2030-01-01"}, "review date must be in the future"),
            ({**good, "candidate": second, "review_date": today + timedelta(days=4000)}, "within five years"),
            ({**good, "candidate": second, "actor": personas[Role.CORE]}, "Only the officers"),
            ({**good, "candidate": second, "actor": outsider}, "Only the officers"),
        ]
        for kwargs, message in cases:
            with unchanged(), pytest.raises(PriorityError, match=message):
                services.priority_adopt(round=round, **kwargs)
        services.priority_adopt(round=round, **{**good, "candidate": second})
        with unchanged(), pytest.raises(PriorityError, match="at most 2 priorities, and 2 have been adopted"):
            services.priority_adopt(round=round, **{**good, "candidate": third})

    def test_only_in_the_adoption_phase(self, make_round, admin, lead, unchanged):
        round = make_round(Phase.SCORING)
        candidate = Candidate.objects.filter(round=round).first()
        with unchanged(), pytest.raises(PriorityError, match="adopted in the adoption phase"):
            services.priority_adopt(
                round=round,
                candidate=candidate,
                lead=lead,
                review_date=timezone.localdate() + SOON,
                actor=admin,
            )

    def test_delivery_needs_an_adopted_priority(self, make_round, admin, unchanged):
        round = make_round(Phase.ADOPTION)
        with unchanged(), pytest.raises(PriorityError, match="Adopt at least one"):
            services.round_advance(round=round, to_phase=Phase.DELIVERY, actor=admin)


class TestDelivery:
    def test_the_lead_and_officers_post_updates_which_set_the_status(self, make_round, personas):
        round = make_round(Phase.DELIVERY)
        priority = AdoptedPriority.objects.get(round=round)
        lead = priority.lead.user  # the executive in make_round
        services.delivery_update_post(
            priority=priority, status="at_risk", text="Recruitment slow", actor=lead
        )
        services.delivery_update_post(
            priority=priority, status="on_track", text="Two GPs start in May", actor=personas[Role.ADMIN]
        )
        priority.refresh_from_db()
        assert priority.status == "on_track"
        assert list(priority.updates.values_list("status", flat=True)) == ["on_track", "at_risk"]

    def test_refusals_change_nothing(self, make_round, personas, outsider, unchanged):
        round = make_round(Phase.DELIVERY)
        priority = AdoptedPriority.objects.get(round=round)
        cases = [
            ({"actor": personas[Role.CORE]}, "Only the group's officers or the priority's lead"),
            ({"actor": personas[Role.PRACTICE_STAFF]}, "Only the group's officers or the priority's lead"),
            ({"actor": outsider}, "Only the group's officers or the priority's lead"),
            ({"status": "finished"}, "Choose a status"),
            ({"status": None}, "Choose a status"),
            ({"text": ""}, "Enter the update"),
            ({"text": MEGABYTE}, "5,000 characters"),
        ]
        for change, message in cases:
            kwargs = {
                "priority": priority,
                "status": "on_track",
                "text": "Fine",
                "actor": personas[Role.ADMIN],
            }
            with unchanged(), pytest.raises(PriorityError, match=message):
                services.delivery_update_post(**{**kwargs, **change})
        assert not DeliveryUpdate.objects.exists()

    def test_not_before_delivery(self, make_round, admin, lead, unchanged):
        round = make_round(Phase.ADOPTION)
        priority = services.priority_adopt(
            round=round,
            candidate=Candidate.objects.filter(round=round).first(),
            lead=lead,
            review_date=timezone.localdate() + SOON,
            actor=admin,
        )
        with unchanged(), pytest.raises(PriorityError, match="once the round has moved to delivery"):
            services.delivery_update_post(priority=priority, status="on_track", text="Early", actor=admin)
