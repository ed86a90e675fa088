import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_member
from gpvoice.core.models import Role
from gpvoice.intake import services
from gpvoice.intake.models import AccessRequest, Status

from .conftest import category, link_token, receive

HOSTILE = '<script>alert(1)</script>=HYPERLINK("http://evil")'
FORM = {
    "organisation": "NHS Test ICB",
    "name": "Alex Partner",
    "email": "alex@icb.nhs.test",
    "subject": "Winter access plan",
    "body": "Please give us general practice's view.",
    "wanted_by": "",
}


@pytest.fixture
def officer_client(client, officer, strong_login):
    strong_login(client, officer)
    return client


def test_the_front_door_sends_an_email_check_and_redirects(client, group):
    url = reverse("intake:front_door", args=[group.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {**FORM, "files": [SimpleUploadedFile("a.pdf", b"%PDF-1.4")]})
    assert response.status_code == 302 and response["Location"] == reverse("intake:sent", args=[group.slug])
    token = link_token(mail.outbox[-1].body, "verify")
    verify = reverse("intake:verify", args=[token])
    assert client.get(verify).status_code == 200  # a mail scanner opening the link confirms nothing
    assert AccessRequest.objects.get().status == Status.UNVERIFIED
    response = client.post(verify)
    assert response.status_code == 302 and "/spa/track/" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"Winter access plan" in page.content
    assert AccessRequest.objects.get().attachments.count() == 1


def test_the_honeypot_keeps_nothing_and_says_nothing(client, group):
    response = client.post(
        reverse("intake:front_door", args=[group.slug]), {**FORM, "website": "spam.example"}
    )
    assert response.status_code == 302
    assert not AccessRequest.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subject": ""}, b"This field is required"),
        ({"body": "a\x00b"}, b"Null characters are not allowed"),
        ({"email": "nope"}, b"Enter a valid email address"),
        ({"body": "x" * 20_001}, b"at most 20000 characters"),
    ],
)
def test_bad_forms_say_why_and_keep_nothing(client, group, changes, message):
    response = client.post(reverse("intake:front_door", args=[group.slug]), {**FORM, **changes})
    assert response.status_code == 200 and message in response.content
    assert not AccessRequest.objects.exists()


def test_rate_limited_form_says_so(client, group, settings):
    settings.INTAKE_RATE_PER_IP_PER_HOUR = 1
    url = reverse("intake:front_door", args=[group.slug])
    client.post(url, FORM)
    response = client.post(url, {**FORM, "email": "other@icb.nhs.test"})
    assert response.status_code == 200 and b"Too many requests" in response.content
    assert AccessRequest.objects.count() == 1


@pytest.mark.parametrize("token", ["no-such-token", "A" * 43, "%00"])
def test_forged_links_are_gone_with_a_clear_page(client, group, token):
    receive(group)
    for name in ("intake:verify", "intake:track"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code == 410 and b"This link cannot be used" in response.content


def test_the_tracking_page_shows_only_this_request_with_its_answer_and_basis_inert(client, group, officer):
    mine, tracking = receive(group, subject=HOSTILE)
    other, _ = receive(group, subject="Someone else's request")
    services.request_answer(request=mine, actor=officer, body=HOSTILE)
    page = client.get(reverse("intake:track", args=[tracking])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "Someone else" not in page and other.reference not in page
    assert "Answer" in page


def test_the_requester_replies_from_the_tracking_page(client, group, officer):
    request, tracking = receive(group)
    services.request_write(request=request, actor=officer, body="Which PCNs?", wait=True)
    url = reverse("intake:track", args=[tracking])
    response = client.post(url, {"body": "All of them", "files": [SimpleUploadedFile("n.txt", b"notes")]})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS and request.attachments.count() == 1
    download = client.get(reverse("intake:track_file", args=[tracking, request.attachments.get().pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_a_tracking_link_cannot_reach_another_requests_file(client, group):
    _, mine = receive(group)
    other, _ = receive(group, files=[SimpleUploadedFile("secret.txt", b"secret")])
    response = client.get(reverse("intake:track_file", args=[mine, other.attachments.get().pk]))
    assert response.status_code == 410


def test_officers_work_the_queue_and_act_on_a_request(officer_client, group, officer):
    request, _ = receive(group)
    general = category(group, officer)
    url = reverse("intake:detail", args=[group.slug, request.reference])
    assert officer_client.get(reverse("intake:queue", args=[group.slug])).status_code == 200
    assert officer_client.get(url).status_code == 200
    response = officer_client.post(
        url, {"action": "triage", "triage-category": general.pk, "triage-priority": "high", "triage-lead": ""}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.TRIAGED and request.due_on is not None
    response = officer_client.post(url, {"action": "answer", "answer-body": "Yes."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.ANSWERED


def test_a_refused_action_shows_the_reason_and_changes_nothing(officer_client, group, officer, unchanged):
    request, _ = receive(group)
    url = reverse("intake:detail", args=[group.slug, request.reference])
    with unchanged():
        response = officer_client.post(url, {"action": "close"})
    assert response.status_code == 200 and b"Only an answered request can be closed" in response.content
    with unchanged():
        assert officer_client.post(url, {"action": "nonsense"}).status_code == 302


def test_another_groups_reference_is_a_404(officer_client, group, other_group):
    theirs, _ = receive(other_group)
    mine, _ = receive(group)
    assert theirs.reference == mine.reference  # same number, different group
    AccessRequest.objects.filter(pk=mine.pk).update(reference="SPA-2000-0001")
    response = officer_client.get(reverse("intake:detail", args=[group.slug, theirs.reference]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.CORE, Role.ATTENDEE, Role.OBSERVER, Role.PRACTICE_STAFF])
def test_members_who_are_not_officers_see_no_requests(client, group, role):
    request, _ = receive(group)
    client.force_login(make_member(group, role, f"{role}@northvale.test"))
    for url in (
        reverse("intake:queue", args=[group.slug]),
        reverse("intake:detail", args=[group.slug, request.reference]),
        reverse("intake:service_levels", args=[group.slug]),
    ):
        assert client.get(url).status_code == 404


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queue_tracking_and_service_level_pages_take_the_same_queries_for_2_or_50(
    officer_client, group, officer, settings, django_assert_num_queries
):
    settings.INTAKE_RATE_PER_EMAIL_PER_HOUR = settings.INTAKE_RATE_PER_IP_PER_HOUR = 1000
    general = category(group, officer)
    made = [receive(group) for _ in range(2)]
    for r, _ in made:
        services.request_triage(request=r, actor=officer, category=general, priority="normal", lead=officer)
    urls = [
        reverse("intake:queue", args=[group.slug]),
        reverse("intake:service_levels", args=[group.slug]),
        reverse("intake:track", args=[made[0][1]]),
        reverse("intake:detail", args=[group.slug, made[0][0].reference]),
    ]
    few = [_count(officer_client, u) for u in urls]
    for _ in range(48):
        r, _ = receive(group)
        services.request_triage(request=r, actor=officer, category=general, priority="normal", lead=officer)
        services.request_write(request=made[0][0], actor=officer, body="More")
    for url, queries in zip(urls, few, strict=True):
        with django_assert_num_queries(queries):
            assert officer_client.get(url).status_code == 200


def test_csv_exports_neutralise_formula_cells(officer_client, group, officer):
    receive(group, subject="=HYPERLINK(1)", organisation="@SUM(A1)")
    response = officer_client.get(reverse("intake:queue", args=[group.slug]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][3] == "'@SUM(A1)" and rows[1][4] == "'=HYPERLINK(1)"
    sl = officer_client.get(reverse("intake:service_levels", args=[group.slug]) + "?format=csv")
    months = list(csv.reader(io.StringIO(b"".join(sl.streaming_content).decode())))
    assert months[0][0] == "month" and months[1][1] == "1"


def test_yes_no_questions_reach_the_services(client, officer_client, group):
    client.post(reverse("intake:front_door", args=[group.slug]), {**FORM, "is_nominee_request": "yes"})
    request = AccessRequest.objects.get()
    assert request.is_nominee_request
    request, _ = receive(group)
    url = reverse("intake:detail", args=[group.slug, request.reference])
    officer_client.post(url, {"action": "write", "write-body": "Which PCNs?", "write-wait": "yes"})
    request.refresh_from_db()
    assert request.status == Status.WAITING and request.paused_on is not None
    officer_client.post(url, {"action": "write", "write-body": "Thanks", "write-wait": "no"})
    request.refresh_from_db()
    assert request.status == Status.WAITING  # an ordinary message does not end the wait


def test_the_home_panel_counts_requests_for_officers_only(client, officer_client, group, officer):
    receive(group)
    home = reverse("core:group_home", args=[group.slug])
    page = officer_client.get(home).content.decode()
    assert "1 new, 1 open, 0 past their due date." in page
    client.force_login(make_member(group, Role.CORE, "core@northvale.test"))
    page = client.get(home).content.decode()
    assert "public request form" in page and "1 new" not in page


def test_an_officer_of_another_group_sees_nothing_here(client, group, outsider, strong_login):
    request, _ = receive(group, files=[SimpleUploadedFile("a.txt", b"secret")])
    strong_login(client, outsider)
    for url in (
        reverse("intake:queue", args=[group.slug]),
        reverse("intake:detail", args=[group.slug, request.reference]),
        reverse("intake:file", args=[group.slug, request.reference, request.attachments.get().pk]),
        reverse("intake:service_levels", args=[group.slug]),
        reverse("intake:categories", args=[group.slug]),
    ):
        assert client.get(url).status_code == 404, url


def test_their_own_reference_in_our_url_is_a_404_and_a_post_changes_nothing(
    client, group, other_group, outsider, strong_login, unchanged
):
    mine, _ = receive(group)
    strong_login(client, outsider)
    url = reverse("intake:detail", args=[other_group.slug, mine.reference])
    with unchanged():
        assert client.post(url, {"action": "decline", "decline-reason": "No"}).status_code == 404


def test_a_forged_tracking_post_is_gone_and_changes_nothing(client, group, unchanged):
    receive(group)
    with unchanged():
        response = client.post(reverse("intake:track", args=["A" * 43]), {"body": "Hello"})
    assert response.status_code == 410


def test_the_lead_is_named_by_email_and_a_stranger_is_refused(officer_client, group, officer, unchanged):
    request, _ = receive(group)
    general = category(group, officer)
    core = make_member(group, Role.CORE, "Core.Lead@nhs.test")
    outside = make_member(group, Role.OBSERVER, "observer.lead@nhs.test")
    url = reverse("intake:detail", args=[group.slug, request.reference])
    triage = {"action": "triage", "triage-category": general.pk, "triage-priority": "normal"}
    for email in (outside.email, "nobody@nhs.test"):
        with unchanged():
            page = officer_client.post(url, {**triage, "triage-lead": email}).content.decode()
        assert "No core member or officer of the group has that email address." in page
    assert officer_client.post(url, {**triage, "triage-lead": "core.lead@NHS.test"}).status_code == 302
    request.refresh_from_db()
    assert request.lead == core


def test_a_duplicate_is_merged_by_reference_and_only_into_an_open_request_of_the_group(
    officer_client, group, other_group, officer, unchanged
):
    first, _ = receive(group)
    duplicate, _ = receive(group)
    theirs = [receive(other_group)[0] for _ in range(3)][-1]  # SPA-…-0003: only the other group has it
    url = reverse("intake:detail", args=[group.slug, duplicate.reference])
    for reference in (theirs.reference, duplicate.reference, "SPA-1999-0001", ""):
        with unchanged():
            page = officer_client.post(url, {"action": "merge", "merge-into": reference}).content.decode()
        assert "Reference of the request to merge into" in page and "There is a problem" in page, reference
    response = officer_client.post(url, {"action": "merge", "merge-into": f" {first.reference.lower()} "})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == first
