"""A creator's statistics in a real browser: from the menu to the page, sorted by a column,
the chart (inline SVG, no script) and its data table, a work's own chart; axe-core on every
page. Headless Chromium says it is headless: its reading is not counted as a hit."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from fanarchive.stats.models import HitDay
from fanarchive.stats.rollup import hits_rollup
from fanarchive.works.counts import counts_add
from fanarchive.works.models import WorkStats

from .helpers import log_in, reader, work


def test_a_creator_reads_their_statistics(browsing):
    author = reader("hugo")
    lamps = work("The Lamplighter's Round", creator=author)
    dawn = work("The Barricade at Dawn", creator=author)
    today = timezone.localdate()
    HitDay.objects.create(work=lamps, day=today - datetime.timedelta(days=1), hits=12)
    HitDay.objects.create(work=dawn, day=today, hits=3)
    counts_add(lamps.pk, hits=12, kudos=1)
    counts_add(dawn.pk, hits=3, kudos=5)
    page = browsing.page

    browsing.goto(f"/works/{dawn.pk}")  # a headless browser: not a hit
    hits_rollup()
    assert WorkStats.objects.get(work=dawn).hits == 3

    log_in(browsing, "hugo")
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name="Statistics for hugo")).to_be_visible()
    browsing.check()
    chart = page.get_by_role("img", name="Hits and kudos of all works by hugo")
    expect(chart).to_be_visible()
    rows = page.locator("table.stats-table tbody th[scope=row]")
    expect(rows).to_have_text(["The Lamplighter's Round", "The Barricade at Dawn"])

    page.get_by_role("link", name="Kudos", exact=True).click()
    expect(rows).to_have_text(["The Barricade at Dawn", "The Lamplighter's Round"])
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Kudos")
    browsing.check()

    page.get_by_text("data table").first.click()
    expect(page.locator(".chart-data table").first).to_be_visible()
    browsing.check()

    page.get_by_role("link", name="Chart of The Barricade at Dawn").click()
    expect(page.get_by_role("img", name="Hits and kudos of The Barricade at Dawn")).to_be_visible()
    browsing.check()


def test_another_reader_cannot_see_them(browsing):
    reader("hugo")
    reader("javert")
    log_in(browsing, "javert")
    response = browsing.goto("/users/hugo/stats", check=False)
    assert response.status == 403
