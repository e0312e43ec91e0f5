"""The reading pages: front page, work listings, a work and its chapters."""

import datetime
import re

import pytest
from django.test import Client

from fanarchive.accounts.tests.factories import PseudFactory, UserFactory
from fanarchive.core.text import text_to_html
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Chapter, Series, SeriesWork, WorkStats
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db

NOTICE = "This work could have adult content. If you proceed you have agreed"


def day(n):
    return datetime.date(2024, 1, 1) + datetime.timedelta(days=n)


def fixed(name):
    return Tag.objects.get(name=name)


def add_chapters(work, *titles, posted=True):
    """Add chapters after the factory's first one; returns them."""
    chapters = []
    start = work.chapters.count() + 1
    for position, title in enumerate(titles, start=start):
        chapters.append(
            Chapter.objects.create(
                work=work,
                position=position,
                title=title,
                summary=f"<p>Summary of {title}</p>",
                notes=f"<p>Notes on {title}</p>",
                text=text_to_html(f"Text of {title}."),
                published=work.published,
                posted=posted,
            )
        )
    work.chapter_count = work.chapters.filter(posted=True).count()
    work.expected_chapters = None
    work.save()
    return chapters


def blurb_titles(response):
    return re.findall(r'<h2 class="blurb-title"><a href="/works/\d+">([^<]*)</a>', response.text)


@pytest.fixture(autouse=True)
def _no_debug(settings):
    settings.DEBUG = False


# --- Front page ----------------------------------------------------------------------------


def test_home_lists_recent_works_with_blurb_details(client):
    fandom = TagFactory(name="Les Misérables - Victor Hugo", type=TagType.FANDOM)
    rel = TagFactory(name="Javert/Jean Valjean", type=TagType.RELATIONSHIP)
    fluff = TagFactory(name="Fluff")
    pseud = PseudFactory(user=UserFactory(username="cosette"), name="Euphrasie")
    work = WorkFactory(
        title="The Lamps",
        creator=pseud,
        published=day(3),
        tags=[fixed("Teen And Up Audiences"), fixed("Major Character Death"), fandom, rel, fluff],
        language="fr",
        expected_chapters=None,
        complete=False,
    )
    work.summary = "<p>Valjean <em>thinks</em>.</p>"
    work.save()
    WorkStats.objects.filter(work=work).update(kudos=1234, hits=98765)
    WorkFactory(title="Older", published=day(1))
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert blurb_titles(response) == ["The Lamps", "Older"]
    assert 'href="/users/cosette/pseuds/Euphrasie/works">Euphrasie (cosette)</a>' in html
    assert 'href="/tags/Les%20Mis%C3%A9rables%20-%20Victor%20Hugo/works"' in html
    assert 'href="/tags/Javert*s*Jean%20Valjean/works">Javert/Jean Valjean</a>' in html
    # Warnings come first among the blurb's tags.
    assert html.index("Major Character Death</a>") < html.index(">Javert/Jean Valjean<")
    assert html.index(">Javert/Jean Valjean<") < html.index(">Fluff<")
    assert "<p>Valjean <em>thinks</em>.</p>" in html
    assert "Français" in html
    assert "1,234" in html and "98,765" in html
    assert "1/?" in html
    assert "Rating: Teen And Up Audiences" in html
    assert "Status: Work in Progress" in html
    assert "04 Jan 2024" in html


def test_home_shows_twenty_newest(client):
    for i in range(23):
        WorkFactory(title=f"W{i}", published=day(i))
    titles = blurb_titles(client.get("/"))
    assert titles == [f"W{i}" for i in range(22, 2, -1)]


def test_user_text_is_escaped(client):
    WorkFactory(title="<script>alert(1)</script>", tags=[TagFactory(name="<b>bold</b>")])
    html = client.get("/").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_no_inline_scripts_or_styles(client):
    WorkFactory()
    html = client.get("/").text
    assert "<script" not in html
    assert "style=" not in html
    assert 'href="#main"' in html and 'id="main"' in html


# --- Visibility in listings ------------------------------------------------------------------


@pytest.fixture
def mixed_works():
    creator = UserFactory(username="author")
    pseud = creator.default_pseud()
    fluff = TagFactory(name="Fluff")
    WorkFactory(title="Public", creator=pseud, tags=[fluff], published=day(1))
    WorkFactory(title="Restricted", creator=pseud, tags=[fluff], restricted=True, published=day(2))
    WorkFactory(title="Draft", creator=pseud, tags=[fluff], posted=False, published=day(3))
    WorkFactory(title="Hidden", creator=pseud, tags=[fluff], hidden_by_admin=True, published=day(4))
    return creator


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("guest", ["Public"]),
        ("reader", ["Restricted", "Public"]),
        ("creator", ["Restricted", "Public"]),
        ("staff", ["Restricted", "Public"]),
    ],
)
@pytest.mark.parametrize(
    "url", ["/", "/tags/fluff/works", "/users/author/works", "/users/author/pseuds/author/works"]
)
def test_listings_show_only_what_the_viewer_may_open(client, mixed_works, who, expected, url):
    if who == "creator":
        client.force_login(mixed_works)
    elif who == "reader":
        client.force_login(UserFactory())
    elif who == "staff":
        client.force_login(UserFactory(is_staff=True))
    response = client.get(url)
    assert response.status_code == 200
    assert blurb_titles(response) == expected
    if url != "/":
        assert f"{len(expected)} Work" in response.text
        assert "Draft" not in response.text and "Hidden" not in response.text


# --- Tag listing -------------------------------------------------------------------------------


def test_tag_listing_heading_pagination_and_case(client):
    fluff = TagFactory(name="Fluff")
    for i in range(45):
        WorkFactory(title=f"F{i}", published=day(i), tags=[fluff])
    WorkFactory(title="Not fluff")
    response = client.get("/tags/FLUFF/works")
    assert response.status_code == 200
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S).group(1)
    assert " ".join(heading.split()) == "1 \N{EN DASH} 20 of 45 Works in Fluff"
    assert blurb_titles(response)[0] == "F44"
    assert 'href="?page=2"' in response.text and 'href="?page=3"' in response.text
    assert 'aria-current="page">1<' in response.text
    page3 = client.get("/tags/Fluff/works?page=3")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page3.text, re.S).group(1)
    assert " ".join(heading.split()) == "41 \N{EN DASH} 45 of 45 Works in Fluff"
    assert blurb_titles(page3) == ["F4", "F3", "F2", "F1", "F0"]
    for bad in ("4", "0", "abc"):
        assert client.get(f"/tags/Fluff/works?page={bad}").status_code == 404


def test_tag_listing_large_count_has_thousands_separator(client, monkeypatch):
    from fanarchive.works import selectors

    fluff = TagFactory(name="Fluff")
    for i in range(3):
        WorkFactory(published=day(i), tags=[fluff])
    monkeypatch.setattr(selectors.settings, "WORKS_PER_PAGE", 1, raising=False)
    # Three works, one a page: the heading reads like AO3's.
    response = client.get("/tags/Fluff/works?page=2")
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S).group(1)
    assert " ".join(heading.split()) == "2 \N{EN DASH} 2 of 3 Works in Fluff"


def test_single_work_heading(client):
    WorkFactory(tags=[TagFactory(name="Angst")])
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", client.get("/tags/Angst/works").text, re.S)
    assert " ".join(heading.group(1).split()) == "1 Work in Angst"


def test_escaped_tag_url_resolves(client):
    tag = TagFactory(name="Javert/Jean Valjean & Co. #1?", type=TagType.RELATIONSHIP)
    WorkFactory(title="Found", tags=[tag])
    response = client.get("/tags/Javert*s*Jean%20Valjean%20*a*%20Co*d*%20*h*1*q*/works")
    assert response.status_code == 200
    assert blurb_titles(response) == ["Found"]


@pytest.mark.parametrize(
    "url",
    [
        "/tags/No%20such%20tag/works",
        "/works/999999",
        "/users/nobody/works",
        "/users/nobody/pseuds/nobody/works",
        "/no/such/page",
    ],
)
def test_unknown_things_get_the_styled_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Error 404: page not found" in response.text
    assert "css/fanarchive.css" in response.text


def test_unknown_pseud_of_known_user_is_404(client):
    UserFactory(username="author")
    assert client.get("/users/author/pseuds/ghost/works").status_code == 404


# --- A work ------------------------------------------------------------------------------------


def test_work_page_meta_block_and_text(client):
    fandom = TagFactory(name="Les Misérables", type=TagType.FANDOM)
    char = TagFactory(name="Cosette", type=TagType.CHARACTER)
    extra = TagFactory(name="Found Family")
    pseud = PseudFactory(user=UserFactory(username="hugo"), name="Victor")
    work = WorkFactory(
        title="Rue Plumet",
        creator=pseud,
        text="Once upon a time.",
        tags=[fixed("General Audiences"), fixed("Gen"), fandom, char, extra],
        published=day(0),
    )
    work.summary, work.notes, work.end_notes = "<p>Sum.</p>", "<p>Begin.</p>", "<p>End.</p>"
    work.save()
    WorkStats.objects.filter(work=work).update(kudos=7, hits=300)
    SeriesWork.objects.create(
        series=Series.objects.create(title="Lamplight"), work=work, position=3
    )
    response = client.get(f"/works/{work.id}")
    assert response.status_code == 200
    html = response.text
    assert NOTICE not in html
    for label in (
        "Rating:",
        "Archive Warning:",
        "Category:",
        "Fandom:",
        "Character:",
        "Additional Tags:",
        "Language:",
        "Published:",
        "Words:",
        "Chapters:",
        "Kudos:",
        "Hits:",
    ):
        assert label in html
    assert 'href="/tags/General%20Audiences/works">General Audiences</a>' in html
    assert 'href="/tags/Found%20Family/works">Found Family</a>' in html
    assert "Part 3 of" in html and "Lamplight" in html
    assert ">English<" in html
    assert 'href="/users/hugo/pseuds/Victor/works">Victor (hugo)</a>' in html
    assert "<p>Sum.</p>" in html and "<p>Begin.</p>" in html and "<p>End.</p>" in html
    assert "<p>Once upon a time.</p>" in html
    assert "1/1" in html and "2024-01-01" in html
    assert "Entire Work" not in html  # one chapter: no chapter navigation


@pytest.mark.parametrize("rating", ["Mature", "Explicit", "Not Rated"])
def test_adult_gate_notice_then_proceed_remembered(client, rating):
    work = WorkFactory(tags=[fixed(rating)], text="Secret text here.")
    other = WorkFactory(tags=[fixed("Explicit")], text="Other adult text.")
    response = client.get(f"/works/{work.id}")
    assert response.status_code == 200
    assert NOTICE in response.text
    assert "Secret text here." not in response.text
    assert f'href="/works/{work.id}?view_adult=true">Proceed</a>' in response.text
    assert ">Go back</a>" in response.text
    proceeded = client.get(f"/works/{work.id}?view_adult=true")
    assert NOTICE not in proceeded.text
    assert "Secret text here." in proceeded.text
    # Remembered in the session for later adult works, chapters and full view.
    assert "Other adult text." in client.get(f"/works/{other.id}").text
    chapter = other.chapters.get()
    assert "Other adult text." in client.get(f"/works/{other.id}/chapters/{chapter.id}").text


def test_adult_gate_applies_to_chapters_and_full_work(client):
    work = WorkFactory(tags=[fixed("Mature")])
    second = add_chapters(work, "Two")[0]
    chapter_url = f"/works/{work.id}/chapters/{second.id}"
    response = client.get(chapter_url)
    assert NOTICE in response.text and "Text of Two." not in response.text
    assert f'href="{chapter_url}?view_adult=true">Proceed</a>' in response.text
    full = client.get(f"/works/{work.id}?view_full_work=true")
    assert NOTICE in full.text
    assert f"/works/{work.id}?view_full_work=true&amp;view_adult=true" in full.text
    assert "Text of Two." in client.get(f"{chapter_url}?view_adult=true").text


@pytest.mark.parametrize("rating", ["General Audiences", "Teen And Up Audiences"])
def test_no_adult_gate_for_general_or_teen(client, rating):
    work = WorkFactory(tags=[fixed(rating)], text="Plain text.")
    response = client.get(f"/works/{work.id}")
    assert NOTICE not in response.text
    assert "Plain text." in response.text


def test_multichapter_first_chapter_navigation(client):
    work = WorkFactory(text="First text.")
    work.notes, work.end_notes = "<p>Work begins.</p>", "<p>Work ends.</p>"
    work.save()
    two, three = add_chapters(work, "Two", "Three")
    first = work.chapters.get(position=1)
    response = client.get(f"/works/{work.id}")
    html = response.text
    assert "First text." in html and "Text of Two." not in html
    assert f'href="/works/{work.id}?view_full_work=true">Entire Work</a>' in html
    assert f'href="/works/{work.id}/chapters/{two.id}">Next Chapter →</a>' in html
    assert "Previous Chapter" not in html
    assert f'<option value="{three.id}">3. Three</option>' in html
    assert f'<option value="{first.id}" selected>' in html
    assert "Work begins." in html and "Work ends." not in html
    assert "3/?" in html


def test_chapter_page_previous_and_next(client):
    work = WorkFactory(text="First text.")
    work.notes, work.end_notes = "<p>Work begins.</p>", "<p>Work ends.</p>"
    work.save()
    two, three = add_chapters(work, "Two", "Three")
    first = work.chapters.get(position=1)
    html = client.get(f"/works/{work.id}/chapters/{two.id}").text
    assert "Text of Two." in html and "First text." not in html
    assert "Summary of Two" in html and "Notes on Two" in html
    assert "Chapter 2</a>: Two" in html
    assert f'href="/works/{work.id}/chapters/{first.id}">← Previous Chapter</a>' in html
    assert f'href="/works/{work.id}/chapters/{three.id}">Next Chapter →</a>' in html
    assert "Work begins." not in html
    last = client.get(f"/works/{work.id}/chapters/{three.id}").text
    assert "Next Chapter" not in last and "Work ends." in last


def test_full_work_shows_every_chapter_with_heading(client):
    work = WorkFactory(text="First text.")
    add_chapters(work, "Two", "Three")
    html = client.get(f"/works/{work.id}?view_full_work=true").text
    positions = [html.index(s) for s in ("First text.", "Text of Two.", "Text of Three.")]
    assert positions == sorted(positions)
    assert "Chapter 2</a>: Two" in html and "Chapter 3</a>: Three" in html
    assert "Summary of Three" in html and "Notes on Two" in html
    assert "Chapter by Chapter" in html


def test_draft_chapters_hidden_from_readers(client):
    creator = UserFactory()
    work = WorkFactory(creator=creator.default_pseud())
    (draft,) = add_chapters(work, "Unposted", posted=False)
    assert client.get(f"/works/{work.id}/chapters/{draft.id}").status_code == 404
    assert "Unposted" not in client.get(f"/works/{work.id}?view_full_work=true").text
    client.force_login(creator)
    assert "Text of Unposted." in client.get(f"/works/{work.id}/chapters/{draft.id}").text


def test_chapter_of_another_work_is_404(client):
    work, other = WorkFactory(), WorkFactory()
    add_chapters(work, "Two")
    chapter = other.chapters.get()
    response = client.get(f"/works/{work.id}/chapters/{chapter.id}")
    assert response.status_code == 404
    assert "Error 404" in response.text
    assert client.get(f"/works/{work.id}/chapters?selected_id={chapter.id}").status_code == 404


def test_chapter_select_and_index(client):
    work = WorkFactory()
    (two,) = add_chapters(work, "Two")
    response = client.get(f"/works/{work.id}/chapters?selected_id={two.id}")
    assert response.status_code == 302
    assert response.url == f"/works/{work.id}/chapters/{two.id}"
    index = client.get(f"/works/{work.id}/navigate")
    assert index.status_code == 200
    assert f'href="/works/{work.id}/chapters/{two.id}">2. Two</a>' in index.text


# --- Visibility of one work --------------------------------------------------------------------


def test_restricted_work_asks_a_guest_to_log_in(client):
    work = WorkFactory(restricted=True, text="Members only text.")
    response = client.get(f"/works/{work.id}")
    assert response.status_code == 403
    assert "Members only text." not in response.text
    assert f'href="/users/login?next=%2Fworks%2F{work.id}"' in response.text
    client.force_login(UserFactory())
    assert "Members only text." in client.get(f"/works/{work.id}").text


@pytest.mark.parametrize("kind", ["draft", "hidden"])
def test_drafts_and_hidden_works(client, kind):
    creator = UserFactory()
    options = {"posted": False} if kind == "draft" else {"hidden_by_admin": True}
    work = WorkFactory(creator=creator.default_pseud(), text="Not for you.", **options)
    url = f"/works/{work.id}"
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == (200 if kind == "hidden" else 404)
    client.force_login(creator)
    response = client.get(url)
    assert response.status_code == 200 and "Not for you." in response.text


# --- Query counts ------------------------------------------------------------------------------


def make_works(n, tag):
    fandom = TagFactory(name="Les Misérables", type=TagType.FANDOM)
    for i in range(n):
        creator = PseudFactory()
        work = WorkFactory(published=day(i), creator=creator, tags=[fandom, tag])
        add_chapters(work, "Two")


@pytest.mark.parametrize("n", [3, 25])
def test_query_ceilings_do_not_grow_with_works(django_assert_max_num_queries, n):
    fluff = TagFactory(name="Fluff")
    make_works(n, fluff)
    work = WorkFactory(tags=[fluff, TagFactory(name="Angst")])
    add_chapters(work, *[f"C{i}" for i in range(n)])
    client = Client()
    # Guest: works, creators, tags (+ series and chapters on a work page). A tag page is the
    # search page: the tag, the total, the page of ids, the facets and the blurbs. A work page
    # adds its hit (an insert in a savepoint; once a minute a roll-up queued: 2 more), the
    # kudos names and the comments. A logged-in reader adds the session, the user, their
    # saved excludes and mutes, their reading preferences (one query a page: hidden warnings
    # and tags in blurbs, the adult gate) and their unread inbox count; on a work page also
    # their history (an update, an insert the first time), bookmark, subscriptions, blocks
    # and the pseuds the comment form offers.
    with django_assert_max_num_queries(3):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/tags/Fluff/works").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/works/{work.id}?view_full_work=true").status_code == 200
    client.force_login(UserFactory())
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/tags/Fluff/works?page=1").status_code == 200
    with django_assert_max_num_queries(32):
        assert client.get(f"/works/{work.id}").status_code == 200


def test_server_error_page_renders_without_a_database_or_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Error 500: something went wrong" in response.content.decode()
