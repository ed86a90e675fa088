"""Telling practices that a consultation has opened, or that its results are published.

A background task (queued in the transaction of the opening or publication), so a national
footprint is never written to inside a request. Each email goes through the outbox under its own
key (``consultation-opened:<id>:<address>``), so a rerun queues nobody twice.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from gpvoice.core.formats import when
from gpvoice.directory.selectors import footprint_practices
from gpvoice.jobs.mail import queue_email

from .models import Consultation
from .recipients import current_appointments, signatory_addresses

KINDS = ("opened", "published")


def _addresses(consultation: Consultation) -> list[tuple[str, str]]:
    practices = footprint_practices(group=consultation.group).values("pk")
    if not consultation.per_person:
        return signatory_addresses(practices)
    found: dict[str, str] = {}
    rows = current_appointments().filter(organisation__in=practices).select_related("person__user")
    for a in rows.order_by("person_id").iterator(chunk_size=1000):
        address = (a.person.email or (a.person.user.email if a.person.user else "")).strip().lower()
        if address:
            found.setdefault(address, a.person.full_name)
    return list(found.items())


@task()
def announce(consultation_id: int, kind: str) -> str:
    c = Consultation.objects.select_related("group").get(pk=consultation_id)
    if kind not in KINDS:
        return "nothing to announce"
    name = "answer" if kind == "opened" else "results"
    link = settings.SITE_URL + reverse(f"engagement:{name}", args=[c.group.slug, c.pk])
    if kind == "opened":
        subject = f"{c.group.name} asks: {c.title}"
        ask = "your practice's answer" if not c.per_person else "your answer"
        text = (
            f"{c.group.name} would like {ask} to “{c.title}” by {when(c.closes_at)}.\n\nAnswer here: {link}\n"
        )
    else:
        subject = f"Results: {c.title}"
        text = f"The results of “{c.title}” are published.\n\nSee them here: {link}\n"
    addresses = _addresses(c)
    for address, person in addresses:
        queue_email(
            key=f"consultation-{kind}:{c.pk}:{address}",
            to=[address],
            subject=subject,
            body=f"Dear {person},\n\n{text}",
        )
    return f"{len(addresses)} told"
