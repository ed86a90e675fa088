"""The Django admin cannot change a ballot once it has left draft."""

import pytest

from gpvoice.ballots.models import Ballot


@pytest.fixture
def back_office(client, admin, strong_login):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    strong_login(client, admin)
    return client


@pytest.mark.django_db
def test_admin_shows_an_open_ballot_read_only_and_cannot_change_it(back_office, make_ballot):
    ballot = make_ballot()
    url = f"/admin/ballots/ballot/{ballot.pk}/change/"
    page = back_office.get(url).content.decode()
    assert page.count('name="method"') == 0, "the method is shown, not offered for change"
    option = ballot.options.first()
    back_office.post(
        url,
        {
            "method": "single",
            "title": "Changed",
            "options-TOTAL_FORMS": "1",
            "options-INITIAL_FORMS": "1",
            "options-0-id": option.pk,
            "options-0-label": "Perhaps",
            "reminders-TOTAL_FORMS": "0",
            "reminders-INITIAL_FORMS": "0",
        },
    )
    ballot.refresh_from_db()
    assert ballot.method == "yes_no" and ballot.title == "Extended access"
    assert [o.label for o in ballot.options.all()] == ["Yes", "No"]
    assert back_office.post(f"/admin/ballots/ballot/{ballot.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Ballot.objects.filter(pk=ballot.pk).exists()


@pytest.mark.django_db
def test_admin_cannot_add_change_or_delete_even_a_draft(back_office, group, admin):
    from gpvoice.ballots import services
    from gpvoice.core.models import AuditEntry

    draft = services.ballot_create(
        group=group,
        draft=services.Draft(
            title="Draft", question="Q?", method="single", electorate="practices", options=["A", "B"]
        ),
        actor=admin,
    )
    audit_before = AuditEntry.objects.count()
    url = f"/admin/ballots/ballot/{draft.pk}/change/"
    page = back_office.get(url)
    assert page.status_code == 200 and 'name="title"' not in page.content.decode()
    back_office.post(url, {"title": "Changed", "method": "yes_no", "options-TOTAL_FORMS": "0"})
    assert back_office.get("/admin/ballots/ballot/add/").status_code == 403
    assert back_office.post(f"/admin/ballots/ballot/{draft.pk}/delete/", {"post": "yes"}).status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Draft" and draft.method == "single" and draft.options.count() == 2
    assert AuditEntry.objects.count() == audit_before
    for model in ("option", "reminder", "vote", "elector", "sealedchoice", "participation"):
        assert back_office.get(f"/admin/ballots/{model}/").status_code == 404
