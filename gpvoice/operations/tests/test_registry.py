"""Every model that may hold personal data is registered once, or declared with a reason."""

from __future__ import annotations

import pytest
from django.apps import apps

from gpvoice.core import personal_data as pd
from gpvoice.directory.models import ListSize, Person


def test_every_model_that_looks_personal_is_registered_or_declared():
    missing = pd.unclassified()
    assert missing == {}, (
        "Register these models in their app's privacy.py (core.personal_data.register) or declare "
        f"them with a reason (declare_none): {missing}"
    )


def test_a_new_model_with_personal_fields_would_fail_the_walk(monkeypatch):
    without_person = {k: v for k, v in pd._HOLDERS.items() if k != "directory.Person"}
    monkeypatch.setattr(pd, "_HOLDERS", without_person)
    assert pd.unclassified() == {"directory.Person": ["full_name", "email", "phone", "user"]}


def test_the_walk_flags_names_contact_details_free_text_and_links_to_people():
    assert pd.looks_personal(Person) == ["full_name", "email", "phone", "user"]
    assert pd.looks_personal(ListSize) == []
    assert "proposer_name" in pd.looks_personal(apps.get_model("priorities.Nomination"))
    assert "text" in pd.looks_personal(apps.get_model("priorities.DeliveryUpdate"))
    assert "cast_by" in pd.looks_personal(apps.get_model("ballots.Vote"))


def test_registrations_name_installed_models_and_real_fields():
    installed = {m._meta.label for m in apps.get_models()}
    for holder in pd.holders():
        assert holder.label in installed
        for name in holder.export:
            holder.model._meta.get_field(name)  # raises FieldDoesNotExist on a typo
        assert holder.erasure.strip()
    assert set(pd.declared_none()) <= installed
    assert all(reason.strip() for reason in pd.declared_none().values())


def test_a_model_is_registered_only_once():
    with pytest.raises(pd.AlreadyRegistered):
        pd.declare_none("directory.Person", reason="would hide a registered model")
    with pytest.raises(pd.AlreadyRegistered):
        pd.register(Person, find=pd.by(person=["pk"]), export=(), erase=pd.keep, erasure="again")
    with pytest.raises(ValueError, match="why"):
        pd.declare_none("directory.ListSize", reason="  ")


def test_secrets_are_never_exported():
    authenticator = next(h for h in pd.holders() if h.label == "mfa.Authenticator")
    user = next(h for h in pd.holders() if h.label == "accounts.User")
    assert "data" not in authenticator.export and "password" not in user.export
