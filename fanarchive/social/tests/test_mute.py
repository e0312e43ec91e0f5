"""Mute (AO3's): the profile's Mute/Unmute, the Muted users page, and a muted creator's works
gone from that reader's listings: tag pages, search, the front page."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from fanarchive.accounts.tests.factories import PseudFactory, UserFactory
from fanarchive.search.models import ExcludedCreator
from fanarchive.social import services
from fanarchive.social.selectors import muted_user_ids
from fanarchive.social.services import SocialRefused
from fanarchive.tags.models import TagType
from fanarchive.tags.names import tag_to_url
from fanarchive.tags.tests.factories import TagFactory

from .conftest import client_for, make_work


def notice(response) -> str:
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_the_profile_offers_mute_to_readers_only(author, reader_client):
    html = reader_client.get("/users/hugo").content.decode()
    assert 'href="/users/hugo/mute"' in html and 'href="/users/hugo/block"' in html
    guest = Client().get("/users/hugo").content.decode()
    assert "/users/hugo/mute" not in guest and "/users/hugo/block" not in guest


def test_your_own_profile_links_your_muted_and_blocked_users(author, author_client):
    html = author_client.get("/users/hugo").content.decode()
    assert 'href="/users/hugo/muted">Muted users</a>' in html
    assert 'href="/users/hugo/blocked">Blocked users</a>' in html
    assert '/users/hugo/mute"' not in html


def test_mute_confirm_then_mute_then_unmute(author, reader, reader_client):
    confirm = reader_client.get("/users/hugo/mute")
    assert confirm.status_code == 200
    assert "Are you sure you want to mute hugo?" in confirm.content.decode()
    assert not ExcludedCreator.objects.exists()  # a GET changes nothing

    response = reader_client.post("/users/hugo/mute")
    assert response.status_code == 302 and response["Location"] == "/users/hugo"
    assert ExcludedCreator.objects.filter(user=reader, creator=author).exists()
    profile = reader_client.get("/users/hugo").content.decode()
    assert 'action="/users/hugo/unmute"' in profile
    assert "You have muted hugo." in profile

    assert reader_client.post("/users/hugo/mute").status_code == 302  # twice: still one
    assert ExcludedCreator.objects.filter(user=reader).count() == 1

    response = reader_client.post("/users/hugo/unmute", {"next": "/users/cosette/muted"})
    assert response["Location"] == "/users/cosette/muted"
    assert not ExcludedCreator.objects.exists()
    assert notice(reader_client.post("/users/hugo/unmute")) == "You had not muted hugo."


def test_muting_yourself_is_refused_with_a_notice(reader, reader_client):
    response = reader_client.post("/users/cosette/mute")
    assert response.status_code == 302
    assert notice(response) == "You can't mute yourself."
    assert not ExcludedCreator.objects.exists()
    page = reader_client.get("/users/cosette/mute", follow=True)
    assert page.redirect_chain == [("/users/cosette", 302)]
    assert "You can&#x27;t mute yourself." in page.content.decode()
    with pytest.raises(SocialRefused):
        services.mute_add(user=reader, muted=reader)


def test_the_mute_limit(reader, reader_client, settings):
    settings.FANARCHIVE_MAX_MUTED_USERS = 2
    for name in ("a1", "a2"):
        UserFactory(username=name)
        reader_client.post(f"/users/{name}/mute")
    UserFactory(username="a3")
    response = reader_client.post("/users/a3/mute")
    assert notice(response).startswith("You can mute up to 2 users.")
    assert ExcludedCreator.objects.filter(user=reader).count() == 2
    reader_client.post("/users/a1/unmute")
    reader_client.post("/users/a3/mute")
    assert set(muted_user_ids(reader)) == {
        u.pk for u in type(reader).objects.filter(username__in=["a2", "a3"])
    }


def test_mute_needs_an_account_post_and_a_real_user(author, reader_client):
    login = Client().post("/users/hugo/mute")
    assert login.status_code == 302 and login["Location"].startswith("/users/login")
    assert reader_client.post("/users/nobody/mute").status_code == 404
    assert reader_client.get("/users/hugo/unmute").status_code == 405
    assert not ExcludedCreator.objects.exists()


def test_mute_checks_csrf(author, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post("/users/hugo/mute").status_code == 403
    assert not ExcludedCreator.objects.exists()


def test_the_muted_users_page(author, reader, reader_client):
    services.mute_add(user=reader, muted=author)
    html = reader_client.get("/users/cosette/muted").content.decode()
    assert '<a href="/users/hugo">hugo</a>' in html
    assert 'action="/users/hugo/unmute"' in html
    # Only its owner sees it.
    assert client_for(author).get("/users/cosette/muted").status_code == 403
    assert Client().get("/users/cosette/muted").status_code == 302
    assert reader_client.get("/users/nobody/muted").status_code == 404
    # Its "Mute a user" form leads to the confirmation page.
    found = reader_client.get("/users/cosette/muted", {"user": "HUGO"})
    assert found["Location"] == "/users/hugo/mute"
    missing = reader_client.get("/users/cosette/muted", {"user": "nobody"}, follow=True)
    assert "User: there is no account named &#x27;nobody&#x27;." in missing.content.decode()
    services.mute_remove(user=reader, muted=author)
    assert (
        "You have not muted any users."
        in reader_client.get("/users/cosette/muted").content.decode()
    )


# --- The listings ------------------------------------------------------------------------------


@pytest.fixture
def listed(author, reader):
    """A fandom with works by hugo (alone, under a second pseud, and with a co-creator) and
    one by sand; cosette has muted hugo."""
    fandom = TagFactory(name="Les Misérables", type=TagType.FANDOM, canonical=True)
    sand = UserFactory(username="sand")
    works = {
        "hugo": make_work("Hugo Alone", creators=[author], tags=[fandom]),
        "pseud": make_work(
            "Hugo Masked", creators=[PseudFactory(user=author, name="Javert")], tags=[fandom]
        ),
        "together": make_work("Hugo And Sand", creators=[sand, author], tags=[fandom]),
        "sand": make_work("Sand Alone", creators=[sand], tags=[fandom]),
    }
    services.mute_add(user=reader, muted=author)
    return fandom, works


def titles(html: str) -> set[str]:
    names = {"Hugo Alone", "Hugo Masked", "Hugo And Sand", "Sand Alone"}
    return {name for name in names if re.search(rf">\s*{re.escape(name)}\s*<", html)}


def test_muted_works_leave_the_tag_listing(listed, reader_client):
    fandom, _ = listed
    path = f"/tags/{tag_to_url(fandom.name)}/works"
    assert titles(reader_client.get(path).content.decode()) == {"Sand Alone"}
    others = client_for(UserFactory(username="marius")).get(path).content.decode()
    assert titles(others) == {"Hugo Alone", "Hugo Masked", "Hugo And Sand", "Sand Alone"}
    assert len(titles(Client().get(path).content.decode())) == 4


def test_muted_works_leave_search_results(listed, reader_client):
    html = reader_client.get("/works/search", {"q": "Hugo"}).content.decode()
    assert titles(html) == set()
    html = reader_client.get("/works/search").content.decode()
    assert titles(html) == {"Sand Alone"}
    guest = Client().get("/works/search", {"q": "Hugo"}).content.decode()
    assert titles(guest) == {"Hugo Alone", "Hugo Masked", "Hugo And Sand"}


def test_muted_works_leave_the_front_page(listed, reader, reader_client):
    assert titles(reader_client.get("/").content.decode()) == {"Sand Alone"}
    assert len(titles(Client().get("/").content.decode())) == 4
    services.mute_remove(user=reader, muted=listed[1]["hugo"].creatorships.get().pseud.user)
    assert len(titles(reader_client.get("/").content.decode())) == 4


def test_a_muted_creators_own_page_still_lists_their_works(listed, reader_client):
    assert titles(reader_client.get("/users/hugo/works").content.decode()) == {
        "Hugo Alone",
        "Hugo Masked",
        "Hugo And Sand",
    }
