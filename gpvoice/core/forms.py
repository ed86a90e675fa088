from __future__ import annotations

from django import forms

from .models import Role


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label="Role in this group", choices=Role.choices)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254, help_text="Usually their NHSmail address."
    )
    role = forms.ChoiceField(label="Role in this group", choices=Role.choices)
