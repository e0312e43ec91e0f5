"""A reader bookmarks a work in a real browser: from the work page's Bookmark button, with a
note and tags; finds it on their bookmarks page; edits it; then sees it in their history.
axe-core checks every page on the way."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from fanarchive.bookmarks.models import Bookmark
from fanarchive.works.models import WorkStats

from .helpers import fandom, log_in, reader, work


def test_a_reader_bookmarks_a_work_with_a_note_and_tags_then_edits_it(browsing):
    story = work("The Lamplighter's Round", tags=[fandom()])
    reader("cosette")
    page = browsing.page

    log_in(browsing, "cosette")
    browsing.goto(f"/works/{story.id}")
    page.get_by_role("link", name="Bookmark", exact=True).click()
    expect(
        page.get_by_role("heading", name=re.compile("Bookmark “The Lamplighter's Round”"))
    ).to_be_visible()
    browsing.check()

    page.get_by_label("Notes").fill("Read this on a rainy night.")
    page.get_by_label("Your tags").fill("comfort read, lamps")
    page.get_by_label("Rec").check()
    page.get_by_role("button", name="Create").click()

    expect(page.get_by_text("Bookmark was successfully created.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/bookmarks/\d+$"))
    browsing.check()
    saved = Bookmark.objects.get(work=story)
    assert saved.rec and "rainy night" in saved.notes
    assert WorkStats.objects.get(work=story).bookmarks == 1

    page.get_by_role("navigation", name="Site").get_by_role("link", name="Bookmarks").click()
    expect(page.get_by_role("heading", name=re.compile("1 Bookmark by cosette"))).to_be_visible()
    expect(page.get_by_role("link", name="The Lamplighter's Round", exact=True)).to_be_visible()
    expect(page.get_by_text("Read this on a rainy night.")).to_be_visible()
    expect(page.get_by_role("link", name="comfort read", exact=True)).to_be_visible()
    browsing.check()

    # The bookmarker's tag filters the page.
    page.get_by_role("link", name="lamps", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"bookmark_tag=lamps"))
    expect(page.get_by_role("link", name="The Lamplighter's Round", exact=True)).to_be_visible()
    browsing.check()

    page.get_by_role("link", name="Edit bookmark of The Lamplighter's Round").click()
    expect(page.get_by_label("Notes")).to_have_value(re.compile("rainy night"))
    browsing.check()
    page.get_by_label("Notes").fill("Better on the second read.")
    page.get_by_label("Private bookmark").check()
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("Bookmark was successfully updated.")).to_be_visible()
    expect(page.get_by_text("Better on the second read.")).to_be_visible()
    expect(page.get_by_text("Private bookmark")).to_be_visible()
    browsing.check()
    assert WorkStats.objects.get(work=story).bookmarks == 0

    browsing.goto(f"/works/{story.id}")
    expect(page.get_by_role("link", name="Edit bookmark")).to_be_visible()

    page.get_by_role("navigation", name="Site").get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="The Lamplighter's Round", exact=True)).to_be_visible()
    expect(page.get_by_text("Visited 2 times.")).to_be_visible()
    browsing.check()
