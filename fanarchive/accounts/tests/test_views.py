"""Account pages: profile, pseud links, logging in and out."""

import pytest

from fanarchive.accounts.tests.factories import PseudFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_debug(settings):
    settings.DEBUG = False


def test_profile_lists_pseuds_and_links_to_works(client):
    user = UserFactory(username="cosette")
    PseudFactory(user=user, name="Euphrasie", description="<i>Lark</i>")
    response = client.get("/users/cosette")
    assert response.status_code == 200
    html = response.text
    assert 'href="/users/cosette/works"' in html
    assert 'href="/users/cosette/pseuds/cosette/works">cosette</a>' in html
    assert 'href="/users/cosette/pseuds/Euphrasie/works">Euphrasie (cosette)</a>' in html
    assert "&lt;i&gt;Lark&lt;/i&gt;" in html  # descriptions are plain text, escaped
    assert html.index(">cosette</a>") < html.index(">Euphrasie (cosette)</a>")  # default first


def test_unknown_user_is_404(client):
    response = client.get("/users/nobody")
    assert response.status_code == 404
    assert "Error 404: page not found" in response.text


def test_pseud_page_redirects_to_its_works_ignoring_case(client):
    PseudFactory(user=UserFactory(username="cosette"), name="Euphrasie")
    response = client.get("/users/cosette/pseuds/euphrasie")
    assert response.status_code == 302
    assert response.url == "/users/cosette/pseuds/Euphrasie/works"
    assert client.get("/users/cosette/pseuds/nobody").status_code == 404
    assert client.get("/users/nobody/pseuds/Euphrasie").status_code == 404


def test_log_in_then_back_where_you_were_and_log_out(client):
    UserFactory(username="marius")
    page = client.get("/users/login?next=/works/1")
    assert page.status_code == 200
    assert 'name="username"' in page.text and 'name="password"' in page.text
    assert 'for="id_username"' in page.text
    bad = client.post("/users/login", {"username": "marius", "password": "wrong"})
    assert bad.status_code == 200 and 'role="alert"' in bad.text
    response = client.post(
        "/users/login",
        {"username": "marius", "password": "correct horse battery", "next": "/works/1"},
    )
    assert response.status_code == 302 and response.url == "/works/1"
    home = client.get("/")
    assert 'href="/users/marius">marius</a>' in home.text and "Log out" in home.text
    assert client.post("/users/logout").status_code == 302
    assert "Log in" in client.get("/").text


def test_login_refuses_to_send_you_off_site(client):
    UserFactory(username="marius")
    response = client.post(
        "/users/login",
        {
            "username": "marius",
            "password": "correct horse battery",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert response.url == "/"
