"""A reader in a real browser: the adult gate, restricted works, tag pages, reading chapter by
chapter and whole; axe-core on every page visited."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .helpers import fandom, log_in, reader, tag_path, tag_works_path, work


def test_a_guest_meets_the_adult_gate_and_proceeds(browsing):
    explicit = work(
        "After the Barricade",
        rating="Explicit",
        chapters=("Enjolras stood at the top of the barricade.", "Grantaire woke."),
    )
    other = work("Another Night", rating="Mature", chapters=("The city was quiet.",))
    page = browsing.page

    browsing.goto(f"/works/{explicit.id}")
    expect(page.get_by_role("heading", name="Adult content")).to_be_visible()
    expect(page.get_by_text("Enjolras stood")).to_have_count(0)

    page.get_by_role("link", name="Proceed").click()
    expect(page.get_by_role("heading", name="After the Barricade", level=1)).to_be_visible()
    expect(page.get_by_text("Enjolras stood at the top of the barricade.")).to_be_visible()
    browsing.check()

    # The choice is remembered for the session: the next adult work opens straight away.
    browsing.goto(f"/works/{other.id}")
    expect(page.get_by_role("heading", name="Another Night", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Adult content")).to_have_count(0)


def test_a_guest_is_asked_to_log_in_for_a_restricted_work(browsing):
    restricted = work("Members Only", restricted=True, chapters=("Only for the registered.",))
    reader("cosette")
    page = browsing.page

    response = browsing.goto(f"/works/{restricted.id}")
    assert response.status != 404
    expect(page.get_by_role("heading", name="Registered users only")).to_be_visible()
    expect(page.get_by_text("Only for the registered.")).to_have_count(0)

    page.get_by_role("link", name="Log in to read it").click()
    expect(page).to_have_url(re.compile(r"/users/login\?next="))
    browsing.check()
    log_in(browsing, "cosette")
    expect(page).to_have_url(re.compile(rf"/works/{restricted.id}$"))
    expect(page.get_by_role("heading", name="Members Only", level=1)).to_be_visible()
    expect(page.get_by_text("Only for the registered.")).to_be_visible()
    browsing.check()


def test_a_reader_finds_a_work_on_its_tag_page_and_reads_both_chapters(browsing):
    tag = fandom()
    story = work(
        "The Lamplighter's Round",
        tags=[tag],
        chapters=("Marius counted the lamps.", "Cosette lit the last one."),
    )
    page = browsing.page

    browsing.goto("/")
    page.get_by_role("link", name=tag.name).first.click()
    expect(page).to_have_url(re.compile(re.escape(tag_works_path(tag.name)) + "$"))
    browsing.check()
    page.get_by_role("link", name="The Lamplighter's Round").click()

    expect(page.get_by_role("heading", name="The Lamplighter's Round", level=1)).to_be_visible()
    expect(page.get_by_text("Marius counted the lamps.")).to_be_visible()
    expect(page.get_by_text("Cosette lit the last one.")).to_have_count(0)
    browsing.check()

    page.get_by_role("link", name="Next Chapter →").first.click()
    expect(page.get_by_text("Cosette lit the last one.")).to_be_visible()
    expect(page.get_by_text("Marius counted the lamps.")).to_have_count(0)
    browsing.check()

    page.get_by_role("link", name="← Previous Chapter").first.click()
    expect(page.get_by_text("Marius counted the lamps.")).to_be_visible()

    page.get_by_role("link", name="Entire Work").first.click()
    expect(page.get_by_text("Marius counted the lamps.")).to_be_visible()
    expect(page.get_by_text("Cosette lit the last one.")).to_be_visible()
    browsing.check()

    browsing.goto(f"/works/{story.id}/navigate")
    expect(page.get_by_role("link", name=re.compile("Part 2"))).to_be_visible()


def test_the_archive_s_other_pages_pass_axe(browsing):
    tag = fandom()
    someone = reader("enjolras")
    work("Barricade Notes", tags=[tag], creator=someone)
    for path in [
        "/",
        "/works/search?q=barricade",
        "/tags/search?name=Les",
        tag_path(tag.name),
        "/users/login",
        "/users/signup",
        "/users/enjolras",
        "/users/enjolras/works",
        "/works/999999",
    ]:
        browsing.goto(path)
    assert len(browsing.checked) == 9
