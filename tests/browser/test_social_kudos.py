"""Kudos, mute and block in a real browser (no script needed): a guest and a reader leave
kudos and get the friendly notice the second time; a reader blocks and mutes a creator from
the profile; axe-core on every page visited."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .helpers import log_in, reader, work

KUDOS = re.compile(r"^Kudos")


def test_a_guest_then_a_reader_leave_kudos_and_the_second_time_get_a_notice(browsing):
    author = reader("hugo")
    reader("cosette")
    story = work("The Lamplighter's Round", creator=author)
    page = browsing.page
    kudos = page.locator("#kudos")

    browsing.goto(f"/works/{story.id}")
    expect(kudos.get_by_text("No kudos yet.")).to_be_visible()
    kudos.get_by_role("button", name=KUDOS).click()
    expect(page.get_by_text("Thank you for leaving kudos!")).to_be_visible()
    expect(kudos.get_by_text("1 guest left kudos on this work!")).to_be_visible()
    expect(kudos.get_by_role("heading", name="Kudos (1)")).to_be_visible()
    browsing.check()

    kudos.get_by_role("button", name=KUDOS).click()
    expect(page.get_by_text("You have already left kudos here. :)")).to_be_visible()
    expect(kudos.get_by_role("heading", name="Kudos (1)")).to_be_visible()
    browsing.check()

    log_in(browsing, "cosette")
    browsing.goto(f"/works/{story.id}")
    kudos.get_by_role("button", name=KUDOS).click()
    expect(page.get_by_text("Thank you for leaving kudos!")).to_be_visible()
    expect(kudos.locator(".kudos-list")).to_have_text(
        "cosette as well as 1 guest left kudos on this work!"
    )
    expect(kudos.get_by_role("link", name="cosette")).to_have_attribute("href", "/users/cosette")
    browsing.check()
    kudos.get_by_role("button", name=KUDOS).click()
    expect(page.get_by_text("You have already left kudos here. :)")).to_be_visible()
    expect(kudos.get_by_role("heading", name="Kudos (2)")).to_be_visible()
    browsing.check()


def test_a_reader_blocks_and_mutes_a_creator_from_the_profile(browsing):
    author = reader("hugo")
    reader("cosette")
    story = work("The Barricade at Dawn", creator=author)
    other = work("Sand's Garden", creator=reader("sand"))
    page = browsing.page

    log_in(browsing, "cosette")
    browsing.goto("/users/hugo")
    page.get_by_role("link", name="Block hugo").click()
    expect(page.get_by_role("heading", name="Block hugo")).to_be_visible()
    expect(page.get_by_text("commenting or leaving kudos on your works")).to_be_visible()
    browsing.check()
    page.get_by_role("button", name="Yes, Block User").click()
    expect(page.get_by_text("You have blocked hugo.")).to_be_visible()
    expect(page.get_by_role("button", name="Unblock hugo")).to_be_visible()
    browsing.check()

    page.get_by_role("link", name="Mute hugo").click()
    expect(page.get_by_role("heading", name="Mute hugo")).to_be_visible()
    browsing.check()
    page.get_by_role("button", name="Yes, Mute User").click()
    expect(page.get_by_text("You have muted hugo.")).to_be_visible()

    # The front page no longer lists hugo's work; sand's is still there.
    browsing.goto("/")
    expect(page.get_by_role("link", name=other.title)).to_be_visible()
    expect(page.get_by_role("link", name=story.title)).to_have_count(0)

    # The reader's own profile leads to the lists, where they can undo both.
    browsing.goto("/users/cosette")
    page.get_by_role("link", name="Muted users").click()
    expect(page.get_by_role("link", name="hugo")).to_be_visible()
    browsing.check()
    page.get_by_role("button", name="Unmute hugo").click()
    expect(page.get_by_text("You have unmuted hugo.")).to_be_visible()
    expect(page.get_by_text("You have not muted any users.")).to_be_visible()
    browsing.goto("/users/cosette/blocked")
    page.get_by_role("button", name="Unblock hugo").click()
    expect(page.get_by_text("You have not blocked any users.")).to_be_visible()
    browsing.check()
    browsing.goto("/")
    expect(page.get_by_role("link", name=story.title)).to_be_visible()
