"""The sounding board's rules, each at its boundary, and every refusal changing nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import make_member
from gpvoice.core.models import AuditEntry, Role
from gpvoice.directory.models import OrgType, RoleType
from gpvoice.directory.tests.factories import AppointmentFactory, DeclarationFactory, OrganisationFactory
from gpvoice.jobs.models import OutgoingEmail
from gpvoice.meetings import papers
from gpvoice.soundingboard import selectors, services
from gpvoice.soundingboard.models import Assignment, Document, Review, Status, Submission

from .conftest import ANSWERS, PDF

pytestmark = pytest.mark.django_db


# Submitting --------------------------------------------------------------------------------------


def test_a_signatory_submits_a_plan_with_its_documents(submit, signatory):
    submission = submit()
    assert submission.status == Status.SUBMITTED
    assert submission.perspectives == ["funder", "regulator"]
    document = Document.objects.get(submission=submission)
    assert (document.name, document.content_type, document.size) == ("Plan.pdf", "application/pdf", len(PDF))
    assert "Plan" not in document.file.name  # never the uploader's name in the storage path
    entry = AuditEntry.objects.get(action="soundingboard.submission.submitted")
    assert "Extended access" not in str(entry.data)  # the audit log keeps no content


def test_a_pcn_signatory_submits_for_the_pcn(group, area, submit):
    from conftest import make_signatory

    director = make_signatory(group, area["pcn"], "cd@pcn.test")
    submission = submit(organisation=area["pcn"], actor=director, files=[])
    assert submission.organisation == area["pcn"]


def test_a_practice_member_who_is_not_a_signatory_is_refused(group, practice, submit, unchanged):
    staff = make_member(group, Role.PRACTICE_STAFF, "staff@riverside.test")
    AppointmentFactory(person__user=staff, organisation=practice, role=RoleType.SALARIED_GP)
    with unchanged(), pytest.raises(services.SoundingBoardError, match="Only a signatory"):
        submit(actor=staff)


def test_a_signatory_of_a_practice_outside_the_footprint_is_refused(group, submit, unchanged):
    from conftest import make_signatory

    elsewhere = OrganisationFactory(org_type=OrgType.PRACTICE, ods_code="Z55555", name="Elsewhere")
    outsider_signatory = make_signatory(group, elsewhere, "sig@elsewhere.test")
    with unchanged(), pytest.raises(services.SoundingBoardError, match="Only a signatory"):
        submit(organisation=elsewhere, actor=outsider_signatory)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter title"),
        ({"title": "x" * 201}, "200 characters or fewer"),
        ({"plan": "a\x00b"}, "cannot be stored"),
        ({"plan": "x" * 20_001}, "20,000 characters or fewer"),
        ({"perspectives": []}, "Choose the perspectives"),
        ({"perspectives": ["funder", "auditor"]}, "Choose the perspectives"),
        ({"files": [("plan.pdf", b"MZ\x90\x00 not a pdf")]}, "not a real .pdf"),
        ({"files": [("plan.exe", b"MZ")]}, "not a file type"),
        ({"files": [("plan.docx", b"PK\x03\x04 broken zip")]}, "not a real .docx"),
        ({"files": [("plan.pdf", b"")]}, "is empty"),
        ({"files": [("big.pdf", b"%PDF-" + b"0" * papers.MAX_BYTES)]}, "larger than 20 MB"),
        ({"files": [("ok.pdf", PDF), ("bad.png", PDF)]}, "not a real .png"),
        ({"files": [(f"p{i}.pdf", PDF) for i in range(6)]}, "at most 5 documents"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(submit, unchanged, overrides, message):
    with unchanged(), pytest.raises(services.SoundingBoardError, match=message):
        submit(**overrides)


def test_exactly_the_limit_of_documents_and_bytes_is_taken(submit):
    files = [(f"p{i}.pdf", PDF) for i in range(4)] + [("big.pdf", b"%PDF-" + b"0" * (papers.MAX_BYTES - 5))]
    submission = submit(files=files)
    assert submission.documents.count() == 5


def test_a_real_office_document_is_taken(submit):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    submission = submit(files=[("Plan.docx", buffer.getvalue())])
    assert submission.documents.get().content_type.endswith("wordprocessingml.document")


# Who reads a plan --------------------------------------------------------------------------------


def test_only_signatories_and_assigned_reviewers_read_a_plan(group, assigned, signatory, reviewer, personas):
    readers = {u.pk for u in (signatory, reviewer)}
    for user in [signatory, reviewer, *personas.values()]:
        found = selectors.submission_for(group=group, user=user, pk=assigned.pk)
        assert (found is not None) == (user.pk in readers), user.email


def test_a_reviewer_reads_until_the_set_time_after_returning(group, assigned, reviewer, settings):
    settings.SOUNDINGBOARD_REVIEWER_ACCESS_DAYS = 14
    services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    returned = Assignment.objects.get().returned_at
    with time_machine.travel(returned + timedelta(days=14) - timedelta(seconds=1)):
        assert selectors.submission_for(group=group, user=reviewer, pk=assigned.pk) is not None
    with time_machine.travel(returned + timedelta(days=14)):
        assert selectors.submission_for(group=group, user=reviewer, pk=assigned.pk) is None


def test_a_withdrawn_plan_is_closed_to_its_reviewers_at_once(group, assigned, reviewer, signatory):
    services.submission_withdraw(submission=assigned, actor=signatory)
    assert selectors.submission_for(group=group, user=reviewer, pk=assigned.pk) is None
    assert selectors.submission_for(group=group, user=signatory, pk=assigned.pk) is not None


def test_a_signatory_whose_appointment_ended_no_longer_reads(group, assigned, signatory):
    from gpvoice.directory.models import Appointment

    Appointment.objects.filter(person__user=signatory).update(end=timezone.localdate() - timedelta(days=1))
    assert selectors.submission_for(group=group, user=signatory, pk=assigned.pk) is None


def test_another_groups_id_is_none(other_group, assigned, signatory):
    assert selectors.submission_for(group=other_group, user=signatory, pk=assigned.pk) is None
    assert selectors.submission_for(group=other_group, user=signatory, pk="1\x00") is None


# Assigning reviewers and conflicts ---------------------------------------------------------------


def test_an_officer_assigns_a_reviewer_who_is_emailed(submit, officer, reviewer):
    submission = submit()
    services.reviewer_assign(
        submission=submission, email=reviewer.email.upper(), override_reason="", actor=officer
    )
    submission.refresh_from_db()
    assert submission.status == Status.IN_REVIEW
    assert OutgoingEmail.objects.filter(
        key__startswith="soundingboard-assigned", to=[reviewer.email]
    ).exists()


def test_only_officers_assign(submit, personas, reviewer, unchanged):
    submission = submit()
    for role in (Role.CORE, Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF):
        with unchanged(), pytest.raises(services.SoundingBoardError, match="Only the officers"):
            services.reviewer_assign(
                submission=submission, email=reviewer.email, override_reason="", actor=personas[role]
            )


def test_a_reviewer_must_be_a_member_of_the_group(submit, officer, other_group, unchanged):
    stranger = make_member(other_group, Role.CORE, "stranger@south.test")
    submission = submit()
    with unchanged(), pytest.raises(services.SoundingBoardError, match="No member"):
        services.reviewer_assign(
            submission=submission, email=stranger.email, override_reason="", actor=officer
        )


def test_a_declared_interest_is_a_conflict_shown_and_needs_a_reason(
    submit, officer, reviewer, practice, unchanged
):
    DeclarationFactory(
        person=reviewer.person, organisation=practice, interest="", nature="Sister is a partner"
    )
    submission = submit()
    with unchanged(), pytest.raises(services.ConflictsFound) as found:
        services.reviewer_assign(
            submission=submission, email=reviewer.email, override_reason="  ", actor=officer
        )
    assert found.value.found == [f"Declared an interest in {practice.name}: Sister is a partner."]
    assignment = services.reviewer_assign(
        submission=submission, email=reviewer.email, override_reason="Only local expert", actor=officer
    )
    assert assignment.conflicts == found.value.found
    assert assignment.override_reason == "Only local expert"
    entry = AuditEntry.objects.get(action="soundingboard.reviewer.assigned")
    assert entry.data["override_reason"] == "Only local expert" and entry.data["conflicts"]


def test_an_ended_declaration_is_no_conflict(submit, officer, reviewer, practice):
    DeclarationFactory(
        person=reviewer.person,
        organisation=practice,
        interest="",
        end=timezone.localdate() - timedelta(days=1),
    )
    assignment = services.reviewer_assign(
        submission=submit(), email=reviewer.email, override_reason="", actor=officer
    )
    assert assignment.conflicts == [] and assignment.override_reason == ""


def test_an_appointment_in_the_same_pcn_is_a_conflict(submit, officer, reviewer, area):
    AppointmentFactory(
        person=reviewer.person, organisation=area["practices"][1], role=RoleType.PRACTICE_PARTNER
    )
    AppointmentFactory(person=reviewer.person, organisation=area["pcn"], role=RoleType.PCN_MANAGER)
    with pytest.raises(services.ConflictsFound) as found:
        services.reviewer_assign(submission=submit(), email=reviewer.email, override_reason="", actor=officer)
    assert found.value.found == [f"Holds an appointment at {area['pcn'].name} (PCN manager)."]


def test_a_system_role_is_a_conflict_by_the_governance_rule(submit, officer, reviewer, area):
    AppointmentFactory(person=reviewer.person, organisation=area["icb"], role=RoleType.ICB_EMPLOYEE)
    with pytest.raises(services.ConflictsFound) as found:
        services.reviewer_assign(submission=submit(), email=reviewer.email, override_reason="", actor=officer)
    assert found.value.found == [f"Holds a system role (ICB employee, {area['icb'].name}), so is conflicted."]


def test_a_member_not_in_the_directory_cannot_be_checked_so_needs_a_reason(group, submit, officer):
    bare = make_member(group, Role.CORE, "bare@nhs.test")
    with pytest.raises(services.ConflictsFound, match="Give a reason"):
        services.reviewer_assign(submission=submit(), email=bare.email, override_reason="", actor=officer)


def test_a_signatory_of_the_submitter_can_never_review_it(submit, officer, second_signatory, unchanged):
    submission = submit()
    with unchanged(), pytest.raises(services.SoundingBoardError, match="cannot review its plan"):
        services.reviewer_assign(
            submission=submission, email=second_signatory.email, override_reason="Anyway", actor=officer
        )


def test_the_same_reviewer_twice_is_refused(assigned, officer, reviewer, unchanged):
    with unchanged(), pytest.raises(services.SoundingBoardError, match="already a reviewer"):
        services.reviewer_assign(submission=assigned, email=reviewer.email, override_reason="", actor=officer)


# Returning and reading reviews -------------------------------------------------------------------


def test_a_returned_review_tells_the_signatories_who_mark_it_read(
    assigned, reviewer, signatory, second_signatory
):
    review = services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    assigned.refresh_from_db()
    assert assigned.status == Status.RETURNED and review.funder == ANSWERS["funder"]
    told = OutgoingEmail.objects.filter(key__startswith="soundingboard-returned").values_list("to", flat=True)
    assert sorted(address for to in told for address in to) == sorted(
        [signatory.email, second_signatory.email]
    )
    body = OutgoingEmail.objects.filter(key__startswith="soundingboard-returned").first().body
    assert "Value for money" not in body and "Extended access" not in body  # no content in email
    services.review_read(submission=assigned, actor=second_signatory)
    assigned.refresh_from_db()
    assert assigned.status == Status.READ and assigned.read_by == second_signatory


def test_the_plan_is_returned_only_when_every_reviewer_has_returned(
    assigned, officer, reviewer, second_reviewer
):
    services.reviewer_assign(
        submission=assigned, email=second_reviewer.email, override_reason="", actor=officer
    )
    services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    assigned.refresh_from_db()
    assert assigned.status == Status.IN_REVIEW
    services.review_return(submission=assigned, answers=ANSWERS, actor=second_reviewer)
    assigned.refresh_from_db()
    assert assigned.status == Status.RETURNED and assigned.closed_at is not None


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("funder", "Enter funder perspective"),
        ("regulator", "Enter regulator perspective"),
        ("questions", "Enter questions"),
    ],
)
def test_a_review_needs_the_asked_perspectives_and_each_part(assigned, reviewer, unchanged, missing, message):
    with unchanged(), pytest.raises(services.SoundingBoardError, match=message):
        services.review_return(submission=assigned, answers={**ANSWERS, missing: " "}, actor=reviewer)


def test_a_review_from_someone_not_assigned_or_twice_is_refused(
    assigned, reviewer, second_reviewer, unchanged
):
    with unchanged(), pytest.raises(services.SoundingBoardError, match="Only a reviewer assigned"):
        services.review_return(submission=assigned, answers=ANSWERS, actor=second_reviewer)
    services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    with unchanged(), pytest.raises(services.SoundingBoardError, match="already returned"):
        services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)


def test_a_withdrawn_plan_takes_no_review_and_no_reviewer(
    assigned, signatory, reviewer, officer, second_reviewer, unchanged
):
    services.submission_withdraw(submission=assigned, actor=signatory)
    with unchanged(), pytest.raises(services.SoundingBoardError, match="withdrawn"):
        services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    with unchanged(), pytest.raises(services.SoundingBoardError, match="withdrawn"):
        services.reviewer_assign(
            submission=assigned, email=second_reviewer.email, override_reason="", actor=officer
        )


def test_only_a_signatory_withdraws_or_marks_read(assigned, reviewer, officer, unchanged):
    for who in (reviewer, officer):
        with unchanged(), pytest.raises(services.SoundingBoardError, match="Only a signatory"):
            services.submission_withdraw(submission=assigned, actor=who)
        with unchanged(), pytest.raises(services.SoundingBoardError, match="Only a signatory"):
            services.review_read(submission=assigned, actor=who)


def test_marking_read_before_a_return_or_twice_is_refused(assigned, reviewer, signatory, unchanged):
    with unchanged(), pytest.raises(services.SoundingBoardError, match="no returned review"):
        services.review_read(submission=assigned, actor=signatory)
    services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    services.review_read(submission=assigned, actor=signatory)
    with unchanged(), pytest.raises(services.SoundingBoardError, match="already marked"):
        services.review_read(submission=assigned, actor=signatory)


# Retention ---------------------------------------------------------------------------------------


def test_retention_deletes_a_plan_and_its_files_leaving_an_audit_entry(
    assigned, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_SOUNDINGBOARD_DAYS = 180
    services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    closed = Submission.objects.get().closed_at
    stored = Document.objects.get().file
    storage, name = stored.storage, stored.name
    assert services.submissions_expire(now=closed + timedelta(days=180)) == 0  # exactly the period: kept
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the delete commits
        assert services.submissions_expire(now=closed + timedelta(days=180, seconds=1)) == 1
    assert not Submission.objects.exists() and not Review.objects.exists() and not Document.objects.exists()
    assert not storage.exists(name)
    entry = AuditEntry.objects.get(action="soundingboard.submission.deleted")
    assert entry.data["reference"] == assigned.reference and "Extended" not in str(entry.data)


def test_retention_keeps_plans_still_in_review(assigned):
    assert services.submissions_expire(now=timezone.now() + timedelta(days=10_000)) == 0
    assert Submission.objects.count() == 1


def test_retention_runs_through_the_registered_rule(assigned, signatory):
    from gpvoice.operations.services.retention import retention_apply

    services.submission_withdraw(submission=assigned, actor=signatory)
    deleted = retention_apply(now=timezone.now() + timedelta(days=10_000))
    assert deleted["sounding board submissions"] == 1


def test_an_officer_removes_a_reviewer_who_loses_the_plan(group, assigned, officer, reviewer):
    assignment = Assignment.objects.get()
    services.reviewer_remove(submission=assigned, assignment_id=str(assignment.pk), actor=officer)
    assigned.refresh_from_db()
    assert assigned.status == Status.SUBMITTED and not Assignment.objects.exists()
    assert selectors.submission_for(group=group, user=reviewer, pk=assigned.pk) is None
    assert AuditEntry.objects.filter(action="soundingboard.reviewer.removed").count() == 1


def test_removing_the_last_pending_reviewer_returns_the_plan(assigned, officer, reviewer, second_reviewer):
    services.reviewer_assign(
        submission=assigned, email=second_reviewer.email, override_reason="", actor=officer
    )
    services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    pending = Assignment.objects.get(reviewer=second_reviewer)
    services.reviewer_remove(submission=assigned, assignment_id=pending.pk, actor=officer)
    assigned.refresh_from_db()
    assert assigned.status == Status.RETURNED and assigned.closed_at is not None


@pytest.mark.parametrize("bad", ["", "x", "1\x00", "²", str(2**64), "999999"])
def test_removing_no_such_reviewer_or_a_returned_one_is_refused(
    assigned, officer, reviewer, personas, unchanged, bad
):
    with unchanged(), pytest.raises(services.SoundingBoardError, match="not on this plan"):
        services.reviewer_remove(submission=assigned, assignment_id=bad, actor=officer)
    assignment = Assignment.objects.get()
    with unchanged(), pytest.raises(services.SoundingBoardError, match="Only the officers"):
        services.reviewer_remove(submission=assigned, assignment_id=assignment.pk, actor=personas[Role.CORE])
    services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    with unchanged(), pytest.raises(services.SoundingBoardError, match="returned their review"):
        services.reviewer_remove(submission=assigned, assignment_id=assignment.pk, actor=officer)


def test_a_signatory_or_reviewer_who_left_the_group_is_refused(
    group, assigned, signatory, reviewer, unchanged
):
    from gpvoice.core.models import Membership

    Membership.objects.filter(group=group, user__in=[signatory, reviewer]).delete()
    with unchanged(), pytest.raises(services.SoundingBoardError, match="Only members"):
        services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    with unchanged(), pytest.raises(services.SoundingBoardError, match="Only members"):
        services.submission_withdraw(submission=assigned, actor=signatory)
