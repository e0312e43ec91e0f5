"""Tag URLs: AO3's escapes in both directions, the tag page, the `tag_url` filter."""

from urllib.parse import unquote

import pytest
from django.template import engines
from django.urls import resolve, reverse
from hypothesis import given
from hypothesis import strategies as st

from fanarchive.tags.names import FORBIDDEN_CHARACTERS, tag_to_url
from fanarchive.tags.tests.factories import TagFactory


@pytest.fixture(autouse=True)
def _no_debug(settings):
    settings.DEBUG = False


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("Javert/Jean Valjean", "/tags/Javert*s*Jean%20Valjean/works"),
        ("Q&A", "/tags/Q*a*A/works"),
        ("Mr. Darcy", "/tags/Mr*d*%20Darcy/works"),
        ("Why?", "/tags/Why*q*/works"),
        ("#1 Fan", "/tags/*h*1%20Fan/works"),
        ("Les Misérables", "/tags/Les%20Mis%C3%A9rables/works"),
    ],
)
def test_reverse_escapes_names_like_ao3(name, url):
    assert reverse("search:tag_works", kwargs={"name": name}) == url
    # The server percent-decodes the path before matching it.
    assert resolve(unquote(url)).kwargs == {"name": name}


tag_names = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters=FORBIDDEN_CHARACTERS
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip())


@given(tag_names)
def test_any_tag_name_round_trips_through_its_url(name):
    url = reverse("search:tag_works", kwargs={"name": name})
    assert url.count("/") == 3  # one path segment, whatever the name holds
    assert resolve(unquote(url)).kwargs == {"name": name}
    # The same name as fanarchive.tags.names.tag_to_url writes it, once both are decoded.
    assert unquote(url) == f"/tags/{unquote(tag_to_url(name))}/works"


def test_tag_url_filter_takes_a_tag_or_a_name():
    template = engines["django"].from_string(
        "{% load archive %}{{ tag|tag_url }} {{ 'A/B'|tag_url }}"
    )
    tag = TagFactory.build(name="Javert/Jean Valjean")
    assert template.render({"tag": tag}) == "/tags/Javert*s*Jean%20Valjean/works /tags/A*s*B/works"


@pytest.mark.django_db
def test_tag_page_is_found_whatever_the_case_and_links_its_works(client):
    TagFactory(name="Javert/Jean Valjean")
    response = client.get("/tags/javert*s*jean%20VALJEAN")
    assert response.status_code == 200
    assert 'href="/tags/Javert*s*Jean%20Valjean/works"' in response.content.decode()


@pytest.mark.django_db
def test_unknown_tag_page_is_the_styled_404(client):
    response = client.get("/tags/Nothing%20Here")
    assert response.status_code == 404
    assert "Error 404: page not found" in response.text
