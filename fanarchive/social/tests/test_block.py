"""Block (AO3's): the confirmation page, Block/Unblock, the Blocked users page, the limit, and
what a block does (no kudos on the blocker's works; comments are the comments app's)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.test import Client

from fanarchive.accounts.tests.factories import PseudFactory, UserFactory
from fanarchive.social import services
from fanarchive.social.models import Block, Kudos
from fanarchive.social.selectors import blocked_users, is_blocked_from_work
from fanarchive.social.services import SocialRefused

from .conftest import client_for, make_work


def notice(response) -> str:
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_the_confirmation_page_explains_the_block(author, reader_client):
    page = reader_client.get("/users/hugo/block")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Are you sure you want to block hugo?" in html
    assert "commenting or leaving kudos on your works" in html
    assert "hide their works from you" in html  # what it will not do
    assert 'action="/users/hugo/block"' in html
    assert not Block.objects.exists()


def test_block_then_unblock(author, reader, reader_client):
    response = reader_client.post("/users/hugo/block")
    assert response.status_code == 302 and response["Location"] == "/users/hugo"
    assert Block.objects.filter(blocker=reader, blocked=author).exists()
    profile = reader_client.get("/users/hugo").content.decode()
    assert "You have blocked hugo." in profile
    assert 'action="/users/hugo/unblock"' in profile
    assert (
        "You have already blocked hugo." in reader_client.get("/users/hugo/block").content.decode()
    )
    reader_client.post("/users/hugo/block")  # twice: still one
    assert Block.objects.filter(blocker=reader).count() == 1

    response = reader_client.post("/users/hugo/unblock")
    assert response["Location"] == "/users/hugo"
    assert not Block.objects.exists()
    assert notice(reader_client.post("/users/hugo/unblock")) == "You had not blocked hugo."


def test_blocking_yourself_is_refused(reader, reader_client):
    assert notice(reader_client.post("/users/cosette/block")) == "You can't block yourself."
    assert not Block.objects.exists()
    assert reader_client.get("/users/cosette/block")["Location"] == "/users/cosette"
    with pytest.raises(SocialRefused):
        services.block_add(blocker=reader, blocked=reader)
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=reader, blocked=reader)


def test_the_block_limit(reader, reader_client, settings):
    settings.FANARCHIVE_MAX_BLOCKED_USERS = 1
    UserFactory(username="b1")
    UserFactory(username="b2")
    reader_client.post("/users/b1/block")
    response = reader_client.post("/users/b2/block")
    assert notice(response).startswith("You can block up to 1 users.")
    assert [b.blocked.username for b in blocked_users(user=reader)] == ["b1"]
    assert services.max_blocked_users() == 1
    settings.FANARCHIVE_MAX_BLOCKED_USERS = None
    del settings.FANARCHIVE_MAX_BLOCKED_USERS
    assert services.max_blocked_users() == 2000  # AO3's MAX_BLOCKED_USERS


def test_block_needs_an_account_post_csrf_and_a_real_user(author, reader):
    assert Client().post("/users/hugo/block")["Location"].startswith("/users/login")
    client = client_for(reader)
    assert client.post("/users/nobody/block").status_code == 404
    assert client.get("/users/hugo/unblock").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    assert strict.post("/users/hugo/block").status_code == 403
    assert not Block.objects.exists()


def test_the_blocked_users_page(author, reader, reader_client):
    services.block_add(blocker=reader, blocked=author)
    html = reader_client.get("/users/cosette/blocked").content.decode()
    assert '<a href="/users/hugo">hugo</a>' in html
    assert 'action="/users/hugo/unblock"' in html
    assert "You can block up to 2,000 users." in html
    assert client_for(author).get("/users/cosette/blocked").status_code == 403
    assert Client().get("/users/cosette/blocked").status_code == 302
    found = reader_client.get("/users/cosette/blocked", {"user": "hugo"})
    assert found["Location"] == "/users/hugo/block"
    empty = reader_client.get("/users/cosette/blocked", {"user": " "}, follow=True)
    assert "User: enter an account name." in empty.content.decode()
    reader_client.post("/users/hugo/unblock", {"next": "/users/cosette/blocked"})
    assert (
        "You have not blocked any users."
        in reader_client.get("/users/cosette/blocked").content.decode()
    )


def test_a_block_covers_every_pseud_and_every_work_of_the_blocker(author, reader):
    services.block_add(blocker=author, blocked=reader)
    by_pseud = make_work("Masked", creators=[PseudFactory(user=author, name="Javert")])
    shared = make_work("Shared", creators=[UserFactory(username="dumas"), author])
    unrelated = make_work("Unrelated", creators=[UserFactory(username="sand")])
    assert is_blocked_from_work(work=by_pseud, user=reader)
    assert is_blocked_from_work(work=shared, user=reader)
    assert not is_blocked_from_work(work=unrelated, user=reader)
    assert not is_blocked_from_work(work=by_pseud, user=AnonymousUser())
    assert not is_blocked_from_work(work=by_pseud, user=UserFactory(username="marius"))
    # The blocked reader writing under another pseud is the same account: still blocked.
    PseudFactory(user=reader, name="Euphrasie")
    assert is_blocked_from_work(work=by_pseud, user=reader)


def test_unblocking_lets_kudos_through_again(author, reader, work):
    services.block_add(blocker=author, blocked=reader)
    client = client_for(reader)
    assert "blocked" in notice(client.post(f"/works/{work.id}/kudos"))
    services.block_remove(blocker=author, blocked=reader)
    assert notice(client.post(f"/works/{work.id}/kudos")) == "Thank you for leaving kudos!"
    assert Kudos.objects.filter(work=work, user=reader).exists()


def test_blocking_keeps_earlier_kudos(author, reader, work):
    client_for(reader).post(f"/works/{work.id}/kudos")
    services.block_add(blocker=author, blocked=reader)
    assert Kudos.objects.filter(work=work, user=reader).exists()  # AO3: not deleted
