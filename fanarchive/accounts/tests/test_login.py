"""Logging in and out, and the failed-login throttle (per account and per address)."""

import pytest
from django.test import Client

from fanarchive.accounts.tests.clock import at
from fanarchive.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = "correct horse battery"
# 40 s into a 20 s window boundary: the window [1_000_000, 1_000_020) has just begun.
T0 = 1_000_000.0


def attempt(client, username, password, ip="198.51.100.7", **extra):
    return client.post(
        "/users/login", {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def test_log_in_by_login_in_any_case_or_by_email(client):
    user = UserFactory(username="Marius", email="marius@example.org")
    assert attempt(client, "marius", GOOD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post("/users/logout")
    assert "_auth_user_id" not in client.session
    assert attempt(client, "MARIUS@example.org", GOOD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_logout_is_a_post_only(client):
    client.force_login(UserFactory(username="marius"))
    assert client.get("/users/logout").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/users/logout")
    assert response.status_code == 302 and response.url == "/"
    assert "_auth_user_id" not in client.session


def test_wrong_password_and_missing_fields_are_refused_with_a_message(client):
    UserFactory(username="marius")
    wrong = attempt(client, "marius", "nope")
    assert wrong.status_code == 200
    assert "doesn&#x27;t match our records" in wrong.text
    assert "_auth_user_id" not in client.session
    empty = client.post("/users/login", {"username": "marius"})
    assert empty.status_code == 200 and "This field is required" in empty.text


def test_imported_accounts_cannot_log_in(client):
    user = UserFactory(username="imported1", is_imported=True)
    user.set_unusable_password()
    user.save()
    assert attempt(client, "imported1", GOOD).status_code == 200
    assert "_auth_user_id" not in client.session


def test_sixth_failed_attempt_on_an_account_is_429_with_retry_after(client):
    UserFactory(username="marius")
    with at(T0 + 5) as clock:
        for number in range(5):
            # Different addresses: only the per-account counter can add up.
            response = attempt(client, "marius", "wrong", ip=f"198.51.100.{number}")
            assert response.status_code == 200
        clock.advance(3)  # 8 s into the window
        blocked = attempt(client, "marius", GOOD, ip="203.0.113.9")
        assert blocked.status_code == 429
        assert blocked["Retry-After"] == "12"
        assert "Too many login attempts" in blocked.text
        assert "try again in 12 seconds" in blocked.text
        assert "_auth_user_id" not in client.session
        # The same account spelled otherwise is the same account.
        assert attempt(client, "MARIUS", GOOD, ip="203.0.113.10").status_code == 429
        assert attempt(client, "marius@example.org", GOOD, ip="203.0.113.11").status_code == 429
        # Another account from another address is not affected.
        UserFactory(username="cosette")
        assert attempt(client, "cosette", GOOD, ip="203.0.113.12").status_code == 302
    client.post("/users/logout")
    with at(T0 + 20):  # the next window: the right password works again
        response = attempt(client, "marius", GOOD, ip="203.0.113.9")
        assert response.status_code == 302
        assert "_auth_user_id" in client.session


def test_sixth_failed_attempt_from_one_address_is_429(client):
    UserFactory(username="marius")
    with at(T0 + 1):
        for number in range(5):
            response = attempt(client, f"nobody{number}", "wrong", ip="192.0.2.44")
            assert response.status_code == 200
        blocked = attempt(client, "marius", GOOD, ip="192.0.2.44")
        assert blocked.status_code == 429 and blocked["Retry-After"] == "19"
        # From elsewhere the account is fine.
        assert attempt(client, "marius", GOOD, ip="192.0.2.45").status_code == 302
    client.post("/users/logout")
    with at(T0 + 21):
        assert attempt(client, "marius", GOOD, ip="192.0.2.44").status_code == 302


def test_five_failures_are_allowed_and_successes_do_not_count(client):
    UserFactory(username="marius")
    with at(T0):
        for _ in range(4):
            assert attempt(client, "marius", "wrong").status_code == 200
        for _ in range(3):
            assert attempt(client, "marius", GOOD).status_code == 302
            client.post("/users/logout")
        assert attempt(client, "marius", "wrong").status_code == 200  # the fifth failure
        assert attempt(client, "marius", GOOD).status_code == 429


def test_the_throttle_keys_on_the_proxied_address_behind_trusted_proxies(client, settings):
    settings.FANARCHIVE_TRUSTED_PROXIES = 1
    UserFactory(username="marius")
    with at(T0):
        for number in range(5):
            attempt(
                client,
                f"nobody{number}",
                "wrong",
                ip="10.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.50",
            )
        # Same proxy, another client: allowed; the same client: blocked.
        other = attempt(client, "marius", GOOD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.51")
        assert other.status_code == 302
        client.post("/users/logout")
        same = attempt(client, "marius", GOOD, ip="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50")
        assert same.status_code == 429


def test_unconfirmed_account_with_right_password_is_told_and_not_counted(client):
    UserFactory(username="marius", is_active=False)
    with at(T0):
        for _ in range(6):
            response = attempt(client, "marius", GOOD)
            assert response.status_code == 200
            assert "not been confirmed" in response.text
            assert 'href="/users/confirm/resend"' in response.text


def test_login_form_needs_the_csrf_token():
    UserFactory(username="marius")
    csrf_client = Client(enforce_csrf_checks=True)
    assert attempt(csrf_client, "marius", GOOD).status_code == 403
    assert "_auth_user_id" not in csrf_client.session
    csrf_client.force_login(UserFactory(username="cosette"))
    assert csrf_client.post("/users/logout").status_code == 403
    assert "_auth_user_id" in csrf_client.session


def test_header_shows_guest_and_member_navigation(client, settings):
    home = client.get("/")
    assert 'href="/users/login?next=/"' in home.text
    assert 'href="/users/signup"' in home.text
    assert "Post New" not in home.text
    client.force_login(UserFactory(username="marius"))
    home = client.get("/")
    html = home.text
    assert 'href="/users/marius">marius</a>' in html
    assert 'href="/users/marius/preferences">Preferences</a>' in html
    assert 'href="/works/new">Post New</a>' in html
    assert 'action="/users/logout"' in html and "Log out" in html
    assert 'href="/users/signup"' not in html
