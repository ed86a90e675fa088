"""Two tabs declaring at once: one directory record for the person, both declarations kept."""

from __future__ import annotations

import pytest

from gpvoice.accounts.models import User
from gpvoice.core.tests.threads import run_together
from gpvoice.directory.models import Declaration, Person
from gpvoice.directory.services import declaration_declare

TABS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_declarations_make_one_directory_record():
    me = User.objects.create_user("racing.declarer@nhs.test", full_name="Dr Racing")
    errors = run_together(
        [
            lambda i=i: declaration_declare(actor=me, interest=f"Interest {i}", nature="Financial")
            for i in range(TABS)
        ]
    )
    assert errors == []
    assert Person.objects.filter(user=me).count() == 1
    assert Declaration.objects.filter(person__user=me).count() == TABS
