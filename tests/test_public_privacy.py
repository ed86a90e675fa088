"""Nothing secret reaches the public page, its lists, its JSON, the signed statement or the annual
report (issue 18): walked on the demo, where every app has written its records, so that a section
an app adds later is covered without anyone listing it here.

Secret: a sounding-board plan, its title, its documents and its reviews; one practice's
sustainability answers; anyone's email address or telephone number; the name of a representative
who did not agree to be named.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gpvoice.core.models import LeadershipGroup, Membership, Role

pytestmark = pytest.mark.django_db


def _published_pages(client) -> dict[str, str]:
    group = LeadershipGroup.objects.filter(public_page=True).order_by("pk").first()
    assert group is not None, "the demo publishes its first group's page"
    pages = {}
    for path in ("", "footprint/", "members/", "mandate/", "verify/"):
        response = client.get(f"/p/{group.slug}/{path}")
        assert response.status_code == 200, path
        pages[f"/p/…/{path}"] = response.content.decode()
    for path in ("", "/mandate-statement"):
        response = client.get(f"/api/v1/public/{group.slug}{path}")
        assert response.status_code == 200, path
        pages[f"api{path}"] = response.content.decode()
    member = Membership.objects.filter(group=group, role=Role.CORE).order_by("pk").first()
    client.force_login(member.user)  # type: ignore[union-attr]
    pages["annual report"] = client.get(f"/g/{group.slug}/annual-report/").content.decode()
    client.logout()
    return pages


def _secrets() -> list[str]:
    from gpvoice.directory.models import Person
    from gpvoice.representation.models import SeatAppointment
    from gpvoice.soundingboard.models import Review, Submission

    found: list[str] = []
    for s in Submission.objects.all():
        found += [s.title, s.plan[:60]]
    for r in Review.objects.all():
        found += [
            text[:60] for text in (r.funder, r.commissioner, r.regulator, r.strengths, r.weaknesses) if text
        ]
    found += [p.email for p in Person.objects.exclude(email="")]
    found += [p.phone for p in Person.objects.exclude(phone="")]
    unnamed = SeatAppointment.objects.filter(name_public=False).select_related("person")
    found += [a.person.full_name for a in unnamed if not _named_elsewhere(a.person)]
    # The outlook's own answers, which only officers see practice by practice.
    # ("At risk" is also a priority's delivery status, which the report shows, so it is not used.)
    found += ["Contract handed back", "Merged with another practice"]
    return [text for text in found if text]


def _outlooks_answered() -> set[str]:
    from gpvoice.engagement.models import Response

    answered = Response.objects.filter(consultation__template="sustainability", is_current=True)
    return {v for r in answered for v in r.answers.values() if isinstance(v, str)}


def _named_elsewhere(person) -> bool:
    """A representative who did not agree to be named there may still have agreed to be named as a
    member of the group: then their name is on the page for that reason."""
    return Membership.objects.filter(user__person=person, named_publicly_at__isnull=False).exists()


def test_no_secret_of_any_app_reaches_the_public_page_its_json_or_the_annual_report(client):
    call_command("load-demo")
    secrets = _secrets()
    assert any("Saturday" in s for s in secrets), "the demo's sounding-board plan is among the secrets"
    assert _outlooks_answered() >= {"merge", "handback"}, "the demo's outlook has those answers to keep"
    for name, text in _published_pages(client).items():
        leaked = [secret for secret in secrets if secret in text]
        assert leaked == [], f"{name} shows {leaked}"
