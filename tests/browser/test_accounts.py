"""Accounts in a real browser: signing up and confirming by the emailed link, and the failed-login
throttle's 429 page."""

from __future__ import annotations

from types import SimpleNamespace

from playwright.sync_api import expect

from .helpers import NEW_PASSWORD, PASSWORD, fill_signup, log_in, reader, sign_up


def test_sign_up_confirm_by_email_and_log_in(browsing):
    sign_up(browsing, "fantine", "fantine@example.org")
    page = browsing.page
    # Before confirming, the account could not log in; now it can.
    log_in(browsing, "fantine", NEW_PASSWORD)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="fantine")).to_be_visible()
    browsing.check()


def test_an_unconfirmed_account_cannot_log_in(browsing):
    page = browsing.page
    browsing.goto("/users/signup")
    fill_signup(page, "javert", "javert@example.org")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state("load")
    log_in(browsing, "javert", NEW_PASSWORD)
    expect(page.get_by_text("not been confirmed yet")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    browsing.check()


def test_a_failed_login_series_is_throttled(browsing, monkeypatch):
    from fanarchive.core import ratelimit

    # The limiter counts in fixed 20-second windows; the whole series must fall in one window,
    # so the limiter's clock stands still (one second into a window) for this test.
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_700_000_001.0))
    reader("valjean")
    page = browsing.page
    browsing.goto("/users/login")
    for attempt in range(1, 6):
        log_in(browsing, "valjean", f"wrong password {attempt}")
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    browsing.check()

    page.get_by_label("User name or email").fill("valjean")
    page.get_by_label("Password").fill("wrong password 6")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Log in").click()
    response = answer.value
    assert response.status == 429
    assert response.headers["retry-after"] == "19"
    expect(page.get_by_role("heading", name="Too many login attempts")).to_be_visible()
    expect(page.get_by_text("try again in 19 seconds")).to_be_visible()
    browsing.check()

    # Even the right password waits until the window is over.
    page.get_by_role("link", name="Back to the log-in page").click()
    log_in(browsing, "valjean", PASSWORD)
    expect(page.get_by_role("heading", name="Too many login attempts")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
