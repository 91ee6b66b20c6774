"""Behind the TLS proxy every connection comes from the proxy: the lockout, allauth's rate limits and
the API throttle must key on the client address the proxy forwards, and never on a forged one."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle

from accounts.client_ip import client_ip
from tests.factories import PASSWORD
from tests.security.test_deploy import PRODUCTION_ENV, manage

TOKEN_URL = "/api/v1/auth/token/"
PROXY = "10.0.0.2"  # the proxy: REMOTE_ADDR of every request it forwards


def proxy_count(settings, count: int) -> None:
    # One environment variable (AXES_PROXY_COUNT) sets both in nicp/settings/base.py.
    settings.NICP_PROXY_COUNT = count
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": count}


@pytest.fixture
def behind_one_proxy(settings):
    proxy_count(settings, 1)


def from_client(address: str, chain: str = "") -> dict:
    """What the proxy sends on: the client's own X-Forwarded-For (if any) with the client appended."""
    forwarded = f"{chain}, {address}" if chain else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def token_attempt(user, password, **meta):
    return APIClient().post(TOKEN_URL, {"email": user.email, "password": password}, format="json", **meta)


def test_clients_behind_the_proxy_are_locked_out_separately(applicant, behind_one_proxy):
    for _ in range(5):
        token_attempt(applicant, "mala", **from_client("203.0.113.5"))
    assert token_attempt(applicant, PASSWORD, **from_client("203.0.113.5")).status_code == 429
    # The real owner, at another address behind the same proxy, still gets in.
    assert token_attempt(applicant, PASSWORD, **from_client("198.51.100.7")).status_code == 200


def test_a_client_behind_the_proxy_cannot_escape_the_lockout_by_forging_the_header(applicant, behind_one_proxy):
    for n in range(5):
        token_attempt(applicant, "mala", **from_client("203.0.113.5", chain=f"192.0.2.{n}"))
    assert token_attempt(applicant, PASSWORD, **from_client("203.0.113.5", chain="192.0.2.99")).status_code == 429


def test_the_login_page_locks_per_forwarded_client_too(client, applicant, behind_one_proxy):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": applicant.email, "password": "mala"},
                    **from_client("203.0.113.5"))
    locked = client.post(reverse("account_login"), {"login": applicant.email, "password": PASSWORD},
                         **from_client("203.0.113.5"))
    assert locked.status_code == 429
    ok = client.post(reverse("account_login"), {"login": applicant.email, "password": PASSWORD},
                     **from_client("198.51.100.7"))
    assert ok.status_code == 302


def test_without_a_proxy_a_forged_forwarded_header_is_ignored(applicant, settings):
    assert settings.NICP_PROXY_COUNT == 0  # the default: no AXES_PROXY_COUNT
    for n in range(5):
        token_attempt(applicant, "mala", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    again = token_attempt(applicant, PASSWORD, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert again.status_code == 429


@pytest.fixture
def three_per_minute(monkeypatch):
    # DRF reads the rates once, at import: patch the class the token view uses.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "3/min"})


def test_the_api_throttle_keys_on_the_forwarded_client(behind_one_proxy, three_per_minute):
    for _ in range(3):
        assert APIClient().post(TOKEN_URL, {}, format="json", **from_client("203.0.113.5")).status_code == 400
    assert APIClient().post(TOKEN_URL, {}, format="json", **from_client("203.0.113.5")).status_code == 429
    assert APIClient().post(TOKEN_URL, {}, format="json", **from_client("198.51.100.7")).status_code == 400


def test_without_a_proxy_the_throttle_ignores_a_forged_header(settings, three_per_minute):
    assert settings.NICP_PROXY_COUNT == 0  # the default: no AXES_PROXY_COUNT
    codes = [APIClient().post(TOKEN_URL, {}, format="json", REMOTE_ADDR="203.0.113.5",
                              HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code for n in range(4)]
    assert codes == [400, 400, 400, 429]


@pytest.mark.parametrize(("count", "remote", "forwarded", "expected"), [
    (0, "203.0.113.5", None, "203.0.113.5"),
    (0, "203.0.113.5", "192.0.2.1", "203.0.113.5"),
    (1, PROXY, None, PROXY),
    (1, PROXY, "203.0.113.5", "203.0.113.5"),
    (1, PROXY, "192.0.2.1, 203.0.113.5", "203.0.113.5"),
    (2, PROXY, "192.0.2.1, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
    (2, PROXY, "203.0.113.5", "203.0.113.5"),
    (1, PROXY, "2001:db8::1", "2001:db8::1"),
])
def test_the_lockout_and_the_throttle_see_the_same_client(settings, count, remote, forwarded, expected):
    proxy_count(settings, count)
    meta = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    request = RequestFactory().get("/", **meta)
    assert client_ip(request) == expected == BaseThrottle().get_ident(request)


def test_a_malformed_forwarded_address_falls_back_to_the_connection(settings):
    proxy_count(settings, 1)
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="no-es-una-ip")
    assert client_ip(request) == PROXY


def test_production_shares_one_redis_cache_between_processes():
    code = "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    result = manage("shell", "-v", "0", "-c", code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", PRODUCTION_ENV["CELERY_BROKER_URL"]]
    own = manage("shell", "-v", "0", "-c", code, env={**PRODUCTION_ENV, "CACHE_URL": "redis://cache.invalid:6379/1"})
    assert own.stdout.split()[1] == "redis://cache.invalid:6379/1"


def test_one_variable_sets_the_proxy_count_for_the_lockout_and_the_throttle():
    code = ("from django.conf import settings as s; "
            "print(s.NICP_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_CLIENT_IP_CALLABLE)")
    result = manage("shell", "-v", "0", "-c", code, env={**PRODUCTION_ENV, "AXES_PROXY_COUNT": "2"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2", "2", "accounts.client_ip.client_ip"]


def test_allauths_rate_limits_count_per_forwarded_client(settings, behind_one_proxy):
    from allauth.account.adapter import get_adapter

    request = RequestFactory().post("/", **from_client("203.0.113.5", chain="192.0.2.1"))
    assert get_adapter(request).get_client_ip(request) == "203.0.113.5"
