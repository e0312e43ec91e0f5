"""The creator's statistics page: owner (and staff) only, every column, sortable, totals,
year filter and fandom grouping, charts of hits and kudos over time."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.stats.models import HitDay
from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.counts import counts_add
from fanarchive.works.models import Chapter, Work
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def writer(db):
    return UserFactory(username="hugo")


@pytest.fixture
def works(writer):
    pseud = writer.pseuds.get()
    fandom_a = TagFactory(name="Les Misérables", type=TagType.FANDOM)
    fandom_b = TagFactory(name="Notre-Dame de Paris", type=TagType.FANDOM)
    a = WorkFactory(creator=pseud, title="Barricade", tags=[fandom_a], text="one two three")
    b = WorkFactory(creator=pseud, title="Bells", tags=[fandom_b], text="four five")
    c = WorkFactory(creator=pseud, title="Crossing", tags=[fandom_a, fandom_b], text="six")
    Work.objects.filter(pk=b.pk).update(published=datetime.date(2023, 5, 1))
    Chapter.objects.filter(work=b).update(published=datetime.date(2023, 5, 1))
    counts_add(a.pk, hits=10, kudos=3, comments=2, bookmarks=1, subscriptions=1)
    counts_add(b.pk, hits=30, kudos=1, bookmarks=4)
    counts_add(c.pk, hits=20, kudos=7, comments=5, subscriptions=2)
    return a, b, c


def titles(html):
    return re.findall(r'<th scope="row"><a href="/works/\d+">([^<]*)</a>', html)


def test_a_guest_is_sent_to_log_in(works):
    response = Client().get("/users/hugo/stats")
    assert response.status_code == 302
    assert response["Location"].startswith("/users/login?next=")


def test_another_reader_is_refused(works):
    response = logged_in(UserFactory(username="javert")).get("/users/hugo/stats")
    assert response.status_code == 403
    assert "Barricade" not in response.text
    response = logged_in(UserFactory(username="javert")).get(
        f"/users/hugo/stats/works/{works[0].pk}"
    )
    assert response.status_code == 403


def test_no_such_user_is_404(writer):
    assert logged_in(writer).get("/users/nobody/stats").status_code == 404


def test_staff_may_see(works):
    staff = UserFactory(username="admin", is_staff=True)
    response = logged_in(staff).get("/users/hugo/stats")
    assert response.status_code == 200
    assert "Statistics for hugo" in response.text


def test_the_owner_sees_every_work_with_its_counts_and_totals(writer, works):
    response = logged_in(writer).get("/users/hugo/stats?view=flat")
    assert response.status_code == 200
    html = response.text
    assert titles(html) == ["Bells", "Crossing", "Barricade"]  # hits, most first
    row = re.search(r"Barricade</a></th>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    assert cells == ["3", "10", "3", "2", "1", "1"]  # words, hits, kudos, comments, bookm., subs
    totals = dict(re.findall(r"<dt>([^<]*):</dt><dd>([^<]*)</dd>", html))
    assert totals["Works"] == "3"
    assert totals["Hits"] == "60"
    assert totals["Kudos"] == "11"
    assert totals["Comments"] == "7"
    assert totals["Bookmarks"] == "5"
    assert totals["Subscriptions"] == "3"
    assert totals["Word count"] == "6"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=kudos", ["Crossing", "Barricade", "Bells"]),
        ("sort=kudos&direction=asc", ["Bells", "Barricade", "Crossing"]),
        ("sort=comments", ["Crossing", "Barricade", "Bells"]),
        ("sort=bookmarks", ["Bells", "Barricade", "Crossing"]),
        ("sort=subscriptions", ["Crossing", "Barricade", "Bells"]),
        ("sort=words", ["Barricade", "Bells", "Crossing"]),
        ("sort=title", ["Barricade", "Bells", "Crossing"]),
        ("sort=title&direction=desc", ["Crossing", "Bells", "Barricade"]),
        ("sort=hits&direction=asc", ["Barricade", "Crossing", "Bells"]),
    ],
)
def test_sortable_by_each_column(writer, works, query, expected):
    html = logged_in(writer).get(f"/users/hugo/stats?view=flat&{query}").text
    assert titles(html) == expected


def test_the_sorted_column_is_marked_and_its_link_reverses(writer, works):
    html = logged_in(writer).get("/users/hugo/stats?view=flat&sort=kudos").text
    header = re.search(
        r'<th scope="col" class="num" aria-sort="descending"><a href="([^"]*)">Kudos', html
    )
    assert header and "direction=asc" in header.group(1)


def test_grouped_by_fandom_a_crossover_under_each(writer, works):
    html = logged_in(writer).get("/users/hugo/stats").text
    captions = re.findall(r"<caption>([^<]*)</caption>", html)
    assert captions == ["Les Misérables", "Notre-Dame de Paris"]
    first, second = html.split("<caption>Notre-Dame de Paris</caption>")
    assert titles(first) == ["Crossing", "Barricade"]
    assert titles(second) == ["Bells", "Crossing"]
    totals = dict(re.findall(r"<dt>([^<]*):</dt><dd>([^<]*)</dd>", html))
    assert totals["Hits"] == "60"  # each work once in the totals


def test_year_filter(writer, works):
    html = logged_in(writer).get("/users/hugo/stats?view=flat&year=2023").text
    assert titles(html) == ["Bells"]
    totals = dict(re.findall(r"<dt>([^<]*):</dt><dd>([^<]*)</dd>", html))
    assert totals["Hits"] == "30"
    assert '<span aria-current="page">2023</span>' in html
    assert ">2024</a>" in html and ">All years</a>" in html


def test_bad_parameters_are_named_not_a_crash(writer, works):
    response = logged_in(writer).get("/users/hugo/stats?sort=evil&year=1999&view=x&direction=up")
    assert response.status_code == 200
    for field in ("sort:", "year:", "view:", "direction:"):
        assert field in response.text
    assert len(titles(response.text)) >= 3


def test_no_works_yet(writer):
    html = logged_in(writer).get("/users/hugo/stats").text
    assert "No posted works yet" in html


def test_drafts_and_other_creators_works_are_left_out(writer, works):
    WorkFactory(creator=writer.pseuds.get(), title="Draft", posted=False)
    WorkFactory(title="Someone else's")
    html = logged_in(writer).get("/users/hugo/stats?view=flat").text
    assert sorted(titles(html)) == ["Barricade", "Bells", "Crossing"]


def test_the_totals_chart_draws_hits_and_kudos_over_time(writer, works):
    a, b, c = works
    today = timezone.localdate()
    HitDay.objects.create(work=a, day=today, hits=4)
    HitDay.objects.create(work=c, day=today, hits=6)
    Work.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(
        published=today - datetime.timedelta(days=9)
    )
    html = logged_in(writer).get("/users/hugo/stats").text
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg
    series = len(re.findall(r"<polyline", svg))
    assert svg.count('class="chart-point"') == 10 * series  # ten days, a point each
    assert '<td class="num">10</td>' in html[html.index("<table") :]  # today's 4 + 6


def test_the_work_chart_page(writer, works):
    a = works[0]
    today = timezone.localdate()
    Work.objects.filter(pk=a.pk).update(published=today - datetime.timedelta(days=4))
    HitDay.objects.create(work=a, day=today - datetime.timedelta(days=1), hits=3)
    response = logged_in(writer).get(f"/users/hugo/stats/works/{a.pk}")
    assert response.status_code == 200
    svg = response.text[response.text.index("<svg") : response.text.index("</svg>")]
    series = len(re.findall(r"<polyline", svg))
    assert svg.count('class="chart-point"') == 5 * series
    assert "3 hits" in svg


def test_the_work_chart_page_refuses_someone_elses_work(writer, works):
    other = WorkFactory(title="Not hugo's")
    assert logged_in(writer).get(f"/users/hugo/stats/works/{other.pk}").status_code == 404


def test_kudos_over_time_come_from_the_kudos(writer, works):
    from fanarchive.stats.selectors import kudos_by_day, kudos_model

    model = kudos_model()
    if model is None:
        pytest.skip("no Kudos model yet")
    a = works[0]
    fan = UserFactory(username="marius")
    model.objects.create(work=a, user=fan)
    model.objects.create(work=a, ip_hash="x" * 64)
    assert sum(n for _day, n in kudos_by_day([a.pk])) == 2
    html = logged_in(writer).get(f"/users/hugo/stats/works/{a.pk}").text
    assert html.count("<polyline") == 2
    assert "2 kudos" in html


def test_the_menu_links_to_statistics(writer):
    html = logged_in(writer).get("/").text
    assert '<a href="/users/hugo/stats">Statistics</a>' in html
    assert "/stats" not in Client().get("/").text


def test_a_readers_visit_reaches_the_statistics_after_the_roll_up(writer):
    from fanarchive.stats.rollup import hits_rollup

    from .conftest import reader

    work = WorkFactory(creator=writer.pseuds.get(), title="Barricade")
    Work.objects.filter(pk=work.pk).update(published=timezone.localdate())
    reader(ip="203.0.113.20").get(f"/works/{work.pk}")
    reader(ip="203.0.113.21").get(f"/works/{work.pk}")
    logged_in(writer).get(f"/works/{work.pk}")  # the creator's own visit
    html = logged_in(writer).get("/users/hugo/stats").text
    assert dict(re.findall(r"<dt>([^<]*):</dt><dd>([^<]*)</dd>", html))["Hits"] == "0"
    hits_rollup()
    html = logged_in(writer).get("/users/hugo/stats").text
    assert dict(re.findall(r"<dt>([^<]*):</dt><dd>([^<]*)</dd>", html))["Hits"] == "2"
    assert f"{timezone.localdate().isoformat()}: 2 hits" in html
