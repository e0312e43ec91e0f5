"""New accounts and guests: at most 3 comments in 15 minutes (AO3's rule for new accounts)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from fanarchive.comments.models import Comment

from .conftest import post_comment, post_reply

pytestmark = pytest.mark.django_db

WINDOW_START = 1_800_000_000.0  # a fixed instant at the start of a 15-minute window


@pytest.fixture
def clock(monkeypatch):
    """Pin the rate limiter's clock: every test's requests fall in one window."""
    now = {"t": WINDOW_START + 5}
    monkeypatch.setattr("fanarchive.core.ratelimit.time.time", lambda: now["t"])
    return now


def test_a_new_account_gets_three_comments_then_a_429(clock, newbie_client, work, chapter):
    for i in range(3):
        assert post_comment(newbie_client, work, chapter, f"Comment {i}").status_code == 302
    response = post_comment(newbie_client, work, chapter, "The fourth.")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 900 - 5
    assert "Please wait 15 minutes before commenting again." in response.text
    assert "The fourth." in response.text  # the text is kept in the form
    assert Comment.objects.count() == 3
    # Replies count too.
    assert post_reply(newbie_client, Comment.objects.first()).status_code == 429
    assert Comment.objects.count() == 3


def test_the_limit_lifts_when_the_window_ends(clock, newbie_client, work, chapter):
    for _ in range(3):
        post_comment(newbie_client, work, chapter)
    assert post_comment(newbie_client, work, chapter).status_code == 429
    clock["t"] = WINDOW_START + 900 + 1
    assert post_comment(newbie_client, work, chapter).status_code == 302
    assert Comment.objects.count() == 4


def test_an_established_account_is_not_limited(clock, reader_client, work, chapter):
    for i in range(6):
        assert post_comment(reader_client, work, chapter, f"Comment {i}").status_code == 302
    assert Comment.objects.count() == 6


def test_new_means_younger_than_the_setting(clock, settings, newbie, newbie_client, work, chapter):
    newbie.date_joined = timezone.now() - datetime.timedelta(days=3)
    newbie.save()
    settings.FANARCHIVE_COMMENT_NEW_ACCOUNT_DAYS = 2
    for _ in range(5):
        assert post_comment(newbie_client, work, chapter).status_code == 302
    settings.FANARCHIVE_COMMENT_NEW_ACCOUNT_DAYS = 7
    assert post_comment(newbie_client, work, chapter).status_code == 302  # 1st counted
    post_comment(newbie_client, work, chapter)
    post_comment(newbie_client, work, chapter)
    assert post_comment(newbie_client, work, chapter).status_code == 429


def test_guests_are_limited_per_address(clock, work, chapter):
    guest = {"name": "G", "email": "g@example.org"}
    for _ in range(3):
        assert post_comment(Client(), work, chapter, **guest).status_code == 302
    assert post_comment(Client(), work, chapter, **guest).status_code == 429
    other_address = Client(REMOTE_ADDR="192.0.2.7")
    assert post_comment(other_address, work, chapter, **guest).status_code == 302


def test_invalid_submissions_do_not_use_up_the_limit(clock, newbie_client, work, chapter):
    for _ in range(4):
        assert post_comment(newbie_client, work, chapter, "").status_code == 400
    for _ in range(3):
        assert post_comment(newbie_client, work, chapter).status_code == 302
