"""The fixed-window rate limiter and the client address it keys on."""

from django.test import RequestFactory

from fanarchive.core.ratelimit import client_ip, rate_limit_hit

# Each test counts in its own memory: the root conftest's `_private_rate_limits`.


def test_allows_the_limit_then_refuses_until_the_window_ends():
    now = 1_000_000.0  # 40 s into a 60 s window (window starts at 999,960)
    hits = [rate_limit_hit(scope="t", key="1.2.3.4", limit=3, window=60, now=now) for _ in range(4)]
    assert [h.allowed for h in hits] == [True, True, True, False]
    assert [h.count for h in hits] == [1, 2, 3, 4]
    assert hits[-1].retry_after == 20
    # Other keys and scopes count apart; the next window starts afresh.
    assert rate_limit_hit(scope="t", key="5.6.7.8", limit=3, window=60, now=now).allowed
    assert rate_limit_hit(scope="u", key="1.2.3.4", limit=3, window=60, now=now).allowed
    assert rate_limit_hit(scope="t", key="1.2.3.4", limit=3, window=60, now=now + 20).allowed


def test_client_ip_trusts_only_the_configured_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.FANARCHIVE_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    settings.FANARCHIVE_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.7"
    settings.FANARCHIVE_TRUSTED_PROXIES = 2
    assert client_ip(request) == "6.6.6.6"
