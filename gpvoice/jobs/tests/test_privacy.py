"""The outbox joins subject access and erasure: a person's messages are found by exact address."""

import pytest

from gpvoice.core import personal_data as pd
from gpvoice.jobs.mail import queue_email
from gpvoice.jobs.models import OutgoingEmail


def _holder():
    return next(h for h in pd.holders() if h.model is OutgoingEmail)


@pytest.mark.django_db
def test_a_persons_messages_are_found_by_their_exact_address_and_erased():
    queue_email(key="a", to=["Gp@Example.nhs.uk"], subject="Yours", body="x")
    queue_email(key="b", to=["other.gp@example.nhs.uk"], subject="Not yours", body="x")  # contains it
    subject = pd.Subject(emails=frozenset({"gp@example.nhs.uk"}))
    found = OutgoingEmail.objects.filter(_holder().find(subject))
    assert list(found.values_list("subject", flat=True)) == ["Yours"]
    _holder().erase(subject, found)
    assert list(OutgoingEmail.objects.values_list("subject", flat=True)) == ["Not yours"]


@pytest.mark.django_db
def test_someone_with_no_address_finds_nothing():
    queue_email(key="a", to=["gp@example.nhs.uk"], subject="Yours", body="x")
    assert not OutgoingEmail.objects.filter(_holder().find(pd.Subject())).exists()
