from __future__ import annotations

from django import forms

from .models import Organisation, OrgStatus, OrgType
from .selectors import Scope
from .services import FOOTPRINT_TYPES


class PracticeFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            (Scope.FOOTPRINT, "This group's footprint"),
            (Scope.ENGLAND, "All practices in England (reference data)"),
        ],
    )
    q = forms.CharField(label="Search by name, ODS code or postcode", required=False, max_length=100)
    icb = forms.ChoiceField(label="ICB", required=False)
    sub_icb = forms.ChoiceField(label="Sub-ICB location", required=False)
    pcn = forms.CharField(label="PCN code", required=False, max_length=6, help_text="For example, U12345")
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *OrgStatus.choices]
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[
            ("name", "Name"),
            ("-list_size", "List size, largest first"),
            ("list_size", "List size, smallest first"),
        ],
    )

    def __init__(self, *args: object, choices: dict[str, list[tuple[str, str]]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["icb"].choices = [("", "Any ICB"), *choices.get(OrgType.ICB, [])]  # type: ignore[attr-defined]
        self.fields["sub_icb"].choices = [("", "Any sub-ICB location"), *choices.get(OrgType.SUB_ICB, [])]  # type: ignore[attr-defined]

    def clean_scope(self) -> str:
        return self.cleaned_data["scope"] or Scope.FOOTPRINT

    def clean_pcn(self) -> str:
        return self.cleaned_data["pcn"].strip().upper()


class FootprintSearchForm(forms.Form):
    """Find an ICB, sub-ICB location, PCN or practice by name or ODS code: the type is found by itself."""

    q = forms.CharField(
        label="Search by name or ODS code",
        help_text="For example, Riverside, QHM, 16C, U12345 or A81001",
        max_length=100,
        required=False,
    )

    def clean_q(self) -> str:
        return str(self.cleaned_data["q"]).strip()  # NUL bytes are refused by CharField itself


class FootprintAddForm(forms.Form):
    """Add by ODS code alone: the organisation's type is found from the code (``org_type`` is ignored)."""

    ods_code = forms.CharField(
        label="ODS code", max_length=12, help_text="For example, QHM, 16C, U12345 or A81001"
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        code = str(data.get("ods_code", "")).strip().upper()
        if code:
            found = list(Organisation.objects.filter(org_type__in=FOOTPRINT_TYPES, ods_code=code)[:2])
            if not found:
                self.add_error(
                    "ods_code", f"There is no ICB, sub-ICB location, PCN or practice with the code {code}."
                )
            elif len(found) > 1:
                self.add_error("ods_code", f"More than one organisation has the code {code}: search by name.")
            else:
                data["organisation"] = found[0]
        return data
