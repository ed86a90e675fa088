"""Subject access export and erasure: everything found, governance records and tallies intact."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

from conftest import make_member
from gpvoice.accounts.models import User
from gpvoice.ballots.models import Ballot, Elector, Kind, Participation, Status, Vote
from gpvoice.ballots.services import compute_result
from gpvoice.core import audit
from gpvoice.core.models import AuditEntry, Membership, Role
from gpvoice.directory.models import Person
from gpvoice.directory.tests.factories import PersonFactory
from gpvoice.governance.models import MandateAnswer, RollEntry
from gpvoice.operations.backups.checks import row_counts
from gpvoice.operations.services.privacy import DataProtectionError, person_erase, person_export, subject_for


@contextmanager
def unchanged():
    def state():
        return (
            row_counts(),
            list(Person.objects.order_by("pk").values_list("full_name", "email", "phone")),
            list(User.objects.order_by("pk").values_list("email", "full_name", "is_active", "password")),
        )

    before = state()
    yield
    assert state() == before, "a refused erasure changed the database"


def dump_without_audit_log() -> str:
    """Every row of every model except the audit log, as JSON: 'the export of other data'."""
    parts = [
        serializers.serialize("json", m._default_manager.all())
        for m in apps.get_models(include_auto_created=True)
        if m is not AuditEntry and m._meta.managed
    ]
    return "\n".join(parts).lower()


@pytest.fixture
def member(group, personas):
    """A core member with a person, a sign-in address and a second (other) admin in the group."""
    user = make_member(group, Role.CORE, "dr.jane.marsh@nhs.test")
    user.full_name = "Dr Jane Marsh"
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return PersonFactory(
        full_name="Dr Jane Marsh", email="jane.marsh@nhs.test", phone="01234 567890", user=user
    )


@pytest.mark.django_db
def test_erasure_on_the_demo_keeps_tallies_and_chain_and_leaves_the_name_nowhere_else(capsys):
    call_command("load-demo")
    # A signatory who voted in open and secret ballots and answered the mandate.
    person = (
        Person.objects.filter(user__in=Vote.objects.values("cast_by"))
        .filter(user__in=Participation.objects.values("cast_by"))
        .select_related("user")
        .first()
    )
    name, emails = person.full_name.lower(), {person.email.lower(), person.user.email.lower()}
    assert name in dump_without_audit_log()
    counted = list(Ballot.objects.filter(kind=Kind.BALLOT, status__in=[Status.CLOSED, Status.PUBLISHED]))
    kept = (Vote.objects.count(), MandateAnswer.objects.count(), RollEntry.objects.count())
    capsys.readouterr()

    call_command("person-erase", str(person.pk), reason="SAR-2026-0001")

    assert f"Erased person #{person.pk}" in capsys.readouterr().out
    call_command("verify-audit")  # raises CommandError on a broken chain
    for ballot in counted:
        ballot.refresh_from_db()
        assert compute_result(ballot=ballot) == ballot.result, ballot.pk
    assert (Vote.objects.count(), MandateAnswer.objects.count(), RollEntry.objects.count()) == kept
    text = dump_without_audit_log()
    assert name not in text
    assert not any(email in text for email in emails)
    person.refresh_from_db()
    person.user.refresh_from_db()
    assert (person.full_name, person.email, person.phone) == (f"Erased person #{person.pk}", "", "")
    assert not person.user.is_active and not person.user.has_usable_password()
    assert not Membership.objects.filter(user=person.user).exists()


@pytest.mark.django_db
def test_export_lists_what_is_held_and_is_audited(member, group, personas, tmp_path):
    admin = personas[Role.ADMIN]
    audit.record(action="test.acted", actor=member.user, group=group)
    audit.record(action="test.about", actor=admin, group=group, obj=member)
    out = tmp_path / "export.json"
    call_command("person-export", str(member.pk), output=out)
    document = json.loads(out.read_text())
    records = document["records"]
    assert document["person"] == member.pk and document["user"] == member.user_id
    assert records["directory.Person"][0]["full_name"] == "Dr Jane Marsh"
    assert records["directory.Person"][0]["phone"] == "01234 567890"
    assert records["accounts.User"][0]["email"] == "dr.jane.marsh@nhs.test"
    assert records["core.Membership"][0]["role"] == "core"
    assert records["account.EmailAddress"][0]["email"] == "dr.jane.marsh@nhs.test"
    entries = {e["action"]: e["actor"] for e in records["core.AuditEntry"]}
    assert entries == {"test.acted": member.user_id, "test.about": admin.pk}
    assert admin.email not in out.read_text()  # other people appear by id
    entry = AuditEntry.objects.filter(action="operations.person.exported").get()
    assert (entry.object_type, entry.object_id, entry.group_id) == ("directory.Person", str(member.pk), None)


@pytest.mark.django_db
def test_erasure_pseudonymises_signs_out_and_is_audited_in_platform_and_group(member, group):
    report = person_erase(subject=subject_for(person_id=member.pk), reason="SAR-7")
    member.refresh_from_db()
    user = User.objects.get(pk=member.user_id)
    assert member.full_name == f"Erased person #{member.pk}" and member.email == member.phone == ""
    assert user.email == f"erased-user-{user.pk}@erased.invalid" and user.full_name == member.full_name
    assert not user.is_active and not user.is_staff and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert report.changed["core.Membership"] == 1
    entries = AuditEntry.objects.filter(action="operations.person.erased")
    assert sorted(e.group_id or 0 for e in entries) == [0, group.pk]
    assert entries.get(group=None).data["reason"] == "SAR-7"
    assert audit.verify_chain().ok


@pytest.mark.django_db
def test_invitations_to_the_person_lose_the_address(member, group, personas):
    from gpvoice.accounts.services import invitation_create

    invitation, _ = invitation_create(
        group=group,
        email="jane.marsh@nhs.test",
        role=Role.OBSERVER,
        invited_by=personas[Role.ADMIN],
        base_url="x",
    )
    person_erase(subject=subject_for(person_id=member.pk), reason="SAR-8")
    invitation.refresh_from_db()
    assert invitation.email == f"erased-person-{member.pk}@erased.invalid"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reason, message",
    [
        ("", "reason"),
        ("x" * 201, "reason"),
        ("SAR \x00", "reason"),
        ("Request from dr jane marsh", "must not contain"),
        ("re JANE.MARSH@nhs.test", "must not contain"),
    ],
)
def test_a_bad_reason_is_refused_and_changes_nothing(member, reason, message):
    with unchanged(), pytest.raises(DataProtectionError, match=message):
        person_erase(subject=subject_for(person_id=member.pk), reason=reason)


@pytest.mark.django_db
def test_the_last_admin_of_a_group_cannot_be_erased(group, personas):
    admin = personas[Role.ADMIN]
    person = PersonFactory(full_name="Only Admin", email="", user=admin)
    with unchanged(), pytest.raises(DataProtectionError, match="last admin of Northvale"):
        person_erase(subject=subject_for(person_id=person.pk), reason="SAR-9")
    make_member(group, Role.ADMIN, "second.admin@nhs.test")
    person_erase(subject=subject_for(person_id=person.pk), reason="SAR-9")  # now there is another


@pytest.mark.django_db
def test_only_a_platform_administrator_may_erase_or_export(member, personas):
    subject = subject_for(person_id=member.pk)
    with unchanged(), pytest.raises(DataProtectionError, match="platform administrator"):
        person_erase(subject=subject, actor=personas[Role.ADMIN], reason="SAR-10")
    with unchanged(), pytest.raises(DataProtectionError, match="platform administrator"):
        person_export(subject=subject, actor=personas[Role.ADMIN])
    root = User.objects.create_superuser(email="root@nhs.test")
    person_erase(subject=subject, actor=root, reason="SAR-10")
    assert AuditEntry.objects.filter(action="operations.person.erased", actor=root).exists()


@pytest.mark.django_db
def test_a_second_erasure_is_refused(member):
    person_erase(subject=subject_for(person_id=member.pk), reason="SAR-11")
    with unchanged(), pytest.raises(DataProtectionError, match="already been erased"):
        person_erase(subject=subject_for(person_id=member.pk), reason="SAR-11")


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["abc", "-1", "1\x00", "<b>1</b>", "99999999", "9" * 40, ""])
def test_a_bad_or_unknown_id_is_a_clear_error(member, raw):
    with unchanged():
        with pytest.raises(CommandError):
            call_command("person-export", raw)
        with pytest.raises(CommandError):
            call_command("person-erase", raw, reason="SAR-12")


@pytest.mark.django_db
def test_a_user_without_a_person_can_be_erased_by_user_id(group, personas):
    user = make_member(group, Role.OBSERVER, "observer.two@nhs.test")
    call_command("person-erase", str(user.pk), user=True, reason="SAR-13")
    user.refresh_from_db()
    assert user.full_name == f"Erased user #{user.pk}" and not user.is_active


@pytest.mark.django_db
def test_a_core_members_elector_label_takes_the_pseudonym(member, group):
    ballot = Ballot.objects.create(group=group, title="Chair", question="Who chairs?")
    elector = Elector.objects.create(ballot=ballot, person=member, label=member.full_name, weight=1)
    practice_elector_labels = list(Elector.objects.exclude(pk=elector.pk).values_list("label", flat=True))
    person_erase(subject=subject_for(person_id=member.pk), reason="SAR-14")
    elector.refresh_from_db()
    assert elector.label == f"Erased person #{member.pk}"
    assert (
        list(Elector.objects.exclude(pk=elector.pk).values_list("label", flat=True))
        == practice_elector_labels
    )


@pytest.mark.django_db(transaction=True)
def test_two_erasures_at_once_erase_once_and_keep_the_chain(member):
    from gpvoice.core.tests.threads import run_together

    subject = subject_for(person_id=member.pk)
    errors = run_together(
        [lambda: person_erase(subject=subject, reason="SAR-15")] * 4, refusals=(DataProtectionError,)
    )
    assert errors == []
    assert AuditEntry.objects.filter(action="operations.person.erased", group=None).count() == 1
    assert audit.verify_chain().ok
