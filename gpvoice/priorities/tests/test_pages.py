from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gpvoice.core.models import OFFICER_ROLES, Role
from gpvoice.directory.tests.factories import OrganisationFactory, PersonFactory
from gpvoice.priorities import services
from gpvoice.priorities.models import AdoptedPriority, Candidate, DeliveryUpdate, Nomination, Phase

from .conftest import close_scoring, make_practices, make_signatory

pytestmark = pytest.mark.django_db

MEGABYTE = "x" * 1_048_576
HOSTILE = '<script>alert("x")</script>'


def _url(group, round=None, tail: str = "") -> str:
    return f"/g/{group.slug}/priorities/" + (f"{round.pk}/" if round else "") + tail


@pytest.fixture
def sign_in(client, strong_login):
    def sign_in(user, role: Role | None = None) -> None:
        client.logout()
        if role in OFFICER_ROLES:
            strong_login(client, user)
        else:
            client.force_login(user)

    return sign_in


def _errors(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in html, html[:500]
    return html


def assert_every_field_is_labelled(html: str) -> None:
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    for control in controls:
        if 'type="hidden"' in control:
            continue
        found = re.search(r'\bid="([^"]+)"', control)
        assert found, f"a form control without an id: {control}"
        assert f'for="{found.group(1)}"' in html, f"no label for {control}"


class TestEveryRole:
    def test_members_see_the_round_and_only_officers_manage_it(
        self, client, group, personas, make_round, sign_in
    ):
        round = make_round(Phase.DELIVERY)
        priority = AdoptedPriority.objects.get(round=round)
        officer_pages = [_url(group, tail="new/")] + [
            _url(group, round, tail) for tail in ("consolidate/", "next-phase/", "adopt/")
        ]
        member_pages = [_url(group), _url(group, round), _url(group, round, f"adopted/{priority.pk}/")]
        for role, user in personas.items():
            sign_in(user, role)
            for page in member_pages:
                response = client.get(page)
                assert response.status_code == 200, (role, page)
                assert ("For officers" in response.content.decode()) == (
                    role in OFFICER_ROLES and page == member_pages[1]
                )
            for page in officer_pages:
                assert client.get(page).status_code == (200 if role in OFFICER_ROLES else 404), (role, page)

    def test_another_groups_admin_gets_404_everywhere(self, client, group, make_round, outsider, sign_in):
        round = make_round(Phase.DELIVERY)
        priority = AdoptedPriority.objects.get(round=round)
        sign_in(outsider, Role.ADMIN)
        for tail in ("", "consolidate/", "next-phase/", "adopt/", f"adopted/{priority.pk}/"):
            assert client.get(_url(group, round, tail)).status_code == 404
        assert client.post(_url(group, round), {"title": "T", "rationale": "r"}).status_code == 404

    def test_a_round_of_another_group_is_404_through_this_group(
        self, client, group, other_group, personas, outsider, sign_in
    ):
        theirs = services.round_create(group=other_group, title="Theirs", actor=outsider)
        sign_in(personas[Role.ADMIN], Role.ADMIN)
        for tail in ("", "consolidate/", "next-phase/", "adopt/"):
            assert client.get(_url(group, theirs, tail)).status_code == 404

    def test_the_home_page_shows_the_latest_round(self, client, group, personas, make_round, sign_in):
        round = make_round(Phase.DELIVERY)
        sign_in(personas[Role.PRACTICE_STAFF])
        html = client.get(f"/g/{group.slug}/").content.decode()
        assert f"{round.title}: The adopted priorities are being delivered." in html
        assert "Workforce: on track." in html


class TestNominating:
    def test_an_officer_starts_a_round(self, client, group, personas, sign_in):
        sign_in(personas[Role.EXECUTIVE], Role.EXECUTIVE)
        page = client.get(_url(group, tail="new/")).content.decode()
        assert_every_field_is_labelled(page)
        data = {"title": "Priorities 2027", "method": "schulze", "points_allowance": "", "adopt_up_to": "4"}
        response = client.post(_url(group, tail="new/"), data)
        assert response.status_code == 302
        round = group.priority_rounds.get()
        assert (round.method, round.adopt_up_to, round.phase) == ("schulze", 4, "nominations")

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({}, "Enter a title for the round"),
            (
                {"title": "x" * 151, "method": "points", "points_allowance": "100", "adopt_up_to": "3"},
                "150 characters",
            ),
            (
                {"title": "T", "method": "plurality", "points_allowance": "100", "adopt_up_to": "3"},
                "Select a valid choice",
            ),
            (
                {"title": "T", "method": "points", "points_allowance": "", "adopt_up_to": "3"},
                "how many points",
            ),
            (
                {"title": "T", "method": "points", "points_allowance": "100", "adopt_up_to": "99"},
                "from 1 to 20",
            ),
            (
                {"title": "T", "method": "points", "points_allowance": "1e9", "adopt_up_to": "3"},
                "whole number",
            ),
        ],
    )
    def test_bad_round_input_gets_an_error_summary(
        self, client, group, personas, sign_in, unchanged, data, message
    ):
        sign_in(personas[Role.ADMIN], Role.ADMIN)
        with unchanged():
            assert message in _errors(client.post(_url(group, tail="new/"), data))

    def test_a_signatory_nominates_for_their_practice(self, client, group, practices, make_round, sign_in):
        round = make_round()
        user = make_signatory(group, practices[0], "pm@nhs.test")
        sign_in(user)
        page = client.get(_url(group, round)).content.decode()
        assert_every_field_is_labelled(page)
        assert f"{practices[0].name} (GP practice)" in page and "Myself, as a member of the group" in page
        data = {
            "title": "Estates",
            "rationale": "Our building\n\nis too small",
            "on_behalf_of": str(practices[0].pk),
        }
        assert client.post(_url(group, round), data).status_code == 302
        nomination = Nomination.objects.get()
        assert nomination.on_behalf_of == practices[0] and nomination.proposed_by == user
        html = client.get(_url(group, round)).content.decode()
        assert (
            f"for {practices[0].name}" in html
            and "<p>Our building</p>" in html
            and "<p>is too small</p>" in html
        )

    def test_a_member_without_an_appointment_nominates_as_a_member(
        self, client, group, personas, make_round, sign_in
    ):
        round = make_round()
        sign_in(personas[Role.OBSERVER])
        assert 'name="on_behalf_of"' not in client.get(_url(group, round)).content.decode()
        assert client.post(_url(group, round), {"title": "Digital", "rationale": "r"}).status_code == 302
        assert Nomination.objects.get().on_behalf_of is None

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({}, "Enter the priority you propose"),
            ({"title": "   ", "rationale": "r"}, "Enter the priority you propose"),
            ({"title": "x" * 151, "rationale": "r"}, "150 characters or fewer; it has 151"),
            ({"title": "T", "rationale": MEGABYTE}, "5,000 characters or fewer; it has 1048576"),
            ({"title": "T", "rationale": "r", "on_behalf_of": "{elsewhere}"}, "Choose from the list"),
            ({"title": "T", "rationale": "r", "on_behalf_of": "1; DROP TABLE"}, "Choose from the list"),
            ({"title": "T\x00", "rationale": "r"}, "Null characters are not allowed"),
        ],
    )
    def test_bad_nominations_get_an_error_summary_and_change_nothing(
        self, client, group, practices, make_round, sign_in, unchanged, data, message
    ):
        round = make_round()
        sign_in(make_signatory(group, practices[0], "pm@nhs.test"))
        if "on_behalf_of" in data:
            data = {**data, "on_behalf_of": data["on_behalf_of"].format(elsewhere=practices[1].pk)}
        with unchanged():
            assert message in _errors(client.post(_url(group, round), data))

    def test_nominating_after_nominations_close_says_why(
        self, client, group, personas, make_round, sign_in, unchanged
    ):
        round = make_round(Phase.CONSOLIDATION)
        sign_in(personas[Role.CORE])
        for data in ({"title": "Late", "rationale": "r"}, {}):
            with unchanged():
                html = _errors(client.post(_url(group, round), data))
            assert "Nominations for this round have closed: it is in consolidation" in html
            assert "Enter the priority" not in html

    def test_hostile_text_is_escaped_on_every_page(
        self, client, group, admin, personas, practices, signatories, sign_in
    ):
        round = services.round_create(group=group, title=f"Round {HOSTILE}", description=HOSTILE, actor=admin)
        for title in (HOSTILE, "Plain"):
            services.nomination_make(
                round=round, title=title, rationale=f"{HOSTILE} <b>", actor=personas[Role.CORE]
            )
        pages = [_url(group), _url(group, round)]
        round = services.round_advance(round=round, to_phase=Phase.CONSOLIDATION, actor=admin)
        services.nominations_each_own(round=round, actor=admin)
        pages.append(_url(group, round, "consolidate/"))
        now = timezone.now()
        window = {"opens_at": now - timedelta(minutes=1), "closes_at": now + timedelta(hours=1)}
        round = services.round_advance(round=round, to_phase=Phase.SCORING, actor=admin, **window)
        close_scoring(round)
        round = services.round_advance(round=round, to_phase=Phase.ADOPTION, actor=admin)
        lead = PersonFactory(full_name=f"Dr {HOSTILE}", user=personas[Role.EXECUTIVE])
        priority = services.priority_adopt(
            round=round,
            candidate=Candidate.objects.get(title=HOSTILE),
            lead=lead,
            review_date=timezone.localdate() + timedelta(days=30),
            actor=admin,
        )
        pages.append(_url(group, round, "adopt/"))
        services.round_advance(round=round, to_phase=Phase.DELIVERY, actor=admin)
        services.delivery_update_post(priority=priority, status="on_track", text=HOSTILE, actor=admin)
        pages += [_url(group, round, f"adopted/{priority.pk}/"), f"/g/{group.slug}/"]
        sign_in(admin, Role.ADMIN)
        for page in pages:
            html = client.get(page).content.decode()
            assert "<script>alert" not in html and "<b>" not in html, page
            assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html, page


class TestConsolidating:
    @pytest.fixture
    def round(self, make_round):
        return make_round(Phase.CONSOLIDATION)

    def test_an_officer_merges_lists_and_renames_options(self, client, group, round, personas, sign_in):
        sign_in(personas[Role.EXECUTIVE], Role.EXECUTIVE)
        page = client.get(_url(group, round, "consolidate/")).content.decode()
        assert_every_field_is_labelled(page)
        assert "Workforce: core@northvale.test, as a member of the group" in page
        two = list(round.nominations.filter(title__in=["Workforce", "Estates"]).values_list("pk", flat=True))
        merged = client.post(
            _url(group, round, "consolidate/"),
            {"merge": "1", "nominations": two, "into": "new", "title": "Workforce and estates"},
        )
        assert merged.status_code == 302
        assert client.post(_url(group, round, "consolidate/"), {"each": "1"}).status_code == 302
        candidate = Candidate.objects.get(title="Workforce and estates")
        renamed = client.post(
            _url(group, round, "consolidate/"),
            {
                "change": "1",
                "candidate": str(candidate.pk),
                "title": "People and premises",
                "description": "Both",
            },
        )
        assert renamed.status_code == 302
        html = client.get(_url(group, round)).content.decode()
        assert "People and premises" in html and "Proposed 2 times" in html and "Same-day access" in html

    def test_bad_merges_get_an_error_summary_and_change_nothing(
        self, client, group, round, personas, make_round, sign_in, unchanged, admin
    ):
        other = make_round(Phase.CONSOLIDATION, title="Another round")
        services.nominations_each_own(round=other, actor=admin)
        theirs = other.nominations.first()
        their_option = Candidate.objects.filter(round=other).first()
        mine = str(round.nominations.first().pk)
        cases = [
            ({"merge": "1", "into": "new", "title": "X"}, "Choose at least one nomination"),
            ({"merge": "1", "nominations": [mine], "into": "new"}, "Enter a title for the new option"),
            ({"merge": "1", "nominations": [str(theirs.pk)], "into": "new", "title": "X"}, "from this round"),
            ({"merge": "1", "nominations": ["abc"], "into": "new", "title": "X"}, "from this round"),
            (
                {"merge": "1", "nominations": [mine], "into": str(their_option.pk)},
                "Choose an option from the list",
            ),
            ({"merge": "1", "nominations": [mine], "into": "new", "title": MEGABYTE}, "150 characters"),
            (
                {"change": "1", "candidate": str(their_option.pk), "title": "Y"},
                "Choose an option from the list",
            ),
            ({"nothing": "1"}, "Choose what to do"),
        ]
        sign_in(personas[Role.ADMIN], Role.ADMIN)
        for data, message in cases:
            with unchanged():
                assert message in _errors(client.post(_url(group, round, "consolidate/"), data)), data

    def test_merging_outside_consolidation_says_why(
        self, client, group, make_round, personas, sign_in, unchanged
    ):
        round = make_round(Phase.NOMINATIONS)
        services.nomination_make(round=round, title="A", rationale="r", actor=personas[Role.CORE])
        sign_in(personas[Role.ADMIN], Role.ADMIN)
        assert (
            "Options are formed during consolidation"
            in client.get(_url(group, round, "consolidate/")).content.decode()
        )
        with unchanged():
            assert "during consolidation" in _errors(
                client.post(_url(group, round, "consolidate/"), {"each": "1"})
            )

    def test_non_officers_cannot_post_to_it(self, client, group, round, personas, sign_in, unchanged):
        sign_in(personas[Role.CORE])
        with unchanged():
            assert client.post(_url(group, round, "consolidate/"), {"each": "1"}).status_code == 404


class TestMovingOn:
    def test_an_officer_schedules_scoring(self, client, group, make_round, personas, sign_in, admin):
        round = make_round(Phase.CONSOLIDATION)
        services.nominations_each_own(round=round, actor=admin)
        sign_in(personas[Role.EXECUTIVE], Role.EXECUTIVE)
        page = client.get(_url(group, round, "next-phase/")).content.decode()
        assert "Move the round on to scoring" in page and "Scoring opens on" in page
        assert_every_field_is_labelled(page)
        day = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")
        later = (timezone.localdate() + timedelta(days=16)).strftime("%d/%m/%Y")
        data = {
            "to_phase": "scoring",
            "opens_on": day,
            "opens_time": "09:00",
            "closes_on": later,
            "closes_time": "17:00",
        }
        assert client.post(_url(group, round, "next-phase/"), data).status_code == 302
        round.refresh_from_db()
        assert round.phase == Phase.SCORING and round.scoring_ballot.status == "scheduled"
        assert "Scoring opens" in client.get(_url(group, round)).content.decode()

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"closes_on": "01/01/2020"}, "must close after it opens"),
            ({"opens_on": "31/02/2027"}, "Enter a real date"),
            ({"opens_time": "25:00"}, "24-hour clock"),
            ({"closes_on": ""}, "Enter the day scoring closes"),
            ({"to_phase": "delivery"}, "the only move is on to scoring"),
            ({"to_phase": ""}, "the only move is on to scoring"),
        ],
    )
    def test_bad_moves_get_an_error_summary_and_change_nothing(
        self, client, group, make_round, personas, sign_in, unchanged, admin, change, message
    ):
        round = make_round(Phase.CONSOLIDATION)
        services.nominations_each_own(round=round, actor=admin)
        sign_in(admin, Role.ADMIN)
        day = (timezone.localdate() + timedelta(days=2)).strftime("%d/%m/%Y")
        later = (timezone.localdate() + timedelta(days=16)).strftime("%d/%m/%Y")
        data = {
            "to_phase": "scoring",
            "opens_on": day,
            "opens_time": "09:00",
            "closes_on": later,
            "closes_time": "17:00",
        }
        with unchanged():
            assert message in _errors(client.post(_url(group, round, "next-phase/"), {**data, **change}))

    def test_a_refused_move_says_why(self, client, group, make_round, admin, sign_in, unchanged):
        round = make_round(Phase.SCORING)
        sign_in(admin, Role.ADMIN)
        with unchanged():
            html = _errors(client.post(_url(group, round, "next-phase/"), {"to_phase": "adoption"}))
        assert "once the scoring ballot has closed" in html


class TestResultsAndAdoption:
    @pytest.fixture
    def round(self, make_round, practices, signatories):
        votes = [
            (signatories[0], practices[0], {"Workforce": 60, "Estates": 40}),
            (signatories[1], practices[1], {"Workforce": 100, "Estates": 0}),
            (signatories[2], practices[2], {"Workforce": 10, "Same-day access": 90}),
        ]
        return make_round(Phase.ADOPTION, votes=votes)

    def test_the_result_shows_breadth_beside_the_score(self, client, group, round, personas, sign_in):
        sign_in(personas[Role.PRACTICE_STAFF])
        html = re.sub(r"\s+", " ", client.get(_url(group, round)).content.decode())
        assert "3 of 4 practices scored the options" in html
        rows = re.findall(r"<tr class=\"nhsuk-table__row\">(.*?)</tr>", html)
        cells = [re.findall(r"<td[^>]*>(.*?)</td>", row)[1:4] for row in rows if "<td" in row]
        assert cells[:3] == [
            ["Workforce", "170 points", "3 practices, 2 PCNs"],
            ["Same-day access", "90 points", "1 practice, 1 PCN"],
            ["Estates", "40 points", "1 practice, 1 PCN"],
        ]

    def test_an_officer_adopts_with_a_lead_and_review_date(
        self, client, group, round, personas, lead, sign_in
    ):
        sign_in(personas[Role.ADMIN], Role.ADMIN)
        page = client.get(_url(group, round, "adopt/")).content.decode()
        assert_every_field_is_labelled(page)
        assert "1. Workforce" in page and "3. Estates" in page and "Lead&#39;s email address" in page
        workforce = Candidate.objects.get(round=round, title="Workforce")
        review = (timezone.localdate() + timedelta(days=120)).strftime("%d/%m/%Y")
        data = {"candidate": str(workforce.pk), "lead": "LEAD@nhs.test", "review_date": review}
        assert client.post(_url(group, round, "adopt/"), data).status_code == 302
        priority = AdoptedPriority.objects.get()
        assert (priority.title, priority.rank, priority.lead) == ("Workforce", 1, lead)
        assert "Dr Lead Person" in client.get(_url(group, round)).content.decode()

    def test_bad_adoptions_get_an_error_summary_and_change_nothing(
        self, client, group, round, personas, lead, make_round, admin, sign_in, unchanged
    ):
        other = make_round(Phase.CONSOLIDATION, title="Another round")
        services.nominations_each_own(round=other, actor=admin)
        theirs = Candidate.objects.filter(round=other).first()
        stranger = PersonFactory(full_name="Not in the group")
        workforce = Candidate.objects.get(round=round, title="Workforce")
        review = (timezone.localdate() + timedelta(days=120)).strftime("%d/%m/%Y")
        good = {"candidate": str(workforce.pk), "lead": lead.email, "review_date": review}
        cases = [
            ({"candidate": str(theirs.pk)}, "Choose an option from the list"),
            ({"candidate": ""}, "Choose the priority to adopt"),
            ({"lead": stranger.email}, "Nobody in the group or on its roll has that email address"),
            ({"lead": "abc"}, "Enter the lead&#39;s email address"),
            ({"lead": ""}, "Enter the lead&#39;s email address"),
            ({"review_date": timezone.localdate().strftime("%d/%m/%Y")}, "must be in the future"),
            ({"review_date": "next year"}, "Enter a real date"),
            ({"review_date": MEGABYTE}, "Enter a real date"),
        ]
        sign_in(personas[Role.ADMIN], Role.ADMIN)
        for change, message in cases:
            with unchanged():
                assert message in _errors(client.post(_url(group, round, "adopt/"), {**good, **change})), (
                    change
                )


class TestDelivery:
    @pytest.fixture
    def priority(self, make_round, admin, lead):
        round = make_round(Phase.ADOPTION)
        priority = services.priority_adopt(
            round=round,
            candidate=Candidate.objects.get(round=round, title="Estates"),
            lead=lead,
            review_date=timezone.localdate() + timedelta(days=60),
            actor=admin,
        )
        services.round_advance(round=round, to_phase=Phase.DELIVERY, actor=admin)
        return priority

    def test_the_lead_posts_updates_that_practices_see(self, client, group, priority, personas, sign_in):
        page = _url(group, priority.round, f"adopted/{priority.pk}/")
        sign_in(personas[Role.CORE])  # the lead
        form = client.get(page).content.decode()
        assert "Post an update" in form
        assert_every_field_is_labelled(form)
        assert (
            client.post(page, {"status": "at_risk", "text": "The landlord has not replied."}).status_code
            == 302
        )
        sign_in(personas[Role.PRACTICE_STAFF])
        html = client.get(page).content.decode()
        assert "The landlord has not replied." in html and "At risk" in html and "Post an update" not in html
        assert "<strong>Estates</strong>, proposed by attendee@northvale.test as a member" in html

    @pytest.mark.parametrize("role", [Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF])
    def test_other_members_cannot_post(self, client, group, priority, personas, sign_in, unchanged, role):
        sign_in(personas[role])
        with unchanged():
            page = _url(group, priority.round, f"adopted/{priority.pk}/")
            assert client.post(page, {"status": "delivered", "text": "Done"}).status_code == 404

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({}, "Choose a status"),
            ({"status": "finished", "text": "t"}, "Choose a status from the list"),
            ({"status": "on_track"}, "Enter the update"),
            ({"status": "on_track", "text": MEGABYTE}, "5,000 characters"),
        ],
    )
    def test_bad_updates_get_an_error_summary(
        self, client, group, priority, personas, sign_in, unchanged, data, message
    ):
        sign_in(personas[Role.CORE])
        with unchanged():
            assert message in _errors(
                client.post(_url(group, priority.round, f"adopted/{priority.pk}/"), data)
            )
        assert not DeliveryUpdate.objects.exists()

    def test_a_priority_of_another_round_is_404(self, client, group, priority, make_round, personas, sign_in):
        other = make_round(Phase.NOMINATIONS, title="Another round")
        sign_in(personas[Role.CORE])
        assert client.get(_url(group, other, f"adopted/{priority.pk}/")).status_code == 404


def _voted_round(group, admin, make_round, voters: int):
    practices = make_practices(group, pcns=4, per_pcn=10)[:voters]
    users = [make_signatory(group, p, f"n{voters}-{i}@nhs.test") for i, p in enumerate(practices)]
    votes = [
        (u, p, {"Workforce": 50, "Estates": 30, "Same-day access": 20})
        for u, p in zip(users, practices, strict=True)
    ]
    round = make_round(Phase.ADOPTION, votes=votes, title=f"Round with {voters} voting")
    lead = users[0].person  # the first signatory leads
    for title in ("Workforce", "Estates"):
        services.priority_adopt(
            round=round,
            candidate=Candidate.objects.get(round=round, title=title),
            lead=lead,
            review_date=timezone.localdate() + timedelta(days=90),
            actor=admin,
        )
    return round, users[0]


def test_round_page_queries_stay_constant_as_the_electorate_grows(
    client, group, admin, make_round, sign_in, django_assert_max_num_queries
):
    counts = []
    for voters in (5, 40):
        round, signatory = _voted_round(group, admin, make_round, voters)
        for user, role in ((admin, Role.ADMIN), (signatory, None)):
            sign_in(user, role)
            with django_assert_max_num_queries(11), CaptureQueriesContext(connection) as queries:
                html = client.get(_url(group, round)).content.decode()
            assert (
                f"{voters} practices, 4 PCNs" in html
                if voters == 40
                else f"{voters} practices, 1 PCN" in html
            )
            counts.append(len(queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


def test_unknown_organisation_ids_never_reach_the_service(
    client, group, practices, make_round, sign_in, unchanged
):
    round = make_round()
    closed = OrganisationFactory(ods_code="Z55555", name="Somewhere else")
    sign_in(make_signatory(group, practices[0], "pm@nhs.test"))
    with unchanged():
        _errors(
            client.post(_url(group, round), {"title": "T", "rationale": "r", "on_behalf_of": str(closed.pk)})
        )


def test_the_demo_has_a_finished_round_and_one_open_for_nominations(client):
    from django.core.management import call_command

    from gpvoice.accounts.models import User
    from gpvoice.core.models import LeadershipGroup

    call_command("load-demo")
    for group in LeadershipGroup.objects.all():
        finished, current = group.priority_rounds.order_by("created_at")
        assert (finished.phase, current.phase) == (Phase.DELIVERY, Phase.NOMINATIONS)
        assert finished.scoring_ballot.status == "published" and finished.scoring_ballot.method == "points"
        assert Candidate.objects.filter(round=finished).count() < finished.nominations.count()  # merged
        assert not finished.nominations.filter(candidate__isnull=True).exists()
        assert {n.on_behalf_of.org_type for n in finished.nominations.exclude(on_behalf_of=None)} == {
            "practice",
            "pcn",
        }
        assert finished.nominations.filter(on_behalf_of=None).exists()  # members too
        adopted = list(finished.adopted.all())
        assert len(adopted) == 3 and all(p.updates.count() >= 2 for p in adopted)
        assert all(p.review_date > timezone.localdate() for p in adopted)
        client.force_login(User.objects.get(email=f"practice.staff@{group.slug}.example.nhs.uk"))
        html = client.get(_url(group, finished)).content.decode()
        assert "400 points" in html and "5 practices, 3 PCNs" in html and "11 practices, 4 PCNs" in html
        assert "Propose a priority" in client.get(_url(group, current)).content.decode()
