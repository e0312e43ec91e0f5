"""Guests' work pages kept in memory: served again only while the change log says nothing
about the work, never for a reader with an account or a session, never a page that set a
cookie; a page with forms is kept with a placeholder for each guest's own CSRF token."""

import pytest
from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.search import page_cache
from fanarchive.tags.models import Tag
from fanarchive.works.models import Work
from fanarchive.works.tests.factories import WorkFactory


@pytest.fixture(autouse=True)
def store(monkeypatch, settings):
    settings.FANARCHIVE_GUEST_CACHE = True
    fresh = page_cache.PageStore(max_bytes=8 * 1024 * 1024)
    monkeypatch.setattr(page_cache, "_store", fresh)
    return fresh


@pytest.fixture
def work(db):
    return WorkFactory(title="The Lamplighter", text="The lamps on the Rue Plumet.")


def test_second_guest_gets_the_kept_page(client, work, store):
    first = client.get(f"/works/{work.id}")
    assert first.status_code == 200 and "X-Page-Cache" not in first
    second = Client().get(f"/works/{work.id}")
    assert second["X-Page-Cache"] == "hit"
    # The same page, but for the CSRF tokens of its forms (each guest gets their own).
    assert page_cache._TOKEN.sub(b"", second.content) == page_cache._TOKEN.sub(b"", first.content)
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]
    assert second["X-Frame-Options"] == "DENY"  # outer middleware still runs


def test_an_edit_shows_at_once(client, work):
    client.get(f"/works/{work.id}")
    work.title = "The Lamplighter's Round"
    work.save()
    response = client.get(f"/works/{work.id}")
    assert "X-Page-Cache" not in response
    assert "The Lamplighter&#x27;s Round" in response.text


def test_each_address_is_its_own_page(client, work):
    client.get(f"/works/{work.id}")
    response = client.get(f"/works/{work.id}?view_full_work=false")
    assert "X-Page-Cache" not in response


def test_readers_with_an_account_are_never_served_from_it(client, work, store):
    client.get(f"/works/{work.id}")
    client.force_login(UserFactory())
    response = client.get(f"/works/{work.id}")
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_a_guest_with_a_session_is_not_served_from_it(client, work):
    client.get(f"/works/{work.id}")
    client.cookies["sessionid"] = "abc"
    assert "X-Page-Cache" not in client.get(f"/works/{work.id}")


def test_a_page_that_writes_the_session_is_not_kept(db, store):
    adult = WorkFactory(tags=[Tag.objects.get(name="Explicit")])
    for _ in range(2):
        response = Client().get(f"/works/{adult.id}?view_adult=true")
        assert response.status_code == 200 and "X-Page-Cache" not in response
    assert store.stored == 0


def test_a_page_with_forms_is_kept_with_each_guest_given_their_own_token(work, store):
    """A page with a form carries a CSRF token: it is kept with a placeholder, and each guest
    it is served to gets a token of their own (and the cookie that goes with it)."""
    from django.contrib.auth.models import AnonymousUser
    from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token, get_token
    from django.test import RequestFactory
    from django.urls import resolve

    from fanarchive.works.views import work_detail

    def with_form(request):
        page = work_detail(request, work.id)
        token = get_token(request)
        form = f'<form><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        page.content = page.content.replace(b"</article>", form.encode() + b"</form></article>")
        return page

    def view(request):
        cache = page_cache.GuestPageCacheMiddleware(with_form)
        answer = cache.process_view(request, work_detail, (), {"work_id": work.id})
        return answer if answer is not None else cache(request)

    tokens, cookies = [], []
    for _ in range(2):
        request = RequestFactory().get(f"/works/{work.id}")
        request.user = AnonymousUser()
        request.resolver_match = resolve(request.path)
        response = CsrfViewMiddleware(view)(request)
        assert response.status_code == 200
        token = response.content.split(b'name="csrfmiddlewaretoken" value="')[1][:64].decode()
        tokens.append(token)
        cookies.append(response.cookies["csrftoken"].value)
        assert _unmask_cipher_token(token) == cookies[-1]  # the token goes with the cookie
    assert store.stored == 1 and response["X-Page-Cache"] == "hit"
    assert cookies[0] != cookies[1]  # the second guest did not get the first one's token
    assert b"\x00" not in response.content


def test_a_page_served_from_memory_is_still_a_read(client, work):
    from fanarchive.works.signals import work_read_cached

    seen = []

    def receiver(sender, *, request, work_id, **kwargs):
        seen.append(work_id)

    work_read_cached.connect(receiver)
    try:
        client.get(f"/works/{work.id}")
        assert seen == []  # rendered: the view sent work_read itself
        assert Client().get(f"/works/{work.id}")["X-Page-Cache"] == "hit"
        assert seen == [work.id]
        # The chapter index shows no text: kept, but not a read.
        Client().get(f"/works/{work.id}/navigate")
        assert Client().get(f"/works/{work.id}/navigate")["X-Page-Cache"] == "hit"
        assert seen == [work.id]
    finally:
        work_read_cached.disconnect(receiver)


def test_a_restricted_work_is_not_kept(client, db, store):
    hidden = WorkFactory(restricted=True)
    assert client.get(f"/works/{hidden.id}").status_code == 403
    assert store.stored == 0


def test_off_unless_switched_on(client, work, settings):
    settings.FANARCHIVE_GUEST_CACHE = False
    client.get(f"/works/{work.id}")
    assert "X-Page-Cache" not in client.get(f"/works/{work.id}")


def test_the_oldest_pages_make_room(db):
    small = page_cache.PageStore(max_bytes=100)
    small.put("/works/1", page_cache.Page(1, b"x" * 9, ()))
    small.put("/works/2", page_cache.Page(2, b"y" * 9, ()))
    small.put("/works/3", page_cache.Page(3, b"z" * 11, ()))  # > a tenth: not kept
    assert small.get("/works/3") is None
    small.max_bytes = 18
    small.put("/works/4", page_cache.Page(4, b"w" * 1, ()))  # 19 bytes: the oldest goes
    assert small.get("/works/1") is None and small.get("/works/2") is not None
    assert small.size == 10


def test_a_deleted_work_is_dropped(client, work):
    client.get(f"/works/{work.id}")
    Work.objects.get(pk=work.pk).delete()
    assert client.get(f"/works/{work.id}").status_code == 404
