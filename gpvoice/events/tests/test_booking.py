"""Places first come, first served; the waiting list in arrival order; cut-offs; offers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gpvoice.core.models import AuditEntry
from gpvoice.events import services, tokens
from gpvoice.events.models import Booking, BookingStatus, Session, WaitMode
from gpvoice.jobs.models import OutgoingEmail


def _statuses(session: Session) -> list[tuple[str, str]]:
    return [(b.user.email, b.status) for b in Booking.objects.filter(session=session).order_by("position")]


@pytest.mark.django_db
def test_places_go_first_come_then_the_waiting_list(make_session, staff):
    session = make_session(capacity=2)
    people = staff(4)
    made = [services.booking_make(session=session, actor=u) for u in people]
    assert [b.status for b in made] == ["booked", "booked", "waiting", "waiting"]
    session.refresh_from_db()
    assert session.booked == 2 and session.queued == 4
    assert AuditEntry.objects.filter(action="events.booking.made").count() == 2
    # Each booking has an invitation attached; each waiting person is told their place in the queue.
    booked_mail = OutgoingEmail.objects.filter(key__startswith="events-booked:")
    assert booked_mail.count() == 2 and all("BEGIN:VCALENDAR" in m.calendar for m in booked_mail)
    assert "1 ahead of you" in OutgoingEmail.objects.get(key__startswith=f"events-waiting:{made[3].pk}:").body


@pytest.mark.django_db
def test_the_last_place_exactly_then_the_first_waiting(make_session, staff):
    session = make_session(capacity=1)
    first, second = staff(2)
    assert services.booking_make(session=session, actor=first).status == "booked"
    assert services.booking_make(session=session, actor=second).status == "waiting"


@pytest.mark.django_db
def test_a_cancellation_promotes_exactly_the_first_waiting_and_emails_them(make_session, staff):
    session = make_session(capacity=2)
    people = staff(5)
    for u in people:
        services.booking_make(session=session, actor=u)
    services.booking_cancel(session=session, actor=people[0])
    statuses = [s for _, s in _statuses(session)]
    assert statuses == ["cancelled", "booked", "booked", "waiting", "waiting"]
    session.refresh_from_db()
    assert session.booked == 2
    promoted = Booking.objects.get(session=session, user=people[2])
    mail = OutgoingEmail.objects.get(key__startswith=f"events-promoted:{promoted.pk}:")
    assert "it is yours" in mail.body and "METHOD:REQUEST" in mail.calendar


@pytest.mark.django_db
def test_leaving_the_waiting_list_frees_no_place_and_keeps_the_order(make_session, staff):
    session = make_session(capacity=1)
    a, b, c = staff(3)
    for u in (a, b, c):
        services.booking_make(session=session, actor=u)
    services.booking_cancel(session=session, actor=b)
    services.booking_cancel(session=session, actor=a)
    assert [s for _, s in _statuses(session)] == ["cancelled", "cancelled", "booked"]


@pytest.mark.django_db
def test_the_same_person_cannot_book_twice_or_queue_twice(make_session, staff, unchanged):
    session = make_session(capacity=1)
    a, b = staff(2)
    services.booking_make(session=session, actor=a)
    services.booking_make(session=session, actor=b)
    for who in (a, b):
        with unchanged(), pytest.raises(services.EventError, match="already on this session"):
            services.booking_make(session=session, actor=who)


@pytest.mark.django_db
def test_the_database_refuses_a_second_live_row_for_one_person(make_session, staff):
    from django.db import IntegrityError, transaction

    session = make_session(capacity=5)
    (a,) = staff(1)
    services.booking_make(session=session, actor=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(session=session, user=a, status=BookingStatus.WAITING, position=99)


@pytest.mark.django_db
def test_a_person_who_cancelled_may_book_again_at_the_back(make_session, staff):
    session = make_session(capacity=1)
    a, b = staff(2)
    services.booking_make(session=session, actor=a)
    services.booking_cancel(session=session, actor=a)
    services.booking_make(session=session, actor=b)
    again = services.booking_make(session=session, actor=a)
    assert again.status == "waiting" and again.position == 3


@pytest.mark.django_db
def test_booking_before_opening_or_at_closing_is_refused(make_session, staff, unchanged):
    session = make_session(opens_at=timezone.now() + timedelta(days=1))
    (a,) = staff(1)
    with unchanged(), pytest.raises(services.EventError, match="Booking opens on"):
        services.booking_make(session=session, actor=a)
    with unchanged(), pytest.raises(services.EventError, match="Booking closed"):
        services.booking_make(session=session, actor=a, now=session.closes_at)
    # A second before closing is still open.
    booking = services.booking_make(session=session, actor=a, now=session.closes_at - timedelta(seconds=1))
    assert booking.status == "booked"


@pytest.mark.django_db
def test_giving_up_a_place_after_the_cut_off_is_refused_but_leaving_the_queue_is_not(
    make_session, staff, unchanged
):
    session = make_session(capacity=1)
    a, b = staff(2)
    services.booking_make(session=session, actor=a)
    services.booking_make(session=session, actor=b)
    with unchanged(), pytest.raises(services.EventError, match="could be given up until"):
        services.booking_cancel(session=session, actor=a, now=session.cancel_by)
    services.booking_cancel(session=session, actor=a, now=session.cancel_by - timedelta(seconds=1))
    assert Booking.objects.get(session=session, user=b).status == "booked"


@pytest.mark.django_db
def test_an_officer_removing_a_booking_promotes_the_next(make_session, staff, admin):
    session = make_session(capacity=1)
    a, b = staff(2)
    first = services.booking_make(session=session, actor=a)
    services.booking_make(session=session, actor=b)
    services.booking_remove(session=session, booking_id=str(first.pk), actor=admin, now=session.cancel_by)
    assert [s for _, s in _statuses(session)] == ["removed", "booked"]


@pytest.mark.django_db
def test_only_officers_remove_and_only_this_sessions_bookings(make_session, staff, admin, unchanged):
    session = make_session(capacity=1)
    other = make_session(capacity=1, title="Other")
    a, b = staff(2)
    mine = services.booking_make(session=session, actor=a)
    theirs = services.booking_make(session=other, actor=b)
    with unchanged(), pytest.raises(services.EventError, match="Only the officers"):
        services.booking_remove(session=session, booking_id=mine.pk, actor=b)
    for bad in (theirs.pk, "²", "1\x00", str(2**64), "", None):
        with unchanged(), pytest.raises(services.EventError, match="Choose a booking"):
            services.booking_remove(session=session, booking_id=bad, actor=admin)


@pytest.mark.django_db
def test_outside_the_audience_is_refused_with_the_reason(make_session, personas, unchanged):
    from gpvoice.core.models import Role

    session = make_session()
    with unchanged(), pytest.raises(services.EventError, match="people working at the practices"):
        services.booking_make(session=session, actor=personas[Role.OBSERVER])


@pytest.mark.django_db
def test_pcn_leaders_sessions_take_the_clinical_director(make_session, area, group, staff, unchanged):
    from conftest import make_member
    from gpvoice.core.models import Role

    session = make_session(audience="pcn_leaders")
    director = area["director"].person
    director.user = make_member(group, Role.CORE, "cd@pcn.test")
    director.save()
    assert services.booking_make(session=session, actor=director.user).status == "booked"
    (practice_manager,) = staff(1)
    with unchanged(), pytest.raises(services.EventError, match="clinical directors"):
        services.booking_make(session=session, actor=practice_manager)


@pytest.mark.django_db
def test_anyone_with_the_link_books_only_through_it(make_session, outsider, unchanged):
    session = make_session(audience="link")
    with unchanged(), pytest.raises(services.EventError, match="from the link"):
        services.booking_make(session=session, actor=outsider)
    assert services.booking_make(session=session, actor=outsider, via_link=True).status == "booked"


# Offers -------------------------------------------------------------------------------------


def _offered(make_session, staff):
    session = make_session(capacity=1, wait_mode=WaitMode.OFFER, offer_hours=6)
    a, b, c = staff(3)
    for u in (a, b, c):
        services.booking_make(session=session, actor=u)
    services.booking_cancel(session=session, actor=a)
    return session, Booking.objects.get(session=session, user=b), c


@pytest.mark.django_db
def test_a_freed_place_is_offered_for_the_set_time(make_session, staff):
    session, offer, _ = _offered(make_session, staff)
    assert offer.status == "offered"
    assert offer.offer_expires_at == offer.offered_at + timedelta(hours=6)
    session.refresh_from_db()
    assert session.booked == 1  # the offered place is held
    mail = OutgoingEmail.objects.get(key__startswith=f"events-offered:{offer.pk}:")
    assert tokens.offer_token(offer) in mail.body


@pytest.mark.django_db
def test_accepting_an_offer_books_it(make_session, staff):
    session, offer, _ = _offered(make_session, staff)
    stamp = offer.offered_at.isoformat()
    assert services.offer_accept(booking_id=offer.pk, offered_at=stamp).status == "booked"
    assert OutgoingEmail.objects.filter(key__startswith=f"events-booked:{offer.pk}:").count() == 1


@pytest.mark.django_db
def test_an_offer_lapses_to_the_next_by_the_job(make_session, staff, unchanged):
    from gpvoice.events.jobs import run_offers

    session, offer, third = _offered(make_session, staff)
    run_offers(offer.offer_expires_at - timedelta(seconds=1))
    assert Booking.objects.get(pk=offer.pk).status == "offered"
    run_offers(offer.offer_expires_at)
    assert Booking.objects.get(pk=offer.pk).status == "lapsed"
    assert Booking.objects.get(session=session, user=third).status == "offered"
    with unchanged(), pytest.raises(services.EventError, match="no longer open"):
        services.offer_accept(booking_id=offer.pk, offered_at=offer.offered_at.isoformat())


@pytest.mark.django_db
def test_declining_passes_the_place_on(make_session, staff):
    session, offer, third = _offered(make_session, staff)
    services.offer_decline(booking_id=offer.pk, offered_at=offer.offered_at.isoformat())
    assert Booking.objects.get(session=session, user=third).status == "offered"


@pytest.mark.django_db
def test_an_offer_is_refused_after_its_time_even_before_the_job(make_session, staff, unchanged):
    _, offer, _ = _offered(make_session, staff)
    with unchanged(), pytest.raises(services.EventError, match="lapsed"):
        services.offer_accept(
            booking_id=offer.pk, offered_at=offer.offered_at.isoformat(), now=offer.offer_expires_at
        )


@pytest.mark.django_db
def test_forged_or_stale_offer_links_are_not_read(make_session, staff):
    _, offer, _ = _offered(make_session, staff)
    token = tokens.offer_token(offer)
    assert tokens.read_offer(token) == (offer.pk, offer.offered_at.isoformat())
    assert tokens.read_offer(token[:-2] + "xx") is None
    assert tokens.read_offer("no-such-token") is None
    assert tokens.read_offer(tokens.session_token(offer.session)) is None  # another kind of link
    with pytest.raises(services.EventError, match="no longer open"):
        services.offer_accept(booking_id=offer.pk, offered_at="2020-01-01T00:00:00+00:00")


# Capacity changes and cancelling --------------------------------------------------------------


@pytest.mark.django_db
def test_more_places_go_to_the_waiting_list_and_fewer_than_held_is_refused(
    make_session, staff, admin, unchanged
):
    from .conftest import details

    session = make_session(capacity=1)
    for u in staff(3):
        services.booking_make(session=session, actor=u)
    keep = {f: getattr(session, f) for f in ("starts_at", "ends_at", "opens_at", "closes_at", "cancel_by")}
    services.session_update(session=session, details=details(capacity=2, **keep), actor=admin)
    assert [s for _, s in _statuses(session)] == ["booked", "booked", "waiting"]
    with unchanged(), pytest.raises(services.EventError, match="2 places are taken"):
        services.session_update(session=session, details=details(capacity=1, **keep), actor=admin)


@pytest.mark.django_db
def test_cancelling_a_session_ends_every_booking_and_tells_them(make_session, staff, admin):
    session = make_session(capacity=1)
    for u in staff(2):
        services.booking_make(session=session, actor=u)
    services.session_cancel(session=session, actor=admin)
    assert {s for _, s in _statuses(session)} == {"cancelled"}
    assert OutgoingEmail.objects.filter(key__startswith="events-ended:").count() == 2


@pytest.mark.django_db
def test_hostile_text_is_refused_and_changes_nothing(group, admin, unchanged):
    from .conftest import details

    for bad, message in (
        ({"title": "Bad\x00title"}, "cannot be stored"),
        ({"title": "x" * 201}, "200 characters or fewer"),
        ({"link": "javascript:alert(1)"}, "https://"),
        ({"capacity": 0}, "whole number"),
        ({"closes_at": timezone.now() + timedelta(days=30)}, "close by the time"),
    ):
        with unchanged(), pytest.raises(services.EventError, match=message):
            services.session_create(group=group, details=details(**bad), actor=admin)


# Around the session ------------------------------------------------------------------------


@pytest.mark.django_db
def test_attendance_on_the_day_only_for_people_booked(make_session, staff, admin, unchanged):
    session = make_session(capacity=1)
    a, b = staff(2)
    booked = services.booking_make(session=session, actor=a)
    waiting = services.booking_make(session=session, actor=b)
    with unchanged(), pytest.raises(services.EventError, match="on the day"):
        services.attendance_record(session=session, attended=[booked.pk], actor=admin)
    on_the_day = session.starts_at
    with unchanged(), pytest.raises(services.EventError, match="people booked"):
        services.attendance_record(session=session, attended=[waiting.pk], actor=admin, now=on_the_day)
    assert (
        services.attendance_record(session=session, attended=[str(booked.pk)], actor=admin, now=on_the_day)
        == 1
    )
    assert Booking.objects.get(pk=booked.pk).attended is True


@pytest.mark.django_db
def test_reminders_go_the_day_before_once_each(make_session, staff):
    from gpvoice.events.jobs import run_reminders

    session = make_session(capacity=1)
    a, b = staff(2)
    services.booking_make(session=session, actor=a)
    services.booking_make(session=session, actor=b)  # waiting: no reminder
    two_days_before = session.starts_at - timedelta(days=2)
    assert services.reminders_send(now=two_days_before) == 0
    day_before = session.starts_at - timedelta(days=1)
    assert services.reminders_send(now=day_before) == 1
    run_reminders(day_before + timedelta(hours=1))
    assert OutgoingEmail.objects.filter(key__startswith="events-reminder:").count() == 1
