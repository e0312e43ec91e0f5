"""The Atom feeds: per tag (`/tags/<name>/feed.atom`) and per creator
(`/users/<login>/works/feed.atom`): the newest works a guest may see, with AO3's summary."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.tags.models import TagType
from fanarchive.tags.names import tag_to_url
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.tags.wrangling import tag_add_metatag
from fanarchive.works.models import Work

from .conftest import post_work

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 (the archive's own output)


def _entries(root):
    return root.findall(f"{ATOM}entry")


def _titles(root):
    return [e.findtext(f"{ATOM}title") for e in _entries(root)]


def _tag_feed_url(name):
    return f"/tags/{tag_to_url(name)}/feed.atom"


def test_tag_feed_lists_the_works_under_the_tag_with_their_details(writer, fandom):
    relationship = TagFactory(name="Javert/Jean Valjean", type=TagType.RELATIONSHIP)
    character = TagFactory(name="Javert", type=TagType.CHARACTER)
    freeform = TagFactory(name="Rooftops", type=TagType.FREEFORM)
    work = post_work(
        writer,
        "On the <Barricade>",
        tags=[fandom, relationship, character, freeform],
        summary="<p>Two men <em>and</em> a city.</p><script>alert(1)</script>",
        series="The Saga",
    )
    post_work(writer, "Elsewhere")  # not under the fandom
    root = _feed(Client(), _tag_feed_url(fandom.name))
    assert root.findtext(f"{ATOM}title") == f"Works tagged “{fandom.name}”"
    [entry] = _entries(root)
    assert entry.findtext(f"{ATOM}title") == "On the <Barricade>"
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/works/{work.pk}"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "hugo"
    assert entry.findtext(f"{ATOM}published").startswith("2025-01-01")
    assert entry.findtext(f"{ATOM}updated").startswith("2025-01-01")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    html = summary.text
    assert "<p>Two men <em>and</em> a city.</p>" in html  # the summary's HTML, sanitized
    assert "<script" not in html and "alert(1)" not in html.replace("&lt;", "")
    assert "Words: 3, Chapters: 1/1, Language: English" in html
    assert 'Part 1 of <a href="http://testserver/series/' in html
    assert '<li>Rating: <a href="http://testserver/tags/General%20Audiences/works">' in html
    assert "<li>Archive Warnings: " in html
    fandom_works = reverse("search:tag_works", args=[fandom.name])
    assert f'<li>Fandoms: <a href="http://testserver{fandom_works}">' in html
    relationship_works = "http://testserver/tags/Javert*s*Jean%20Valjean/works"
    assert f'<li>Relationships: <a href="{relationship_works}">Javert/Jean Valjean</a></li>' in html
    assert "<li>Characters: " in html and "<li>Additional Tags: " in html
    assert html.index("Rating:") < html.index("Fandoms:") < html.index("Relationships:")
    assert html.index("Relationships:") < html.index("Characters:") < html.index("Additional Tags:")
    assert 'href="http://testserver/users/hugo/pseuds/hugo/works"' in html
    categories = {c.get("term") for c in entry.findall(f"{ATOM}category")}
    assert {"General Audiences", fandom.name, "Javert/Jean Valjean", "Rooftops"} <= categories


def test_feed_titles_are_escaped_xml(writer, fandom):
    post_work(writer, 'Title <script>alert("x")</script> & co', tags=[fandom])
    response = Client().get(_tag_feed_url(fandom.name))
    assert b"<script>" not in response.content
    [title] = _titles(_feed(Client(), _tag_feed_url(fandom.name)))
    assert title == 'Title <script>alert("x")</script> & co'  # escaped in XML, intact once parsed


def test_newest_twenty_works_newest_first(writer, fandom):
    start = datetime.date(2024, 1, 1)
    for n in range(22):
        post_work(writer, f"Work {n:02}", tags=[fandom], published=start + datetime.timedelta(n))
    titles = _titles(_feed(Client(), _tag_feed_url(fandom.name)))
    assert titles == [f"Work {n:02}" for n in range(21, 1, -1)]


@pytest.mark.parametrize("as_member", [False, True])
def test_restricted_drafts_and_hidden_works_never_in_feeds(writer, reader, fandom, as_member):
    post_work(writer, "Public", tags=[fandom])
    post_work(writer, "Members only", tags=[fandom], restricted=True)
    post_work(writer, "A draft", tags=[fandom], posted=False)
    hidden = post_work(writer, "Hidden", tags=[fandom])
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    client = Client()
    if as_member:
        client.force_login(reader)  # even a logged-in reader gets the guests' feed
    assert _titles(_feed(client, _tag_feed_url(fandom.name))) == ["Public"]
    assert _titles(_feed(client, "/users/hugo/works/feed.atom")) == ["Public"]
    writer_client = Client()
    writer_client.force_login(writer)  # not even for the creator
    assert _titles(_feed(writer_client, "/users/hugo/works/feed.atom")) == ["Public"]


def test_a_synonyms_feed_is_its_canonicals(writer, fandom):
    synonym = TagFactory(name="Les Mis", type=TagType.FANDOM, merger=fandom)
    post_work(writer, "Tagged with the synonym", tags=[synonym])
    post_work(writer, "Tagged with the canonical", tags=[fandom])
    root = _feed(Client(), _tag_feed_url("Les Mis"))
    assert root.findtext(f"{ATOM}title") == f"Works tagged “{fandom.name}”"
    assert sorted(_titles(root)) == ["Tagged with the canonical", "Tagged with the synonym"]


def test_feed_is_the_same_set_as_the_tag_works_page(writer, fandom):
    sub = TagFactory(name="Les Misérables (Musical)", type=TagType.FANDOM, canonical=True)
    tag_add_metatag(tag=sub, meta=fandom, wrangler=None)
    post_work(writer, "Musical", tags=[sub])
    post_work(writer, "Book", tags=[fandom])
    titles = sorted(_titles(_feed(Client(), _tag_feed_url(fandom.name))))
    page = Client().get(reverse("search:tag_works", args=[fandom.name])).content.decode()
    assert titles == ["Book", "Musical"]
    assert all(title in page for title in titles)


@pytest.mark.parametrize(
    "name", ["Javert/Jean Valjean", "Dr. Who & Co?", "#hashtag fic", "Ünïcödé Tag"]
)
def test_tag_names_are_escaped_in_feed_urls_as_in_tag_urls(writer, name):
    tag = TagFactory(name=name, type=TagType.FREEFORM, canonical=True)
    post_work(writer, "Escaped", tags=[tag])
    url = reverse("subscriptions:tag_feed", args=[name])
    assert url == _tag_feed_url(name)
    assert url.replace("/feed.atom", "/works") == reverse("search:tag_works", args=[name])
    assert _titles(_feed(Client(), url)) == ["Escaped"]


def test_unknown_tag_and_unknown_user_are_404(db):
    assert Client().get("/tags/No%20Such%20Tag/feed.atom").status_code == 404
    assert Client().get("/users/nobody/works/feed.atom").status_code == 404


def test_creator_feed_lists_only_that_creators_works(writer, reader):
    post_work(writer, "By Hugo")
    post_work(reader, "By Cosette")
    root = _feed(Client(), "/users/hugo/works/feed.atom")
    assert root.findtext(f"{ATOM}title") == "Works by hugo"
    assert _titles(root) == ["By Hugo"]
    assert _titles(_feed(Client(), "/users/cosette/works/feed.atom")) == ["By Cosette"]


def test_feeds_are_linked_from_the_tag_and_creator_works_pages(writer, fandom):
    post_work(writer, "Linked", tags=[fandom])
    tag_page = Client().get(reverse("search:tag_works", args=[fandom.name])).content.decode()
    feed = reverse("subscriptions:tag_feed", args=[fandom.name])
    assert '<link rel="alternate" type="application/atom+xml"' in tag_page
    assert f'href="{feed}"' in tag_page
    assert tag_page.count(f'href="{feed}"') == 2  # the <link> and a visible link
    creator_page = Client().get("/users/hugo/works").content.decode()
    assert creator_page.count('href="/users/hugo/works/feed.atom"') == 2
    assert '<link rel="alternate" type="application/atom+xml"' in creator_page
    # Pages without a feed have none.
    assert "application/atom+xml" not in Client().get("/").content.decode()
