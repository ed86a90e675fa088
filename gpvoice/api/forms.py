from django import forms

from .models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=100, help_text="Which system will use it, e.g. 'ICB intranet'."
    )
    scope = forms.ChoiceField(label="What it may do", choices=Scope.choices, widget=forms.RadioSelect)
    valid_days = forms.IntegerField(
        label="Valid for (days)", min_value=1, max_value=366, initial=90, help_text="From 1 to 366 days."
    )
