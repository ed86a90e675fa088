"""Sending bulletins in background batches, each copy at most once, and the digests.

``prepare_bulletin`` makes one ``BulletinDelivery`` row per recipient (unique per bulletin and
person, so a rerun adds none) and queues the first batch. ``send_batch`` claims a batch of queued
rows (queued → sending, committed) for throughput, then for each row commits ``attempted_at``
(compare-and-swap on its own claim) immediately before the SMTP call, in the same commit as the
previous row's outcome (sent or failed): one commit per copy. A worker killed mid-batch
therefore leaves one row at most attempted but not recorded. The clock (``resume``) finds claims
older than ``STALE``: rows never attempted go back to the queue (safe to send), the attempted one
becomes ``uncertain`` (shown to officers, never resent); then it restarts the chain and marks a
bulletin sent once nothing is left queued or sending. Digests are claimed the same way, one
``Digest`` row per person and period.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks import task

from gpvoice.core import agenda
from gpvoice.core.markdown import plain, render
from gpvoice.directory.models import Person
from gpvoice.directory.selectors import footprint_practices

from . import unsubscribe as links
from .models import (
    Audience,
    Bulletin,
    BulletinDelivery,
    BulletinPreference,
    BulletinStatus,
    Category,
    DeliveryState,
    Digest,
    Frequency,
)
from .recipients import current_appointments

logger = logging.getLogger(__name__)
BATCH = 200
STALE = timedelta(minutes=5)  # a claim this old belongs to a worker presumed dead
CHUNK = 1000
ROLES = {Audience.PARTNERS: "practice_partner", Audience.MANAGERS: "practice_manager"}


def _address(person: Person) -> str:
    return (person.email or (person.user.email if person.user_id and person.user else "")).strip().lower()


def audience(bulletin: Bulletin) -> Iterator[tuple[Person, int | None]]:
    """Each recipient once, with the footprint practice they are written to at (None for the roll)."""
    if bulletin.audience == Audience.ROLL:
        ids = [pk for pk, _ in agenda.roll(bulletin.group)]
        for person in Person.objects.filter(pk__in=ids).select_related("user").order_by("pk").iterator(CHUNK):
            yield person, None
        return
    rows = current_appointments().filter(organisation__in=footprint_practices(group=bulletin.group))
    if bulletin.audience == Audience.SIGNATORIES:
        rows = rows.filter(is_signatory=True)
    elif bulletin.audience in ROLES:
        rows = rows.filter(role=ROLES[Audience(bulletin.audience)])
    seen: set[int] = set()
    for a in rows.select_related("person__user").order_by("person_id", "organisation_id").iterator(CHUNK):
        if a.person_id not in seen:
            seen.add(a.person_id)
            yield a.person, a.organisation_id


def _state(frequency: str, essential: bool) -> tuple[str, str]:
    if essential or frequency == Frequency.EACH:
        return DeliveryState.QUEUED, Frequency.EACH
    if frequency == Frequency.NONE:
        return DeliveryState.SKIPPED, Frequency.NONE
    return DeliveryState.DIGEST, frequency


def _write(bulletin: Bulletin, chunk: list[tuple[Person, int | None]]) -> None:
    prefs = dict(
        BulletinPreference.objects.filter(
            person_id__in=[p.pk for p, _ in chunk], category=bulletin.category
        ).values_list("person_id", "frequency")
    )
    rows = []
    for person, practice_id in chunk:
        state, frequency = _state(prefs.get(person.pk, Frequency.EACH), bulletin.essential)
        rows.append(
            BulletinDelivery(
                bulletin=bulletin,
                person=person,
                practice_id=practice_id,
                address=_address(person),
                state=state,
                frequency=frequency,
            )
        )
    # Unique per bulletin and person: a rerun of the preparation adds nobody twice.
    BulletinDelivery.objects.bulk_create(rows, ignore_conflicts=True)


@task()
def prepare_bulletin(bulletin_id: int) -> str:
    bulletin = Bulletin.objects.select_related("group").get(pk=bulletin_id)
    chunk: list[tuple[Person, int | None]] = []
    for person, practice_id in audience(bulletin):
        if _address(person):
            chunk.append((person, practice_id))
        if len(chunk) >= CHUNK:
            _write(bulletin, chunk)
            chunk = []
    if chunk:
        _write(bulletin, chunk)
    total = BulletinDelivery.objects.filter(bulletin=bulletin).count()
    Bulletin.objects.filter(pk=bulletin.pk).update(recipients=total)
    send_batch.enqueue(bulletin.pk)
    return f"{total} recipients"


def _claim(bulletin_id: int, now: datetime) -> list[int]:
    """Claim up to a batch of queued copies, committed on its own before anything is sent."""
    with transaction.atomic():
        queued = BulletinDelivery.objects.filter(bulletin_id=bulletin_id, state=DeliveryState.QUEUED)
        if connection.features.has_select_for_update_skip_locked:
            # Two workers on one bulletin take different rows instead of waiting for each other.
            queued = queued.select_for_update(skip_locked=True)
        ids = list(queued.order_by("pk").values_list("pk", flat=True)[:BATCH])
        # Compare-and-swap: only rows still queued are claimed; the state filter is the guard.
        BulletinDelivery.objects.filter(pk__in=ids, state=DeliveryState.QUEUED).update(
            state=DeliveryState.SENDING, claimed_at=now
        )
        return list(
            BulletinDelivery.objects.filter(
                pk__in=ids, state=DeliveryState.SENDING, claimed_at=now
            ).values_list("pk", flat=True)
        )


def _footer(bulletin_group: Any, category: str, unsubscribe_url: str) -> tuple[str, str]:
    prefs = settings.SITE_URL + reverse("engagement:preferences", args=[bulletin_group.slug])
    label = Category(category).label
    text = (
        f"\n\n--\nYou get this as {label.lower()} from {bulletin_group.name}.\n"
        f"Choose how often: {prefs}\nStop these emails: {unsubscribe_url}\n"
    )
    html = (
        f"<hr><p>You get this as {escape(label.lower())} from {escape(bulletin_group.name)}. "
        f'<a href="{escape(prefs)}">Choose how often</a> or '
        f'<a href="{escape(unsubscribe_url)}">stop these emails</a>.</p>'
    )
    return text, html


def parts(bulletin: Bulletin) -> dict[str, str]:
    """What every copy of a bulletin shares, rendered once per batch."""
    group = bulletin.group
    archive = settings.SITE_URL + reverse("engagement:bulletin", args=[group.slug, bulletin.pk])
    return {
        "subject": " ".join(f"{group.name}: {bulletin.title}".split())[:250],
        "text": f"{bulletin.title}\n\n{plain(bulletin.body)}\n\nOn the web: {archive}",
        "html": f"<h1>{escape(bulletin.title)}</h1>{render(bulletin.body)}",
    }


def message(
    bulletin: Bulletin, delivery: BulletinDelivery, shared: dict[str, str] | None = None
) -> EmailMultiAlternatives:
    shared = shared or parts(bulletin)
    url = links.link(person_id=delivery.person_id, group_id=bulletin.group_id, category=bulletin.category)
    footer_text, footer_html = _footer(bulletin.group, bulletin.category, url)
    email = EmailMultiAlternatives(
        shared["subject"],
        shared["text"] + footer_text,
        settings.DEFAULT_FROM_EMAIL,
        [delivery.address],
        headers=links.headers(url),
    )
    email.attach_alternative(shared["html"] + footer_html, "text/html")
    return email


Outcome = tuple[int, datetime, dict[str, Any]]  # (delivery pk, its attempt, fields to record)


def _record(outcome: Outcome) -> None:
    """The outcome of one attempt; also corrects a row the clock had marked uncertain meanwhile."""
    delivery_id, attempted_at, fields = outcome
    BulletinDelivery.objects.filter(
        pk=delivery_id,
        attempted_at=attempted_at,
        state__in=[DeliveryState.SENDING, DeliveryState.UNCERTAIN],
    ).update(**fields)


def _attempt(delivery: BulletinDelivery, claimed_at: datetime, previous: Outcome | None) -> datetime | None:
    """In one commit: record the previous copy's outcome, and that this copy's send is starting,
    only if it is still this worker's claim (the clock may have returned it to the queue, or
    another worker claimed it since). One commit per copy; None: skip this copy."""
    now = timezone.now()
    with transaction.atomic():
        if previous is not None:
            _record(previous)
        mine = BulletinDelivery.objects.filter(
            pk=delivery.pk, state=DeliveryState.SENDING, claimed_at=claimed_at, attempted_at__isnull=True
        )
        return now if mine.update(attempted_at=now) else None


@task()
def send_batch(bulletin_id: int) -> str:
    now = timezone.now()
    ids = _claim(bulletin_id, now)
    sent = 0
    if ids:
        bulletin = Bulletin.objects.select_related("group").get(pk=bulletin_id)
        deliveries = list(BulletinDelivery.objects.filter(pk__in=ids).order_by("pk"))
        shared = parts(bulletin)
        previous: Outcome | None = None
        with get_connection() as mailer:
            for delivery in deliveries:
                attempted = _attempt(delivery, now, previous)
                previous = None
                if attempted is None:
                    continue
                try:
                    mailer.send_messages([message(bulletin, delivery, shared)])
                except Exception as error:  # noqa: BLE001 - one bad address must not stop the batch
                    logger.warning("bulletin %s to delivery %s failed: %s", bulletin_id, delivery.pk, error)
                    fields: dict[str, Any] = {
                        "state": DeliveryState.FAILED,
                        "error": "Not accepted by the mail server",
                    }
                else:
                    fields = {"state": DeliveryState.SENT, "sent_at": timezone.now()}
                    sent += 1
                previous = (delivery.pk, attempted, fields)
        if previous is not None:
            _record(previous)
    if BulletinDelivery.objects.filter(bulletin_id=bulletin_id, state=DeliveryState.QUEUED).exists():
        send_batch.enqueue(bulletin_id)
        return f"{sent} sent; more to come"
    finish(bulletin_id)
    return f"{sent} sent; done"


def finish(bulletin_id: int) -> bool:
    """Mark the bulletin sent once no copy is queued or being sent (compare-and-swap: once)."""
    pending = [DeliveryState.QUEUED, DeliveryState.SENDING]
    if BulletinDelivery.objects.filter(bulletin_id=bulletin_id, state__in=pending).exists():
        return False
    return bool(
        Bulletin.objects.filter(pk=bulletin_id, status=BulletinStatus.SENDING).update(
            status=BulletinStatus.SENT, finished_at=timezone.now()
        )
    )


def recover(now: datetime) -> tuple[int, int]:
    """Stale claims (their worker presumed dead): rows never attempted go back to the queue, a row
    attempted but never recorded becomes uncertain. Each update is a compare-and-swap against the
    worker's own (``_attempt``), so a worker that is only slow never sends a requeued row.
    Returns (requeued, uncertain)."""
    stale = BulletinDelivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=now - STALE)
    requeued = stale.filter(attempted_at__isnull=True).update(state=DeliveryState.QUEUED, claimed_at=None)
    uncertain = stale.filter(attempted_at__isnull=False).update(state=DeliveryState.UNCERTAIN)
    if requeued or uncertain:
        logger.warning("bulletin claims of dead workers: %s requeued, %s uncertain", requeued, uncertain)
    return requeued, uncertain


def resume(now: datetime) -> int:
    """The clock: recover dead workers' claims, then restart the batches of bulletins still sending
    a while after they started; a live chain only finds fewer rows to claim."""
    recover(now)
    stalled = Bulletin.objects.filter(status=BulletinStatus.SENDING, sent_at__lt=now - STALE)
    count = 0
    for bulletin_id in stalled.values_list("pk", flat=True):
        if not BulletinDelivery.objects.filter(bulletin_id=bulletin_id).exists():
            prepare_bulletin.enqueue(bulletin_id)  # killed before its deliveries were made
        else:
            send_batch.enqueue(bulletin_id)
        count += 1
    return count


# Digests ----------------------------------------------------------------------------------------


def period_key(frequency: str, now: datetime) -> str | None:
    """The digest due now: a daily one each day, a weekly one on Mondays; None when none is due."""
    day = timezone.localtime(now).date()
    if frequency == Frequency.DAILY:
        return f"daily:{day.isoformat()}"
    if frequency == Frequency.WEEKLY and day.weekday() == 0:
        year, week, _ = day.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return None


def _claim_digest(person_id: int, group_id: int, period: str, n: int) -> bool:
    try:
        with transaction.atomic():
            Digest.objects.create(person_id=person_id, group_id=group_id, period=period, bulletins=n)
    except IntegrityError:
        return False
    return True


def send_digests(now: datetime) -> int:
    """One digest per person, group, category and period with the bulletins held for it; returns how many."""
    sent = 0
    for frequency in (Frequency.DAILY, Frequency.WEEKLY):
        period = period_key(frequency, now)
        if period is None:
            continue
        held = BulletinDelivery.objects.filter(state=DeliveryState.DIGEST, frequency=frequency).filter(
            Q(bulletin__status=BulletinStatus.SENT) | Q(bulletin__status=BulletinStatus.SENDING)
        )
        keys = held.values_list("person_id", "bulletin__group_id", "bulletin__category").distinct().order_by()
        for person_id, group_id, category in keys.iterator():
            rows = list(
                held.filter(person_id=person_id, bulletin__group_id=group_id, bulletin__category=category)
                .select_related("bulletin__group")
                .order_by("bulletin__sent_at", "pk")
            )
            if rows and _claim_digest(person_id, group_id, f"{period}:{category}", len(rows)):
                _send_digest(rows)
                sent += 1
    return sent


def _send_digest(rows: list[BulletinDelivery]) -> None:
    group = rows[0].bulletin.group
    BulletinDelivery.objects.filter(pk__in=[r.pk for r in rows]).update(
        state=DeliveryState.SENT, sent_at=timezone.now()
    )
    parts = [f"{r.bulletin.title}\n{plain(r.bulletin.body)[:600]}\n" for r in rows]
    url = links.link(person_id=rows[0].person_id, group_id=group.pk, category=rows[0].bulletin.category)
    footer_text, _ = _footer(group, rows[0].bulletin.category, url)
    email = EmailMultiAlternatives(
        f"{group.name}: {len(rows)} bulletins",
        "\n\n".join(parts) + footer_text,
        settings.DEFAULT_FROM_EMAIL,
        [rows[0].address],
        headers=links.headers(url),
    )
    email.send()
