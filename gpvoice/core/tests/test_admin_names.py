"""The back office names every model as a person would write it."""

from __future__ import annotations

import re

from django.apps import apps

# Plurals English does not make by adding an "s", and names with capitals of their own.
EXPECTED = {
    "directory.Person": ("person", "people"),
    "directory.FootprintEntry": ("footprint entry", "footprint entries"),
    "governance.RollEntry": ("roll entry", "roll entries"),
    "governance.TermsOfReference": ("terms of reference", "terms of reference"),
    "governance.GovernanceSettings": ("governance settings", "governance settings"),
    "core.AuditEntry": ("audit entry", "audit entries"),
    "api.ApiToken": ("API token", "API tokens"),
    "intake.Category": ("request category", "request categories"),
}


def _ours():
    return [m for m in apps.get_models() if m._meta.app_config.name.startswith("gpvoice.")]


def test_names_that_need_spelling_out_are_spelled_out():
    for label, (singular, plural) in EXPECTED.items():
        meta = apps.get_model(label)._meta
        assert (meta.verbose_name, meta.verbose_name_plural) == (singular, plural), label


def test_no_model_has_a_plural_made_by_a_blind_s():
    wrong = [
        f"{m._meta.label}: {m._meta.verbose_name_plural}"
        for m in _ours()
        if re.search(
            r"(?<![aeiou])ys$|ss$|\breferences$|settingss$|persons$", str(m._meta.verbose_name_plural)
        )
        or re.search(r"\bapi\b|\bods\b|\bicb\b|\bpcn\b", str(m._meta.verbose_name))
    ]
    assert wrong == []
