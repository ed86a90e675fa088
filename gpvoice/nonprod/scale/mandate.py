"""Mandate rounds for load-scale: terms drafted, issued and put to the practices through the
services (one round per group), then half of each footprint's practices answered in bulk, with the
``governance.mandate.answered`` entry the service writes for each answer."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from gpvoice.core import audit
from gpvoice.core.scale import Part, ScaleContext
from gpvoice.governance.models import Answer, MandateAnswer
from gpvoice.governance.services import mandate_open, terms_create, terms_issue

BATCH = 2000
ANSWERS = (Answer.AGREE,) * 6 + (Answer.DECLINE,) * 3 + (Answer.ABSTAIN,)
TERMS = (
    "# Purpose\n\nThe group speaks for the general practices of its footprint.\n\n"
    "# Membership\n\nCore members act on behalf of practices."
)


def load_mandate(ctx: ScaleContext) -> Part:
    rng = random.Random(ctx.seed + 1)
    made = {"rounds": 0, "answers": 0, "audit entries": 0}
    for group in ctx.groups:
        terms = terms_create(group=group, title="Terms of reference", body=TERMS, actor=None)
        terms = terms_issue(terms=terms, actor=None)
        now = timezone.now()
        round = mandate_open(
            terms=terms,
            closes_at=now + timedelta(days=60),
            expires_on=(now + timedelta(days=365)).date(),
            actor=None,
        )
        made["rounds"] += 1
        answerable = [p for p in ctx.footprints[group.pk] if ctx.signatories.get(p.pk)]
        half = min(len(answerable), len(ctx.footprints[group.pk]) // 2)
        chosen = sorted(rng.sample(answerable, half), key=lambda p: p.ods_code)
        with transaction.atomic():
            rows = MandateAnswer.objects.bulk_create(
                [
                    MandateAnswer(
                        round=round,
                        practice=p,
                        answer=rng.choice(ANSWERS),
                        answered_by_id=ctx.persons[ctx.signatories[p.pk][0]],
                        created_by_id=ctx.signatories[p.pk][0],
                    )
                    for p in chosen
                ],
                batch_size=BATCH,
            )
            made["answers"] += len(rows)
            made["audit entries"] += audit.record_many(
                group=group,
                events=(
                    audit.Event(
                        "governance.mandate.answered",
                        a.created_by_id,
                        ctx.emails[a.created_by_id],
                        "governance.MandateAnswer",
                        str(a.pk),
                        {"practice": a.practice.ods_code, "answer": a.answer, "replaces": None},
                    )
                    for a in rows
                ),
            )
    return Part(
        "mandate",
        path="service (terms_create, terms_issue, mandate_open); answers: bulk with their audit entries",
        counts=made,
    )
