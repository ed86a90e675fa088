"""The single point of access at national size: `make bench` (not part of `make test`).

100,000 requests across 200 groups (500 each, in every status, a tenth of them breached). The
queue, the service-level page and a tracking page must take the same number of queries as for a
group with two requests.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_member
from gpvoice.core.models import LeadershipGroup, Role
from gpvoice.core.services import group_create
from gpvoice.intake import links
from gpvoice.intake.models import AccessRequest, Category, Status

GROUPS = 200
PER_GROUP = 500
STATUSES = [s for s in Status if s != Status.UNVERIFIED]


def _file(group: LeadershipGroup, category: Category, count: int) -> str:
    """``count`` requests in the group, straight into the database; the tracking token of the first."""
    now = timezone.now()
    token, token_hash = links.new_link()
    rows = []
    for n in range(count):
        status = STATUSES[n % len(STATUSES)]
        received = now - timedelta(days=n % 400, hours=n % 24)
        rows.append(
            AccessRequest(
                group=group,
                reference=f"SPA-{received.year}-{n + 1:04d}",
                status=status,
                organisation_name=f"Partner {n % 37}",
                requester_name="Benchmark requester",
                requester_email=f"r{n}@partner.example.org",
                subject=f"Request {n}",
                body="What is asked.",
                category=category,
                received_at=received,
                due_on=(received + timedelta(days=14 if n % 10 else -3)).date(),
                first_response_at=received + timedelta(hours=5) if n % 3 else None,
                answered_at=received + timedelta(days=6)
                if status in (Status.ANSWERED, Status.CLOSED)
                else None,
                closed_at=received + timedelta(days=8) if status == Status.CLOSED else None,
                tracking_hash=token_hash if n == 0 else "",
            )
        )
    AccessRequest.objects.bulk_create(rows, batch_size=2000)
    return token


def _queries(client, url: str) -> tuple[int, float]:
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured), time.perf_counter() - start


@pytest.mark.django_db
def test_queue_service_levels_and_tracking_take_the_same_queries_at_national_size(client, capsys):
    demo = group_create(name="Demo-size group", slug="demo-size")
    officer = make_member(demo, Role.EXECUTIVE, "exec@bench.test")
    demo_token = _file(demo, Category.objects.create(group=demo, name="General", service_days=10), 2)
    start = time.perf_counter()
    groups = LeadershipGroup.objects.bulk_create(
        LeadershipGroup(name=f"Group {g}", slug=f"group-{g}") for g in range(GROUPS)
    )
    big_token = ""
    for group in groups:
        category = Category.objects.create(group=group, name="General", service_days=10)
        token = _file(group, category, PER_GROUP)
        big_token = big_token or token
    big = groups[0]
    make_member(big, Role.EXECUTIVE, "exec-big@bench.test")
    filing = time.perf_counter() - start
    assert AccessRequest.objects.count() == GROUPS * PER_GROUP + 2

    from django.contrib.auth import get_user_model

    big_officer = get_user_model().objects.get(email="exec-big@bench.test")
    pages = {
        "queue": ("/g/{slug}/requests/", None),
        "service levels": ("/g/{slug}/requests/service-levels/", None),
        "tracking page": ("/spa/track/{token}/", "token"),
    }
    with capsys.disabled():
        total = AccessRequest.objects.count()
        print(f"\nintake filing {total:,} requests: {filing:.1f} s ({connection.vendor})")
    for label, (pattern, _) in pages.items():
        _login(client, officer)
        small = _queries(client, pattern.format(slug=demo.slug, token=demo_token))
        _login(client, big_officer)
        large = _queries(client, pattern.format(slug=big.slug, token=big_token))
        with capsys.disabled():
            print(f"intake {label:16} queries {small[0]} → {large[0]}, {small[1]:.3f} s → {large[1]:.3f} s")
        assert large[0] == small[0], label


def _login(client, user) -> None:
    client.force_login(user)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": 0, "email": user.email},
        {"method": "mfa", "at": 0, "type": "totp"},
    ]
    session.save()
