from datetime import date

import pytest
from django.core import mail

from conftest import make_member
from gpvoice.core.models import AuditEntry, Role
from gpvoice.intake import services
from gpvoice.intake.models import Priority, Status

from .conftest import at, category, receive


@pytest.fixture
def core(group):
    return make_member(group, Role.CORE, "core@northvale.test")


def test_triage_sets_the_due_date_in_working_days_and_tells_the_lead(group, officer, core):
    with at(date(2026, 12, 22)):  # Tuesday before Christmas
        request, _ = receive(group)
        general = category(group, officer, days=3)
        mail.outbox.clear()
        request = services.request_triage(
            request=request, actor=officer, category=general, priority=Priority.HIGH, lead=core
        )
    # Wed 23, Thu 24, (Fri 25, Sat, Sun, Mon 28 closed), Tue 29
    assert request.due_on == date(2026, 12, 29)
    assert request.status == Status.TRIAGED
    assert [m.to for m in mail.outbox] == [["core@northvale.test"]]
    assert AuditEntry.objects.filter(action="intake.request.triaged").count() == 1


@pytest.mark.parametrize("role", [Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF])
def test_only_core_members_and_officers_may_lead(group, officer, unchanged, role):
    request, _ = receive(group)
    general = category(group, officer)
    someone = make_member(group, role, f"{role}@northvale.test")
    with unchanged(), pytest.raises(services.IntakeError, match="core member or an officer"):
        services.request_triage(
            request=request, actor=officer, category=general, priority=Priority.NORMAL, lead=someone
        )


@pytest.mark.parametrize("role", [Role.CORE, Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF])
def test_members_who_are_not_officers_cannot_triage(group, officer, unchanged, role):
    request, _ = receive(group)
    general = category(group, officer)
    member = make_member(group, role, f"{role}@northvale.test")
    with unchanged(), pytest.raises(services.IntakeError, match="Only the officers"):
        services.request_triage(
            request=request, actor=member, category=general, priority=Priority.NORMAL, lead=None
        )


def test_an_officer_of_another_group_changes_nothing_here(group, other_group, officer, outsider, unchanged):
    request, _ = receive(group)
    general = category(group, officer)
    theirs = category(other_group, outsider, "Theirs")
    with unchanged(), pytest.raises(services.IntakeError, match="Only the officers"):
        services.request_triage(
            request=request, actor=outsider, category=general, priority="normal", lead=None
        )
    with unchanged(), pytest.raises(services.IntakeError, match="this group's categories"):
        services.request_triage(request=request, actor=officer, category=theirs, priority="normal", lead=None)
    with unchanged(), pytest.raises(services.IntakeError):
        services.request_decline(request=request, actor=outsider, reason="No")


def test_the_clock_pauses_while_waiting_and_restarts_on_the_reply(group, officer):
    with at(date(2027, 3, 1)):  # Monday
        request, tracking = receive(group)
        services.request_triage(
            request=request,
            actor=officer,
            category=category(group, officer, days=5),
            priority="normal",
            lead=None,
        )
        request = services.request_write(request=request, actor=officer, body="Which practices?", wait=True)
    assert request.status == Status.WAITING and request.due_on == date(2027, 3, 8)
    assert request.first_response_at is not None
    with at(date(2027, 3, 4)):  # Thursday: Tue, Wed, Thu spent waiting = 3 working days
        request = services.requester_reply(token=tracking, body="All of them.")
    assert request.status == Status.IN_PROGRESS
    assert request.paused_days == 3 and request.paused_on is None
    assert request.due_on == date(2027, 3, 11)  # five working days plus three


def test_an_answer_reopens_on_a_reply_within_the_window_and_not_after(group, officer, settings, unchanged):
    settings.INTAKE_REOPEN_DAYS = 14
    with at(date(2027, 1, 4)):
        request, tracking = receive(group)
        services.request_answer(request=request, actor=officer, body="Yes, we support it.")
    with at(date(2027, 1, 17), 23):
        request = services.requester_reply(token=tracking, body="One more question.")
    assert request.status == Status.IN_PROGRESS
    with at(date(2027, 1, 18)):
        services.request_answer(request=request, actor=officer, body="Answered again.")
    with at(date(2027, 2, 1), 10), unchanged(), pytest.raises(services.IntakeError, match="closed"):
        services.requester_reply(token=tracking, body="Too late.")  # exactly fourteen days later


def test_a_closed_request_takes_no_reply_and_its_link_expires_after_the_set_time(group, officer, settings):
    settings.INTAKE_TRACKING_DAYS_AFTER_CLOSE = 30
    with at(date(2027, 1, 4)):
        request, tracking = receive(group)
        services.request_decline(request=request, actor=officer, reason="Not for general practice.")
    request.refresh_from_db()
    assert request.status == Status.CLOSED and request.decline_reason == "Not for general practice."
    with at(date(2027, 2, 3), 9):
        assert services.tracking_usable(request)
        with pytest.raises(services.IntakeError, match="closed"):
            services.requester_reply(token=tracking, body="Why?")
    with at(date(2027, 2, 3), 10):
        assert not services.tracking_usable(request)


def test_merging_closes_the_duplicate_into_an_open_request_of_the_same_group(
    group, other_group, officer, unchanged
):
    a, _ = receive(group)
    b, _ = receive(group, subject="Winter plan (again)")
    theirs, _ = receive(other_group)
    with unchanged(), pytest.raises(services.IntakeError, match="another request of this group"):
        services.request_merge(request=b, into=theirs, actor=officer)
    with unchanged(), pytest.raises(services.IntakeError, match="another request of this group"):
        services.request_merge(request=b, into=b, actor=officer)
    b = services.request_merge(request=b, into=a, actor=officer)
    assert b.status == Status.CLOSED and b.merged_into == a
    with unchanged(), pytest.raises(services.IntakeError, match="closed"):
        services.request_merge(request=a, into=b, actor=officer)


def test_a_revoked_tracking_link_stops_working(group, officer):
    request, tracking = receive(group)
    services.tracking_revoke(request=request, actor=officer)
    with pytest.raises(services.IntakeError, match="withdrawn"):
        services.requester_reply(token=tracking, body="Hello")


@pytest.mark.parametrize("body", ["", "  ", "a\x00b", "x" * 20_001, None, 5])
def test_hostile_replies_change_nothing(group, unchanged, body):
    _, tracking = receive(group)
    with unchanged(), pytest.raises(services.IntakeError):
        services.requester_reply(token=tracking, body=body)


def test_categories_are_per_group_and_unique_ignoring_case(group, officer, unchanged):
    category(group, officer, "Pathways", 10)
    with unchanged(), pytest.raises(services.IntakeError, match="already"):
        category(group, officer, "PATHWAYS", 5)
    for bad in (-1, 251, "10", 1.5, True):
        with unchanged(), pytest.raises(services.IntakeError, match="whole number"):
            services.category_create(group=group, actor=officer, name="Other", service_days=bad)


@pytest.mark.parametrize("lead", [1, "core@northvale.test", object()])
def test_a_lead_that_is_not_a_person_is_refused(group, officer, core, unchanged, lead):
    request, _ = receive(group)
    general = category(group, officer)
    with unchanged(), pytest.raises(services.IntakeError, match="core member or an officer"):
        services.request_triage(
            request=request, actor=officer, category=general, priority="normal", lead=lead
        )
