from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gpvoice.core.models import AuditEntry
from gpvoice.directory.models import OrgType
from gpvoice.directory.tests.factories import OrganisationFactory
from gpvoice.intake import links, services
from gpvoice.intake.models import AccessRequest, Attachment, Status, StatusChange

from .conftest import DETAILS, at, receive, submit

PDF = b"%PDF-1.7\n1 0 obj\n"


def test_a_submission_waits_for_its_email_check_and_keeps_only_the_hash(group):
    request, token = submit(group)
    assert request.status == Status.UNVERIFIED and request.reference == ""
    assert request.verify_hash == links.digest(token) and token not in request.verify_hash
    email = mail.outbox[-1]
    assert email.to == ["alex@icb.nhs.test"]
    assert email.from_email == "Northvale Leadership Group <no-reply@gpvoice.invalid>"
    assert not AuditEntry.objects.filter(action__startswith="intake.").exists()  # not yet a record


def test_confirming_numbers_the_request_and_sends_the_reference_and_tracking_link(group):
    with at(date(2027, 3, 1)):
        first, _ = receive(group)
        request, tracking = receive(group, email="sam@trust.nhs.test")
    assert first.reference == "SPA-2027-0001"
    assert request.reference == "SPA-2027-0002"
    assert request.status == Status.RECEIVED and request.received_at is not None
    assert request.tracking_hash == links.digest(tracking)
    ack = mail.outbox[-1]
    assert ack.subject == "SPA-2027-0002: we have your request"
    assert f"/spa/track/{tracking}/" in ack.body
    assert AuditEntry.objects.filter(action="intake.request.received").count() == 2
    assert list(StatusChange.objects.filter(request=request).values_list("status", flat=True)) == ["received"]


def test_references_restart_each_year_and_each_group(group, other_group):
    with at(date(2026, 12, 31), 23):
        assert receive(group)[0].reference == "SPA-2026-0001"
    with at(date(2027, 1, 1), 0):
        assert receive(group)[0].reference == "SPA-2027-0001"
        assert receive(other_group)[0].reference == "SPA-2027-0001"


def test_a_known_organisation_is_linked_by_ods_code_or_name(group):
    trust = OrganisationFactory(org_type=OrgType.TRUST, ods_code="RX1", name="Northvale Hospitals NHS Trust")
    assert submit(group, organisation="rx1")[0].organisation == trust
    assert submit(group, organisation="Northvale Hospitals NHS Trust", ip="10.0.0.2")[0].organisation == trust
    chosen = submit(group, organisation="Northvale Hospitals NHS Trust (RX1)", ip="10.0.0.4")[0]
    assert chosen.organisation == trust and chosen.organisation_name == trust.name
    free = submit(group, organisation="Northvale Carers Network", ip="10.0.0.3")[0]
    assert free.organisation is None and free.organisation_name == "Northvale Carers Network"


def test_a_practice_is_not_a_system_partner_so_its_code_stays_text(group):
    OrganisationFactory(org_type=OrgType.PRACTICE, ods_code="A12345", name="Hill Surgery")
    assert submit(group, organisation="A12345")[0].organisation is None


def test_a_link_opened_twice_is_refused_the_second_time(group, unchanged):
    _, token = submit(group)
    services.request_verify(token=token)
    with unchanged(), pytest.raises(services.IntakeError, match="not valid"):
        services.request_verify(token=token)


def test_an_expired_link_is_refused_and_changes_nothing(group, unchanged):
    with at(date(2027, 3, 1), 9):
        _, token = submit(group)
    with at(date(2027, 3, 2), 9), unchanged(), pytest.raises(services.IntakeError, match="expired"):
        services.request_verify(token=token)  # exactly 24 hours later: expired
    with at(date(2027, 3, 2), 8):
        assert services.request_verify(token=token)[0].reference == "SPA-2027-0001"  # an hour earlier: fine


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "A" * 44, "\x00" * 43, None, 42, "<script>"])
def test_forged_verification_tokens_change_nothing(group, unchanged, token):
    submit(group)
    with unchanged(), pytest.raises(services.IntakeError):
        services.request_verify(token=token)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", "", "Enter the subject"),
        ("subject", "   ", "Enter the subject"),
        ("subject", "x" * 201, "200 characters or fewer"),
        ("body", "a\x00b", "cannot be stored"),
        ("body", "x" * 20_001, "20,000 characters"),
        ("email", "not-an-email", "email address like"),
        ("name", ["a list"], "as text"),
        ("organisation", "", "Enter your organisation"),
        ("wanted_by", date(2000, 1, 1), "today or later"),
        ("wanted_by", "tomorrow", "today or later"),
    ],
)
def test_bad_submissions_are_refused_clearly_and_keep_nothing(group, unchanged, field, value, message):
    mail.outbox.clear()
    with unchanged(), pytest.raises(services.IntakeError, match=message):
        services.request_submit(group=group, ip="10.0.0.9", **{**DETAILS, field: value})
    assert mail.outbox == []


def test_files_of_the_allowed_kinds_are_stored_through_the_default_storage(group):
    request, _ = submit(
        group,
        files=[
            SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("notes.TXT", b"Plain notes", "text/plain"),
        ],
    )
    stored = list(Attachment.objects.filter(request=request).order_by("pk"))
    assert [a.name for a in stored] == ["plan.pdf", "notes.TXT"]
    assert stored[0].file.read() == PDF
    assert "plan" not in stored[0].file.name  # the requester's name never reaches the storage path


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("run.exe", b"MZ", "not a file type we accept"),
        ("page.html", b"<script>", "not a file type we accept"),
        ("noextension", b"x", "not a file type we accept"),
        ("fake.pdf", b"<html>not a pdf", "not a real .pdf"),
        ("fake.png", PDF, "not a real .png"),
        ("empty.txt", b"", "is empty"),
        ("bin.txt", b"a\x00b", "not a plain text"),
        ("latin.txt", b"\xff\xfe\xfa", "not a plain text"),
    ],
)
def test_files_of_other_kinds_or_forged_contents_are_refused(group, unchanged, name, data, message):
    with unchanged(), pytest.raises(services.IntakeError, match=message):
        services.request_submit(group=group, ip="10.0.0.9", files=[SimpleUploadedFile(name, data)], **DETAILS)


def test_file_size_and_count_limits_are_settings_checked_at_the_boundary(group, settings, unchanged):
    settings.INTAKE_MAX_FILE_BYTES = 1024 * 1024
    settings.INTAKE_MAX_FILES = 2
    just = SimpleUploadedFile("a.txt", b"a" * (1024 * 1024))
    submit(group, files=[just])  # exactly the limit: accepted
    with unchanged(), pytest.raises(services.IntakeError, match="larger than 1 MB"):
        submit(group, ip="10.0.0.2", files=[SimpleUploadedFile("b.txt", b"a" * (1024 * 1024 + 1))])
    two = [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(2)]
    submit(group, ip="10.0.0.3", files=two)
    with unchanged(), pytest.raises(services.IntakeError, match="at most 2 files"):
        submit(group, ip="10.0.0.4", files=[SimpleUploadedFile(f"{i}.txt", b"x") for i in range(3)])


def test_the_form_is_rate_limited_per_address_and_per_email(group, settings, unchanged):
    settings.INTAKE_RATE_PER_IP_PER_HOUR = 3
    settings.INTAKE_RATE_PER_EMAIL_PER_HOUR = 2
    for i in range(3):
        submit(group, ip="10.9.9.9", email=f"p{i}@x.nhs.test")
    with unchanged(), pytest.raises(services.RateLimited):
        submit(group, ip="10.9.9.9", email="p9@x.nhs.test")
    submit(group, ip="10.0.0.1", email="same@x.nhs.test")
    submit(group, ip="10.0.0.2", email="same@x.nhs.test")
    with unchanged(), pytest.raises(services.RateLimited):
        submit(group, ip="10.0.0.3", email="SAME@x.nhs.test")


def test_confirmation_keeps_the_reference_counter_gap_free_when_a_confirmation_fails(group):
    _, token = submit(group)
    with at(date(2027, 5, 1)):
        a, _ = receive(group)
    with at(date(2027, 5, 2)), pytest.raises(services.IntakeError):
        services.request_verify(token="B" * 43)
    with at(date(2027, 5, 3)):
        b, _ = receive(group)
    assert (a.reference, b.reference) == ("SPA-2027-0001", "SPA-2027-0002")
    assert AccessRequest.objects.filter(status=Status.UNVERIFIED).count() == 1
    assert timezone.now() - timedelta(days=1) < timezone.now()


def test_a_hostile_file_name_is_kept_for_display_only(group):
    request, _ = submit(group, files=[SimpleUploadedFile("../../etc/<b>passwd</b>.txt", b"hello")])
    attachment = request.attachments.get()
    assert attachment.name.endswith(".txt")
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name
    assert attachment.file.name.startswith(f"intake/{group.pk}/{request.pk}/")
