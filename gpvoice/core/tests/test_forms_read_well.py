"""Every form rendered through forms/fields.jinja: summaries that name the field, length limits."""

from __future__ import annotations

import pytest
from django import forms

from gpvoice.core.formrender import form_error_list, naming_the_field
from gpvoice.core.models import Role


class _Form(forms.Form):
    title = forms.CharField(label="Title", max_length=10)
    name = forms.CharField(label="Your name", error_messages={"required": "Enter your name."})


def test_summary_lines_name_the_field_unless_the_message_already_does():
    form = _Form(data={"title": "x" * 11, "name": ""})
    assert not form.is_valid()
    texts = [item["text"] for item in form_error_list(form)]
    assert texts == ["Title: Ensure this value has at most 10 characters (it has 11).", "Enter your name."]
    assert naming_the_field("Email address", "Enter a valid email address.") == "Enter a valid email address."
    assert naming_the_field("", "Something is wrong.") == "Something is wrong."


@pytest.mark.django_db
def test_invite_page_names_the_field_and_limits_the_address(client, group, personas, strong_login):
    strong_login(client, personas[Role.ADMIN])
    page = client.get(f"/g/{group.slug}/people/invite/").content.decode()
    assert 'maxlength="254"' in page
    refused = client.post(f"/g/{group.slug}/people/invite/", {"email": "", "role": "core"}).content.decode()
    summary = " ".join(refused.split("nhsuk-error-summary__list")[1].split("</ul>")[0].split())
    assert 'href="#id_email" > Email address: This field is required.' in summary
