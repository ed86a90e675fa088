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


class FootprintAddForm(forms.Form):
    org_type = forms.ChoiceField(label="Add by", choices=[(t.value, t.label) for t in FOOTPRINT_TYPES])
    ods_code = forms.CharField(
        label="ODS code", max_length=12, help_text="For example, QHM, 16C, U12345 or A81001"
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        org_type, code = data.get("org_type"), str(data.get("ods_code", "")).strip().upper()
        if org_type and code:
            organisation = Organisation.objects.filter(org_type=org_type, ods_code=code).first()
            if organisation is None:
                label = OrgType(org_type).label
                self.add_error("ods_code", f"There is no {label} with the code {code} in the directory.")
            else:
                data["organisation"] = organisation
        return data
