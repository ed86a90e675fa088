"""Session pages: booking from the page, the officers' pages, the CSV, the signed links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from gpvoice.core.models import Role
from gpvoice.events import services, tokens
from gpvoice.events.forms import SessionForm
from gpvoice.events.models import Booking, WaitMode


def _detail(session) -> str:
    return reverse("events:detail", args=[session.group.slug, session.pk])


@pytest.mark.django_db
def test_booking_from_the_page_redirects_and_shows_the_place(client, make_session, staff):
    session = make_session(capacity=1)
    a, b = staff(2)
    client.force_login(a)
    response = client.post(_detail(session), {"do": "book"})
    assert response.status_code == 302
    page = client.get(_detail(session)).content.decode()
    assert "You have a place on this session." in page and "Give up my place" in page
    client.force_login(b)
    client.post(_detail(session), {"do": "book"})
    assert "You are on the waiting list: 0 ahead of you." in client.get(_detail(session)).content.decode()


@pytest.mark.django_db
def test_a_refused_booking_says_why_and_changes_nothing(client, make_session, personas, unchanged):
    session = make_session()
    client.force_login(personas[Role.OBSERVER])
    with unchanged():
        response = client.post(_detail(session), {"do": "book"})
    assert response.status_code == 200
    assert "people working at the practices" in response.content.decode()


@pytest.mark.django_db
def test_officers_see_bookings_remove_and_record_attendance(client, make_session, staff, admin, strong_login):
    session = make_session(capacity=1)
    a, b = staff(2)
    first = services.booking_make(session=session, actor=a)
    services.booking_make(session=session, actor=b)
    strong_login(client, admin)
    url = reverse("events:bookings", args=[session.group.slug, session.pk])
    assert "staff0@practice.test" in client.get(url).content.decode()
    assert client.post(url, {"do": "remove_booking", "booking": first.pk}).status_code == 302
    assert Booking.objects.get(session=session, user=b).status == "booked"


@pytest.mark.django_db
def test_the_csv_neutralises_formulas(client, make_session, group, area, admin, strong_login):
    from conftest import make_signatory

    session = make_session()
    user = make_signatory(group, area["practices"][0], "formula@practice.test")
    user.person.full_name = "=HYPERLINK(1)"
    user.person.save()
    services.booking_make(session=session, actor=user)
    strong_login(client, admin)
    response = client.get(reverse("events:csv", args=[group.slug, session.pk]))
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body and "Position,Name,Email" in body


@pytest.mark.django_db
def test_an_offer_link_accepts_once_and_forged_links_are_gone(client, make_session, staff, unchanged):
    session = make_session(capacity=1, wait_mode=WaitMode.OFFER)
    a, b = staff(2)
    services.booking_make(session=session, actor=a)
    services.booking_make(session=session, actor=b)
    services.booking_cancel(session=session, actor=a)
    offer = Booking.objects.get(session=session, user=b)
    good = reverse("events:offer", args=[tokens.offer_token(offer)])
    forged = reverse("events:offer", args=[tokens.offer_token(offer)[:-3] + "abc"])
    other_kind = reverse("events:offer", args=[tokens.session_token(session)])
    for url in (forged, other_kind):
        with unchanged():
            response = client.post(url, {"do": "accept"})
        assert response.status_code == 410 and "not valid" in response.content.decode()
    assert "Accept the place" in client.get(good).content.decode()
    assert client.post(good, {"do": "accept"}).status_code == 302
    assert Booking.objects.get(pk=offer.pk).status == "booked"
    with unchanged():
        again = client.post(good, {"do": "decline"})
    assert again.status_code == 200 and "no longer open" in again.content.decode()


@pytest.mark.django_db
def test_the_link_page_lets_anyone_signed_in_book(client, make_session, outsider, unchanged):
    session = make_session(audience="link")
    url = reverse("events:link", args=[tokens.session_token(session)])
    with unchanged():
        assert client.post(url, {"do": "book"}).status_code == 302  # to sign in
    client.force_login(outsider)
    assert client.post(url, {"do": "book"}).status_code == 302
    assert Booking.objects.get(session=session, user=outsider).status == "booked"
    footprint_only = make_session(title="Footprint only")
    with unchanged():
        response = client.get(reverse("events:link", args=[tokens.session_token(footprint_only)]))
    assert response.status_code == 410


@pytest.mark.django_db
def test_officers_set_up_a_session_from_the_form(client, group, admin, strong_login):
    strong_login(client, admin)
    url = reverse("events:new", args=[group.slug])
    assert client.get(url).status_code == 200
    data = SessionForm.initial_values()
    data.update({"title": "Retirement planning", "kind": "retirement"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    session = group.sessions.get()
    assert session.title == "Retirement planning" and session.capacity == 20
    assert session.closes_at == session.starts_at - timedelta(days=1)
