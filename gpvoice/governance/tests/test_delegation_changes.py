"""Admins change a line of the scheme of delegation and record its reviews, with history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from gpvoice.core.models import AuditEntry, Role
from gpvoice.governance import services
from gpvoice.governance.models import Authority, CategoryChange, DecisionCategory
from gpvoice.governance.panels import delegation_review_panel

TODAY = date.today()


@pytest.fixture
def admin(personas):
    return personas[Role.ADMIN]


@pytest.fixture
def category(group, admin):
    with time_machine.travel(TODAY):
        return services.category_create(
            group=group,
            actor=admin,
            name="Small spend",
            authority=Authority.EXECUTIVE,
            spend_limit=Decimal(500),
            review_date=TODAY - timedelta(days=1),  # due yesterday: overdue
        )


@pytest.mark.django_db
def test_changing_a_line_keeps_each_version_in_its_history(category, admin):
    services.category_update(
        category=category,
        actor=admin,
        authority=Authority.GROUP,
        spend_limit=Decimal(1000),
        review_date=date(2028, 1, 1),
        note="The group keeps larger spends.",
    )
    category.refresh_from_db()
    assert (category.authority, category.spend_limit) == (Authority.GROUP, Decimal(1000))
    history = list(CategoryChange.objects.filter(category=category).order_by("pk"))
    assert [h.kind for h in history] == ["created", "changed"]
    assert (history[0].authority, history[0].spend_limit) == (Authority.EXECUTIVE, Decimal(500))
    assert history[1].note == "The group keeps larger spends." and history[1].changed_by == admin
    entry = AuditEntry.objects.get(action="governance.category.changed")
    assert entry.data["was"]["authority"] == "executive" and entry.data["now"]["authority"] == "group"


@pytest.mark.django_db
def test_a_done_review_clears_the_overdue_warning(category, admin):
    with time_machine.travel(TODAY):
        assert category.review_overdue()
        services.category_review_done(
            category=category, actor=admin, next_review=TODAY + timedelta(days=1), note="Still right."
        )
        category.refresh_from_db()
        assert not category.review_overdue()
    assert CategoryChange.objects.filter(category=category, kind="reviewed").count() == 1


@pytest.mark.django_db
def test_the_next_review_must_be_after_today(category, admin, unchanged):
    """Boundary: today is refused, tomorrow is accepted."""
    with time_machine.travel(TODAY):
        for bad in (TODAY, TODAY - timedelta(days=5), "tomorrow", None, TODAY + timedelta(days=3651)):
            with unchanged(), pytest.raises(services.GovernanceError):
                services.category_review_done(category=category, actor=admin, next_review=bad)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"authority": "dictator"}, "Choose who decides"),
        ({"spend_limit": Decimal(-1)}, "spend ceiling"),
        ({"spend_limit": "lots"}, "spend ceiling"),
        ({"review_date": "soon"}, "review date"),
        ({"note": "x" * 2001}, "2,000 characters"),
        ({"note": "nul\x00byte"}, "cannot be stored"),
        ({}, "Nothing has changed"),
    ],
)
def test_bad_changes_are_refused_and_change_nothing(category, admin, unchanged, fields, message):
    same = {
        "authority": category.authority,
        "spend_limit": category.spend_limit,
        "review_date": category.review_date,
    }
    with unchanged(), pytest.raises(services.GovernanceError, match=message):
        services.category_update(category=category, actor=admin, **{**same, **fields})


@pytest.mark.django_db
def test_the_overdue_panel_is_shown_only_to_those_who_can_act(rf, group, personas, category):
    shown = {}
    for role in (Role.ADMIN, Role.EXECUTIVE, Role.CORE, Role.PRACTICE_STAFF):
        request = rf.get("/")
        request.group, request.membership = group, personas[role].memberships.get(group=group)
        shown[role] = delegation_review_panel(request) is not None
    assert shown == {Role.ADMIN: True, Role.EXECUTIVE: False, Role.CORE: False, Role.PRACTICE_STAFF: False}


@pytest.mark.django_db
def test_the_admin_changes_and_reviews_from_the_page(client, group, admin, strong_login, category, personas):
    strong_login(client, admin)
    url = f"/g/{group.slug}/delegation/{category.pk}/"
    listing = client.get(f"/g/{group.slug}/delegation/").content.decode()
    assert url in listing and "Review overdue" in listing
    response = client.post(url, {"review": "1", "next_review": "31/12/2030", "review_note": "Fine"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Reviewed" in page and "Fine" in page and "Review overdue" not in page
    response = client.post(
        url, {"authority": "group", "spend_limit": "", "review_date": "31/12/2030", "note": "Moved"}
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.authority == "group" and category.spend_limit is None
    # A member sees the scheme, without links to change it or the overdue warning.
    client.force_login(personas[Role.CORE])
    DecisionCategory.objects.filter(pk=category.pk).update(review_date=date(2000, 1, 1))
    member_view = client.get(f"/g/{group.slug}/delegation/").content.decode()
    assert url not in member_view and "Review overdue" not in member_view
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_review_date_of_today_is_named_on_the_page(client, group, admin, strong_login, category, unchanged):
    strong_login(client, admin)
    with unchanged():
        page = client.post(
            f"/g/{group.slug}/delegation/{category.pk}/",
            {"review": "1", "next_review": date.today().strftime("%d/%m/%Y")},
        ).content.decode()
    assert "must be after today" in page and "#id_next_review" in page


@pytest.mark.django_db
def test_another_groups_category_is_a_404(client, group, other_group, admin, strong_login, outsider):
    theirs = DecisionCategory.objects.create(
        group=other_group, name="Theirs", authority=Authority.GROUP, review_date=date(2030, 1, 1)
    )
    strong_login(client, admin)
    assert client.get(f"/g/{group.slug}/delegation/{theirs.pk}/").status_code == 404
