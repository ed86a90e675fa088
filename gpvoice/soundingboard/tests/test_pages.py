"""The pages, as each person uses them: who reaches what, files behind a check, refusals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_member
from gpvoice.core.models import Role
from gpvoice.directory.tests.factories import DeclarationFactory
from gpvoice.soundingboard import services
from gpvoice.soundingboard.models import Assignment, Status, Submission

from .conftest import ANSWERS, PDF

pytestmark = pytest.mark.django_db


def _url(name, group, *args):
    return reverse(f"soundingboard:{name}", args=[group.slug, *args])


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def test_a_signatory_submits_through_the_page_and_downloads_the_document(client, group, practice, signatory):
    client.force_login(signatory)
    assert "Submit a plan" in _body(client.get(_url("list", group)))
    response = client.post(
        _url("new", group),
        {
            "organisation": practice.pk,
            "title": "Extended access hub",
            "plan": "Our *plan*",
            "perspectives": ["funder", "commissioner"],
            "documents": [SimpleUploadedFile("Plan.pdf", PDF, content_type="application/pdf")],
        },
    )
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", group, submission.pk)
    page = _body(client.get(response["Location"]))
    assert "Extended access hub" in page and "<em>plan</em>" in page
    document = submission.documents.get()
    download = client.get(_url("document", group, submission.pk, document.pk))
    assert download.status_code == 200 and _body(download) == PDF.decode()
    assert download["Cache-Control"] == "no-store" and download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]


def test_a_disguised_file_gets_a_clear_message_and_changes_nothing(
    client, group, practice, signatory, unchanged
):
    client.force_login(signatory)
    with unchanged():
        response = client.post(
            _url("new", group),
            {
                "organisation": practice.pk,
                "title": "Plan",
                "plan": "Text",
                "perspectives": ["funder"],
                "documents": [SimpleUploadedFile("Plan.pdf", b"<script>alert(1)</script>")],
            },
        )
    assert response.status_code == 200
    assert "is not a real .pdf file" in _body(response)


def test_a_member_who_signs_for_nothing_is_told_who_can_submit(client, group, personas, unchanged):
    client.force_login(personas[Role.CORE])
    page = _body(client.get(_url("new", group)))
    assert "Only a signatory of a practice or PCN" in page
    with unchanged():
        client.post(
            _url("new", group), {"organisation": "1", "title": "x", "plan": "y", "perspectives": ["funder"]}
        )


def test_the_reviewer_returns_a_review_the_signatory_reads(client, group, assigned, reviewer, signatory):
    client.force_login(reviewer)
    page = _body(client.get(_url("review", group, assigned.pk)))
    assert "Extended access hub" in page and "Funder perspective" in page
    assert "Commissioner perspective (optional: not asked for)" in page
    response = client.post(_url("review", group, assigned.pk), ANSWERS)
    assert response.status_code == 302
    assert "You returned your review" in _body(client.get(response["Location"]))
    client.force_login(signatory)
    page = _body(client.get(_url("detail", group, assigned.pk)))
    assert "Safe staffing needs showing." in page and "Mark the reviews as read" in page
    assert client.post(_url("detail", group, assigned.pk), {"do": "read"}).status_code == 302
    assert Submission.objects.get().status == Status.READ


def test_a_review_missing_a_part_names_the_field(client, group, assigned, reviewer, unchanged):
    client.force_login(reviewer)
    with unchanged():
        page = _body(client.post(_url("review", group, assigned.pk), {**ANSWERS, "funder": ""}))
    assert "There is a problem" in page and "Funder perspective" in page


def test_officers_see_that_a_plan_exists_never_what_it_says(client, group, assigned, officer, strong_login):
    strong_login(client, officer)
    listing = _body(client.get(_url("manage", group)))
    assert assigned.reference in listing and assigned.organisation.name in listing
    assert "Extended access hub" not in listing
    page = _body(client.get(_url("manage_detail", group, assigned.pk)))
    assert "reviewer@nhs.test" in page and "Extended access hub" not in page and "share" not in page
    document = assigned.documents.get()
    for url in (
        _url("detail", group, assigned.pk),
        _url("review", group, assigned.pk),
        _url("document", group, assigned.pk, document.pk),
    ):
        assert client.get(url).status_code == 404, url


def test_conflicts_are_shown_to_the_officer_and_an_override_is_recorded(
    client, group, submit, officer, strong_login, reviewer, practice, unchanged
):
    DeclarationFactory(person=reviewer.person, organisation=practice, interest="", nature="Locum there")
    submission = submit()
    strong_login(client, officer)
    url = _url("manage_detail", group, submission.pk)
    with unchanged():
        page = _body(client.post(url, {"email": reviewer.email, "override_reason": ""}))
    assert "Conflicts of interest" in page and "Locum there" in page
    response = client.post(url, {"email": reviewer.email, "override_reason": "No one else knows hubs"})
    assert response.status_code == 302
    page = _body(client.get(url))
    assert "Assigned anyway because:" in page and "No one else knows hubs" in page


def test_a_reviewer_of_one_plan_cannot_reach_anothers(client, group, assigned, submit, reviewer):
    other = submit(title="Another plan")
    document = other.documents.get()
    client.force_login(reviewer)
    for url in (
        _url("detail", group, other.pk),
        _url("review", group, other.pk),
        _url("document", group, other.pk, document.pk),
        _url("document", group, assigned.pk, document.pk),  # my plan's URL, another plan's file
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {**ANSWERS, "do": "withdraw"}).status_code == 404, url
    assert Submission.objects.get(pk=other.pk).status == Status.SUBMITTED


def test_a_reviewers_access_ends_after_the_set_time(client, group, assigned, reviewer, settings):
    settings.SOUNDINGBOARD_REVIEWER_ACCESS_DAYS = 0
    services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    client.force_login(reviewer)
    assert client.get(_url("detail", group, assigned.pk)).status_code == 404
    assert client.get(_url("document", group, assigned.pk, assigned.documents.get().pk)).status_code == 404


def test_another_groups_members_reach_nothing(client, group, other_group, assigned, strong_login, outsider):
    strong_login(client, outsider)
    document = assigned.documents.get()
    for name, args in (
        ("list", ()),
        ("new", ()),
        ("manage", ()),
        ("detail", (assigned.pk,)),
        ("review", (assigned.pk,)),
        ("document", (assigned.pk, document.pk)),
        ("manage_detail", (assigned.pk,)),
    ):
        assert client.get(_url(name, group, *args)).status_code == 404, name
    # Their own group's URLs with my plan's ids: 404 too.
    for name, args in (("detail", (assigned.pk,)), ("manage_detail", (assigned.pk,))):
        assert client.get(_url(name, other_group, *args)).status_code == 404, name


def test_the_home_page_lists_what_to_do(client, group, assigned, reviewer, signatory):
    home = reverse("core:group_home", args=[group.slug])
    client.force_login(reviewer)
    assert "Return your review of the plan from" in _body(client.get(home))
    services.review_return(submission=assigned, answers=ANSWERS, actor=reviewer)
    client.force_login(signatory)
    assert "Read the review of “Extended access hub”" in _body(client.get(home))


def test_the_practice_record_shows_reference_and_status_never_the_title(group, assigned, practice):
    from gpvoice.core import glance

    section = next(s for s in glance.practice_record(group, practice) if s.key == "soundingboard")
    assert section.table is not None
    [[reference, _submitted, status]] = section.table.rows
    assert reference == f"SB-{assigned.pk}" and status == "In review"
    assert "Extended access hub" not in repr(section)
    assert not [s for s in glance.public(group) if s.key == "soundingboard"]


def test_a_non_member_reviewer_email_is_refused_on_the_page(
    client, group, submit, officer, strong_login, other_group
):
    stranger = make_member(other_group, Role.CORE, "stranger@south.test")
    strong_login(client, officer)
    page = _body(client.post(_url("manage_detail", group, submit().pk), {"email": stranger.email}))
    assert "No member of" in page and not Assignment.objects.exists()


def test_the_dashboard_shows_counts_only(group, assigned, submit):
    from gpvoice.core import glance

    submit(title="Second")
    section = next(s for s in glance.dashboard(group) if s.key == "soundingboard")
    assert dict(section.summary)["In review"] == "1" and dict(section.summary)["Submitted"] == "1"
    assert "Extended" not in str(section)


def test_an_officer_removes_a_reviewer_from_the_page(client, group, assigned, officer, strong_login):
    strong_login(client, officer)
    url = _url("manage_detail", group, assigned.pk)
    assert "Remove Reviewer reviewer@nhs.test" in _body(client.get(url)) or "Remove " in _body(
        client.get(url)
    )
    response = client.post(url, {"remove": Assignment.objects.get().pk})
    assert response.status_code == 302 and not Assignment.objects.exists()
    response = client.post(url, {"remove": "12"})
    assert response.status_code == 302
    assert "not on this plan" in _body(client.get(url))
