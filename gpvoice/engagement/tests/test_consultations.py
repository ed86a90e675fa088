"""Consultations: drafting, answering (one current per practice, history kept), tallies, reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from gpvoice.core.models import AuditEntry, Role
from gpvoice.engagement import services
from gpvoice.engagement.models import AnswerCount, ConsultationReminder, ConsultationStatus, Response
from gpvoice.jobs.models import OutgoingEmail

from .conftest import by_key, relationship_answers

pytestmark = pytest.mark.django_db


def _count(question, value, pcn=None):
    row = AnswerCount.objects.filter(question=question, value=value, pcn=pcn).first()
    return row.count if row else 0


def test_the_relationship_template_brings_its_questions_and_condition(make_consultation):
    c = make_consultation("relationship")
    q = by_key(c)
    assert list(q) == ["stance", "pcn_view", "closer"]
    assert q["closer"].shown_if == q["stance"] and "allies" not in q["closer"].shown_values
    assert c.status == ConsultationStatus.OPEN and not c.confidential


def test_the_sustainability_template_is_confidential(make_consultation):
    assert make_consultation("sustainability").confidential


def test_a_signatory_answers_then_changes_the_answer_and_both_stay_in_history(
    make_consultation, practices, signatories, area
):
    c = make_consultation()
    stance = by_key(c)["stance"]
    first = services.response_submit(
        consultation=c,
        practice=practices[0],
        answers=relationship_answers(c, "rivals", closer="Fair shares"),
        actor=signatories[0],
    )
    second = services.response_submit(
        consultation=c,
        practice=practices[0],
        answers=relationship_answers(c, "friends"),
        actor=signatories[1],
    )
    rows = Response.objects.filter(consultation=c, practice=practices[0])
    assert rows.count() == 2 and list(rows.filter(is_current=True)) == [second]
    first.refresh_from_db()
    assert not first.is_current
    assert _count(stance, "rivals", area["pcn"]) == 0 and _count(stance, "friends", area["pcn"]) == 1
    c.refresh_from_db()
    assert c.responses_count == 1
    assert AuditEntry.objects.filter(action="engagement.response.changed").count() == 1


def test_a_hidden_question_is_not_stored(make_consultation, practices, signatories):
    c = make_consultation()
    r = services.response_submit(
        consultation=c,
        practice=practices[0],
        answers=relationship_answers(c, "allies", closer="ignored"),
        actor=signatories[0],
    )
    assert str(by_key(c)["closer"].pk) not in r.answers


def test_someone_who_does_not_sign_for_the_practice_is_refused(
    make_consultation, practices, signatories, unchanged
):
    c = make_consultation()
    with unchanged(), pytest.raises(services.ConsultationError, match="signatory"):
        services.response_submit(
            consultation=c,
            practice=practices[1],
            answers=relationship_answers(c, "allies"),
            actor=signatories[0],
        )


def test_answers_after_the_deadline_are_refused(make_consultation, practices, signatories, unchanged):
    c = make_consultation(days=2)
    with time_machine.travel(c.closes_at + timedelta(seconds=1)), unchanged():
        with pytest.raises(services.ConsultationError, match="deadline"):
            services.response_submit(
                consultation=c,
                practice=practices[0],
                answers=relationship_answers(c, "allies"),
                actor=signatories[0],
            )


def test_bad_answers_change_nothing(make_consultation, practices, signatories, unchanged):
    c = make_consultation()
    with unchanged(), pytest.raises(services.responses.AnswersInvalid) as refusal:
        services.response_submit(
            consultation=c,
            practice=practices[0],
            answers=relationship_answers(c, "\x00"),
            actor=signatories[0],
        )
    assert str(by_key(c)["stance"].pk) in refusal.value.errors


def test_members_cannot_draft_and_drafts_only_change_as_drafts(
    group, personas, make_consultation, admin, unchanged
):
    with unchanged(), pytest.raises(services.ConsultationError, match="officers"):
        services.consultation_create(
            group=group, title="Mine", closes_at=timezone.now() + timedelta(days=3), actor=personas[Role.CORE]
        )
    c = make_consultation("custom", title="Ours", open=False)
    services.question_add(consultation=c, kind="single", text="Agree?", choices="Yes\nNo", actor=admin)
    services.consultation_open(consultation=c, actor=admin)
    with unchanged(), pytest.raises(services.ConsultationError, match="draft"):
        services.question_add(consultation=c, kind="short", text="Late", actor=admin)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "single", "text": "Q", "choices": "Only one"}, "at least two"),
        ({"kind": "single", "text": "Q", "choices": "A\na"}, "each choice once"),
        ({"kind": "short", "text": "\x00"}, "NUL"),
        ({"kind": "short", "text": "x" * 501}, "500"),
        ({"kind": "scale", "text": "Q", "scale_min": 5, "scale_max": 5}, "scale"),
        ({"kind": "essay", "text": "Q"}, "kind"),
    ],
)
def test_bad_questions_are_refused(make_consultation, admin, unchanged, fields, message):
    c = make_consultation("custom", title="Ours", open=False)
    with unchanged(), pytest.raises(services.ConsultationError, match=message):
        services.question_add(consultation=c, actor=admin, **fields)


def test_a_conditional_custom_question_depends_on_an_earlier_choice(
    make_consultation, admin, practices, signatories
):
    c = make_consultation("custom", title="Ours", open=False)
    q1 = services.question_add(consultation=c, kind="single", text="Merging?", choices="Yes\nNo", actor=admin)
    q2 = services.question_add(
        consultation=c, kind="long", text="With whom?", shown_if=q1, shown_values=["1"], actor=admin
    )
    services.consultation_open(consultation=c, actor=admin)
    with pytest.raises(services.responses.AnswersInvalid):
        services.response_submit(
            consultation=c, practice=practices[0], answers={str(q1.pk): "1"}, actor=signatories[0]
        )
    r = services.response_submit(
        consultation=c,
        practice=practices[0],
        answers={str(q1.pk): "2", str(q2.pk): "x"},
        actor=signatories[0],
    )
    assert r.answers == {str(q1.pk): "2"}


def test_per_person_consultations_take_one_answer_from_each_person(
    make_consultation, admin, practices, signatories
):
    c = make_consultation("custom", title="Staff survey", open=False, per_person=True)
    q = services.question_add(consultation=c, kind="scale", text="Morale", actor=admin)
    services.consultation_open(consultation=c, actor=admin)
    for user in signatories[:2]:
        services.response_submit(consultation=c, practice=None, answers={str(q.pk): "3"}, actor=user)
    assert Response.objects.filter(consultation=c, is_current=True).count() == 2
    assert _count(q, "3", practices[0].pcn) == 2


def test_reminders_go_once_to_each_practice_that_has_not_answered(make_consultation, practices, signatories):
    c = make_consultation(days=2)
    mail.outbox.clear()  # the notices that it opened
    services.response_submit(
        consultation=c, practice=practices[0], answers=relationship_answers(c, "allies"), actor=signatories[0]
    )
    assert services.reminders_send() == 2  # the second and third practices' signatories
    assert services.reminders_send() == 0
    assert set(ConsultationReminder.objects.values_list("practice_id", flat=True)) == {
        practices[1].pk,
        practices[2].pk,
    }
    assert OutgoingEmail.objects.filter(key__startswith="consultation-reminder").count() == 2
    assert len(mail.outbox) == 2


def test_reminders_wait_until_three_days_before_the_deadline(make_consultation, signatories):
    make_consultation(days=4)
    assert services.reminders_send() == 0


def test_the_clock_closes_consultations_at_the_deadline(make_consultation):
    c = make_consultation(days=1)
    services.reminders_send(now=c.closes_at)
    c.refresh_from_db()
    assert c.status == ConsultationStatus.CLOSED


def test_results_are_published_only_once_closed(make_consultation, admin, unchanged):
    c = make_consultation()
    with unchanged(), pytest.raises(services.ConsultationError, match="closed"):
        services.results_publish(consultation=c, actor=admin)
    services.consultation_close(consultation=c, actor=admin)
    assert services.results_publish(consultation=c, actor=admin).published_at is not None


def test_signatories_are_told_when_a_consultation_opens_and_when_results_are_published(
    make_consultation, admin, signatories
):
    c = make_consultation()
    opened = OutgoingEmail.objects.filter(key__startswith=f"consultation-opened:{c.pk}:")
    assert sorted(a for e in opened for a in e.to) == sorted(u.email for u in signatories)
    services.consultation_close(consultation=c, actor=admin)
    services.results_publish(consultation=c, actor=admin)
    assert OutgoingEmail.objects.filter(key__startswith=f"consultation-published:{c.pk}:").count() == 4
