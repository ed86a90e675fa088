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
