"""Which models hold personal data, so that export, erasure and retention reach every one.

Core never imports the apps: each app registers its models in its ``AppConfig.ready()``
(``from . import privacy``), as home panels do (``core.panels``). A model is registered
once, with how to find one person's rows, which fields to export and how to erase them; a model
that looks personal but holds nothing about a person is declared with the reason. A test walks
every installed model and fails on one that is neither (``unclassified()``).

Erasure pseudonymises (see docs/adr/0006-personal-data.md): governance records stay, pointing at
a person or user whose name and contact details have been replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

PERSON_MODEL = "directory.Person"


@dataclass(frozen=True)
class Subject:
    """The person whose data is exported or erased: a directory person, a user, or both.

    ``emails`` holds every address known for them *before* erasure, so that rows found by
    address (an invitation) are still found while the erasure runs.
    """

    person: Any = None
    user: Any = None
    emails: frozenset[str] = field(default_factory=frozenset)

    @property
    def number(self) -> int:
        return int(self.person.pk if self.person is not None else self.user.pk)

    @property
    def pseudonym(self) -> str:
        return f"Erased person #{self.number}" if self.person is not None else f"Erased user #{self.number}"

    @property
    def erased_email(self) -> str:
        kind = "person" if self.person is not None else "user"
        return f"erased-{kind}-{self.number}@erased.invalid"


Finder = Callable[[Subject], Q]  # which rows are about (or by) the subject
Eraser = Callable[[Subject, QuerySet[Any]], int]


@dataclass(frozen=True)
class Holder:
    model: type[models.Model]
    find: Finder
    export: tuple[str, ...]
    erase: Eraser
    erasure: str  # what erasure does to these rows, in words (for the ADR and the report)

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows(self, subject: Subject) -> QuerySet[Any]:
        return self.model._default_manager.filter(self.find(subject)).distinct().order_by("pk")


@dataclass(frozen=True)
class RetentionRule:
    name: str
    setting: str  # the setting that sets the period
    apply: Callable[[datetime], int]  # deletes what is past its period; returns how many rows
    description: str


_HOLDERS: dict[str, Holder] = {}
_NONE: dict[str, str] = {}
_RETENTION: dict[str, RetentionRule] = {}


class AlreadyRegistered(Exception):
    pass


def _label(model: type[models.Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label


def _claim(label: str) -> None:
    if label in _HOLDERS or label in _NONE:
        raise AlreadyRegistered(f"{label} is already registered for personal data.")


def register(
    model: type[models.Model] | str, *, find: Finder, export: Iterable[str], erase: Eraser, erasure: str
) -> None:
    """Register a model holding personal data (once)."""
    resolved = apps.get_model(model) if isinstance(model, str) else model
    _claim(_label(resolved))
    _HOLDERS[_label(resolved)] = Holder(resolved, find, tuple(export), erase, erasure)


def declare_none(model: type[models.Model] | str, *, reason: str) -> None:
    """Declare that a model which may look personal holds nothing about a person, and why."""
    if not reason.strip():
        raise ValueError("Say why the model holds no personal data.")
    _claim(_label(model))
    _NONE[_label(model)] = reason


def register_retention(
    *, name: str, setting: str, apply: Callable[[datetime], int], description: str
) -> None:
    if name in _RETENTION:
        raise AlreadyRegistered(f"Retention rule {name} is already registered.")
    _RETENTION[name] = RetentionRule(name, setting, apply, description)


def holders() -> list[Holder]:
    return list(_HOLDERS.values())


def declared_none() -> dict[str, str]:
    return dict(_NONE)


def retention_rules() -> list[RetentionRule]:
    return list(_RETENTION.values())


# Finding rows -------------------------------------------------------------------------------


def by(*, person: Iterable[str] = (), user: Iterable[str] = (), email: Iterable[str] = ()) -> Finder:
    """A finder: rows whose ``person`` fields point at the subject's person, ``user`` fields at
    their user, or ``email`` fields hold one of their addresses (before erasure)."""
    person_fields, user_fields, email_fields = tuple(person), tuple(user), tuple(email)

    def find(subject: Subject) -> Q:
        q = Q(pk__in=[])
        if subject.person is not None:
            for name in person_fields:
                q |= Q(**{name: subject.person})
        if subject.user is not None:
            for name in user_fields:
                q |= Q(**{name: subject.user})
        for name in email_fields:
            for address in subject.emails:
                q |= Q(**{f"{name}__iexact": address})
        return q

    return find


# Erasing rows -------------------------------------------------------------------------------


def keep(subject: Subject, rows: QuerySet[Any]) -> int:
    """Rows kept as they are: a governance record that points at the (pseudonymised) person."""
    return 0


def delete(subject: Subject, rows: QuerySet[Any]) -> int:
    count = rows.count()
    rows.delete()
    return count


def replace(**values: Any) -> Eraser:
    """Overwrite fields; a value may be a function of the subject (``lambda s: s.pseudonym``)."""

    def erase(subject: Subject, rows: QuerySet[Any]) -> int:
        resolved = {k: v(subject) if callable(v) else v for k, v in values.items()}
        return rows.update(**resolved)

    return erase


# The check behind the test ------------------------------------------------------------------

_PERSONAL_NAMES = {"email", "phone", "full_name", "name"}


def looks_personal(model: type[models.Model]) -> list[str]:
    """Fields that suggest personal data: contact details, names, free text, links to a person."""
    found = []
    person_models = {settings.AUTH_USER_MODEL.lower(), PERSON_MODEL.lower()}
    for f in model._meta.get_fields():
        if f.auto_created and not f.concrete:
            continue  # reverse relations belong to the other model
        target = getattr(f, "related_model", None)
        if f.is_relation and target is not None and target._meta.label_lower in person_models:
            found.append(f.name)
        elif f.name in _PERSONAL_NAMES or f.name.endswith(("_name", "_email", "_phone")):
            found.append(f.name)
        elif isinstance(f, models.TextField | models.EmailField):
            found.append(f.name)
    return found


def unclassified() -> dict[str, list[str]]:
    """Installed models that look personal but are neither registered nor declared."""
    return {
        m._meta.label: fields
        for m in apps.get_models()
        if (fields := looks_personal(m)) and m._meta.label not in _HOLDERS and m._meta.label not in _NONE
    }
