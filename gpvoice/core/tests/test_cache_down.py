"""Redis (the shared cache holding sign-in rate limits) stopped: pages still serve, and sign-in
fails closed: a clear 503, no code sent, nobody signed in (issue 11, item 7)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from gpvoice.core.models import Role

# Port 1 on loopback refuses at once: the real Redis backend and client, failing.
UNREACHABLE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


@pytest.mark.django_db
def test_a_signed_in_page_serves_while_the_cache_is_down(client, personas, group):
    client.force_login(personas[Role.CORE])
    with override_settings(CACHES=UNREACHABLE):
        assert client.get(reverse("core:group_home", args=[group.slug])).status_code == 200


@pytest.mark.django_db
def test_asking_for_a_sign_in_code_while_the_cache_is_down_is_refused(client, personas):
    user = personas[Role.CORE]
    with override_settings(CACHES=UNREACHABLE):
        response = client.post(reverse("account_request_login_code"), {"email": user.email})
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "nothing was sent or changed" in response.content.decode()
    assert mail.outbox == [] and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_password_sign_in_while_the_cache_is_down_is_refused(client, personas):
    user = personas[Role.ADMIN]
    user.set_password("a-long-enough-password-1")
    user.save()
    with override_settings(CACHES=UNREACHABLE):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": "a-long-enough-password-1"}
        )
    assert response.status_code == 503 and "_auth_user_id" not in client.session


def test_only_a_redis_connection_failure_counts_as_the_cache_being_down():
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import ResponseError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    from gpvoice.core.middleware import cache_unreachable

    assert cache_unreachable(RedisConnectionError("refused")) and cache_unreachable(RedisTimeoutError())
    assert not cache_unreachable(ResponseError("WRONGTYPE")) and not cache_unreachable(ConnectionError())
