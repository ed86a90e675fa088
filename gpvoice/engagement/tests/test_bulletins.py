"""Bulletins: audiences, choices, batches that never send a copy twice, digests, unsubscribe."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core import mail

from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import RoleType
from gpvoice.directory.tests.factories import AppointmentFactory
from gpvoice.engagement import delivery, services
from gpvoice.engagement import unsubscribe as links
from gpvoice.engagement.models import (
    BulletinDelivery,
    BulletinPreference,
    BulletinStatus,
    DeliveryState,
    Digest,
    Frequency,
)
from gpvoice.engagement.reads import note_read

from .conftest import send_unchained

pytestmark = pytest.mark.django_db
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"


@pytest.fixture
def staff(practices, signatories):
    """A partner and a salaried GP besides the signatories (who are practice managers)."""
    partner = AppointmentFactory(
        organisation=practices[1], role=RoleType.PRACTICE_PARTNER, person__email="partner@p.test"
    )
    salaried = AppointmentFactory(
        organisation=practices[2], role=RoleType.SALARIED_GP, person__email="gp@p.test"
    )
    return {"partner": partner.person, "salaried": salaried.person}


@pytest.fixture
def make_bulletin(group, admin):
    def make(**fields):
        defaults = {
            "title": "Winter news",
            "body": "## Flu\nBook **now**.",
            "category": "news",
            "audience": "all_staff",
        }
        return services.bulletin_create(group=group, actor=admin, **{**defaults, **fields})

    return make


def _send(bulletin, admin):
    services.bulletin_send(bulletin=bulletin, actor=admin)
    bulletin.refresh_from_db()
    return bulletin


def test_a_bulletin_goes_once_to_everyone_at_the_footprints_practices(make_bulletin, admin, staff):
    b = _send(make_bulletin(), admin)
    assert b.status == BulletinStatus.SENT and b.recipients == 6
    to = sorted(m.to[0] for m in mail.outbox)
    assert len(to) == len(set(to)) == 6
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message.extra_headers["List-Unsubscribe"].startswith("<http")
        and "/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    )
    assert "<h2>Flu</h2>" in message.alternatives[0][0] and "Book now." in message.body


@pytest.mark.parametrize(("audience", "expected"), [("partners", 1), ("managers", 4), ("signatories", 4)])
def test_an_audience_by_role(make_bulletin, admin, staff, audience, expected):
    assert _send(make_bulletin(audience=audience), admin).recipients == expected


def test_sending_twice_is_refused(make_bulletin, admin, staff, unchanged):
    b = _send(make_bulletin(), admin)
    with unchanged(), pytest.raises(services.BulletinError, match="already"):
        services.bulletin_send(bulletin=b, actor=admin)


def test_members_cannot_write_or_send(group, personas, make_bulletin, unchanged):
    b = make_bulletin()
    with unchanged(), pytest.raises(services.BulletinError, match="officers"):
        services.bulletin_send(bulletin=b, actor=personas[Role.CORE])
    with unchanged(), pytest.raises(services.BulletinError, match="officers"):
        services.bulletin_create(
            group=group, title="x", body="y", category="news", audience="roll", actor=personas[Role.CORE]
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "a\x00"}, "NUL"),
        ({"body": "x" * 20_001}, "20,000"),
        ({"category": "spam"}, "category"),
        ({"title": "  "}, "title"),
    ],
)
def test_bad_bulletins_are_refused(make_bulletin, unchanged, fields, message):
    with unchanged(), pytest.raises(services.BulletinError, match=message):
        make_bulletin(**fields)


def test_choices_skip_or_hold_for_a_digest_and_essential_goes_to_all(make_bulletin, admin, staff):
    BulletinPreference.objects.create(person=staff["partner"], category="news", frequency=Frequency.NONE)
    BulletinPreference.objects.create(person=staff["salaried"], category="news", frequency=Frequency.DAILY)
    b = _send(make_bulletin(), admin)
    states = dict(BulletinDelivery.objects.filter(bulletin=b).values_list("person_id", "state"))
    assert (
        states[staff["partner"].pk] == DeliveryState.SKIPPED
        and states[staff["salaried"].pk] == DeliveryState.DIGEST
    )
    assert len(mail.outbox) == 4
    mail.outbox.clear()
    _send(make_bulletin(essential=True), admin)
    assert len(mail.outbox) == 6


def test_a_daily_digest_goes_once_with_the_held_bulletins(make_bulletin, admin, staff):
    BulletinPreference.objects.create(person=staff["salaried"], category="news", frequency=Frequency.DAILY)
    _send(make_bulletin(title="One"), admin)
    _send(make_bulletin(title="Two"), admin)
    mail.outbox.clear()
    now = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)
    assert delivery.send_digests(now) == 1
    assert delivery.send_digests(now) == 0
    assert len(mail.outbox) == 1 and "One" in mail.outbox[0].body and "Two" in mail.outbox[0].body
    assert Digest.objects.get().bulletins == 2


def test_weekly_digests_go_on_mondays_only():
    assert delivery.period_key("weekly", datetime(2026, 12, 7, 9, tzinfo=UTC)) == "weekly:2026-W50"
    assert delivery.period_key("weekly", datetime(2026, 12, 8, 9, tzinfo=UTC)) is None


def test_a_worker_killed_mid_send_resumes_without_sending_anyone_twice(
    make_bulletin, admin, staff, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    b = make_bulletin()
    send_unchained(b, admin, monkeypatch)  # the worker dies after preparing, before its first batch
    rows = list(BulletinDelivery.objects.filter(bulletin=b).order_by("pk"))
    # A first worker claimed two copies, attempted and sent the first, and died before recording it.
    claimed = timezone.now()
    BulletinDelivery.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(
        state=DeliveryState.SENDING, claimed_at=claimed
    )
    BulletinDelivery.objects.filter(pk=rows[0].pk).update(attempted_at=claimed)
    mail.outbox.append(delivery.message(b, rows[0]))
    delivery.send_batch.call(b.pk)  # a second worker: the four never claimed
    assert len(mail.outbox) == 5
    b.refresh_from_db()
    assert b.status == BulletinStatus.SENDING  # two copies are still some worker's
    assert delivery.resume(claimed + timedelta(minutes=4)) == 0  # too soon to call the worker dead
    assert delivery.resume(claimed + timedelta(minutes=6)) == 1
    to = [m.to[0] for m in mail.outbox]
    assert len(to) == len(set(to)) == 6  # the claimed copy never attempted went out once, at last
    states = dict(BulletinDelivery.objects.filter(bulletin=b).values_list("pk", "state"))
    assert states[rows[0].pk] == DeliveryState.UNCERTAIN and states[rows[1].pk] == DeliveryState.SENT
    b.refresh_from_db()
    assert b.status == BulletinStatus.SENT


class Killed(BaseException):
    """A worker's death: not an ``Exception``, so no handler in the sender catches it."""


class Mailer:
    """A mail connection that counts copies per address and can die at its n-th send, after the
    server accepted the copy (``sent=True``) or before (``sent=False``)."""

    def __init__(self, die_at: int | None = None, *, sent: bool = True, hook=None) -> None:
        self.die_at, self.sent, self.hook, self.n = die_at, sent, hook, 0
        self.copies: dict[str, int] = {}

    def __call__(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send_messages(self, messages) -> int:
        self.n += 1
        if self.hook:
            hook, self.hook = self.hook, None
            hook()
        for m in messages:
            if self.n == self.die_at and not self.sent:
                raise Killed
            self.copies[m.to[0]] = self.copies.get(m.to[0], 0) + 1
            if self.n == self.die_at:
                raise Killed
        return len(messages)


@pytest.mark.parametrize("sent", [True, False])
def test_a_worker_killed_mid_batch_leaves_one_uncertain_copy_and_the_clock_sends_the_rest(
    make_bulletin, admin, staff, monkeypatch, sent
):
    from datetime import timedelta

    from django.utils import timezone

    b = make_bulletin()
    send_unchained(b, admin, monkeypatch)
    mailer = Mailer(die_at=3, sent=sent)
    monkeypatch.setattr(delivery, "get_connection", mailer)
    with pytest.raises(Killed):
        delivery.send_batch.call(b.pk)  # one batch claims all six, sends two, dies on the third
    states = list(BulletinDelivery.objects.filter(bulletin=b).order_by("pk").values_list("state", flat=True))
    assert states == ["sent", "sent", "sending", "sending", "sending", "sending"]
    delivery.resume(timezone.now() + timedelta(minutes=6))
    uncertain = BulletinDelivery.objects.get(bulletin=b, state=DeliveryState.UNCERTAIN)
    assert BulletinDelivery.objects.filter(bulletin=b, state=DeliveryState.SENT).count() == 5
    assert mailer.copies.get(uncertain.address, 0) == int(sent)  # never sent again
    assert sorted(mailer.copies.values()) == [1] * (5 + int(sent))
    b.refresh_from_db()
    assert b.status == BulletinStatus.SENT


def test_a_slow_worker_the_clock_gave_up_on_sends_nothing_it_lost(make_bulletin, admin, staff, monkeypatch):
    """The clock runs mid-batch while the worker is alive, only slow: it requeues the rows not yet
    attempted (another chain sends them) and the slow worker skips them; its copy in flight, marked
    uncertain meanwhile, is recorded sent when the server accepts it."""
    from datetime import timedelta

    from django.utils import timezone

    b = make_bulletin()
    send_unchained(b, admin, monkeypatch)
    mailer = Mailer(hook=lambda: delivery.resume(timezone.now() + timedelta(minutes=6)))
    monkeypatch.setattr(delivery, "get_connection", mailer)
    delivery.send_batch.call(b.pk)
    assert sorted(mailer.copies.values()) == [1] * 6
    assert set(BulletinDelivery.objects.filter(bulletin=b).values_list("state", flat=True)) == {"sent"}
    b.refresh_from_db()
    assert b.status == BulletinStatus.SENT


def test_officers_see_how_many_copies_are_uncertain(client, group, make_bulletin, admin, staff, strong_login):
    b = _send(make_bulletin(), admin)
    BulletinDelivery.objects.filter(pk=BulletinDelivery.objects.filter(bulletin=b).first().pk).update(
        state=DeliveryState.UNCERTAIN
    )
    strong_login(client, admin)
    page = client.get(f"/g/{group.slug}/bulletins/{b.pk}/edit/").content.decode()
    assert "1 copy may or may not have arrived" in page and "not sent again" in page


def test_hostile_markdown_is_inert_in_the_email_and_the_archive(
    client, group, make_bulletin, admin, staff, signatories
):
    b = _send(make_bulletin(body=HOSTILE, title="Hi\r\nBcc: x@evil.test"), admin)
    html = mail.outbox[0].alternatives[0][0]
    for text in (html,):  # the plain part is text/plain: shown as written, never as HTML
        assert "<script>" not in text and 'href="javascript' not in text and "<img" not in text
    assert "\n" not in mail.outbox[0].subject
    client.force_login(signatories[0])
    page = client.get(f"/g/{group.slug}/bulletins/{b.pk}/").content.decode()
    assert "<script>alert" not in page and 'href="javascript' not in page and "<img src=x" not in page


def test_reading_in_the_archive_is_noted_once(make_bulletin, admin, signatories):
    b = _send(make_bulletin(), admin)
    assert note_read(bulletin=b, user=signatories[0]) is True
    assert note_read(bulletin=b, user=signatories[0]) is False


def test_a_bounce_is_recorded_against_the_copy(make_bulletin, admin, staff, unchanged):
    b = _send(make_bulletin(), admin)
    services.bounce_record(bulletin=b, address="PARTNER@p.test", reason="550 no such user", actor=admin)
    assert BulletinDelivery.objects.get(bulletin=b, address="partner@p.test").state == DeliveryState.BOUNCED
    with unchanged(), pytest.raises(services.BulletinError, match="No copy"):
        services.bounce_record(bulletin=b, address="nobody@p.test", reason="", actor=admin)


# Unsubscribe ------------------------------------------------------------------------------------


def _token(message) -> str:
    return message.extra_headers["List-Unsubscribe"].rsplit("/unsubscribe/", 1)[1].rstrip("/>")


def test_one_click_unsubscribe_works_without_signing_in_and_signs_no_one_in(
    client, make_bulletin, admin, staff
):
    _send(make_bulletin(), admin)
    message = next(m for m in mail.outbox if m.to == ["partner@p.test"])
    url = f"/unsubscribe/{_token(message)}/"
    assert client.get(url).status_code == 200 and not BulletinPreference.objects.exists()  # GET only asks
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert BulletinPreference.objects.get(person=staff["partner"]).frequency == Frequency.NONE
    assert AuditEntry.objects.filter(action="engagement.unsubscribed").count() == 1


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "no-such-token", lambda t: "a" * 600]
)
def test_a_forged_or_altered_link_changes_nothing_and_looks_the_same(
    client, make_bulletin, admin, staff, tamper
):
    _send(make_bulletin(), admin)
    good = _token(mail.outbox[0])
    before = AuditEntry.objects.count()
    forged = client.post(f"/unsubscribe/{tamper(good)}/").content.decode()
    assert not BulletinPreference.objects.exists() and AuditEntry.objects.count() == before
    real = client.post(f"/unsubscribe/{good}/").content.decode()

    def words(page: str) -> str:
        return re.sub(r'nonce="[^"]*"', "", page)

    assert words(forged) == words(
        real
    )  # the page says nothing about whether the link was real or who it named


def test_a_token_cannot_be_made_for_someone_else():
    token = links.token_for(person_id=1, group_id=1, category="news")
    payload, _, signature = token.rpartition(":")
    assert links.read(token) is not None
    assert (
        links.read(
            links.token_for(person_id=2, group_id=1, category="news").rsplit(":", 1)[0] + ":" + signature
        )
        is None
    )


def test_a_person_sets_their_own_choices(client, group, signatories):
    client.force_login(signatories[0])
    url = f"/g/{group.slug}/bulletins/preferences/"
    data = {"news": "weekly", "opportunities": "none", "events": "each", "policy": "daily"}
    assert client.post(url, data).status_code == 302
    assert dict(BulletinPreference.objects.values_list("category", "frequency")) == data


def test_an_officer_drafts_previews_and_sends_through_the_pages(client, group, admin, strong_login, staff):
    strong_login(client, admin)
    response = client.post(
        f"/g/{group.slug}/bulletins/new/",
        {"title": "Hello", "body": "**Hi**", "category": "news", "audience": "partners"},
    )
    edit = response["Location"]
    assert "<strong>Hi</strong>" in client.get(edit).content.decode()
    assert client.post(edit, {"do": "send"}).status_code == 302
    assert "Record a bounce" in client.get(edit).content.decode()
    assert [m.to for m in mail.outbox] == [["partner@p.test"]]


def test_the_clock_restarts_a_send_whose_worker_died_before_preparing(
    make_bulletin, admin, staff, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    b = make_bulletin()

    class Dead:
        def enqueue(self, *args: object) -> None:
            return None

    monkeypatch.setattr(delivery, "prepare_bulletin", Dead())
    services.bulletin_send(bulletin=b, actor=admin)
    monkeypatch.undo()
    assert not BulletinDelivery.objects.exists()
    assert delivery.resume(timezone.now()) == 0  # too soon: the first worker may still be at it
    assert delivery.resume(timezone.now() + timedelta(minutes=6)) == 1
    b.refresh_from_db()
    assert b.status == BulletinStatus.SENT and len(mail.outbox) == 6
