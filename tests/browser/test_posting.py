"""A writer in a real browser: sign up, confirm, post a two-chapter work with new and existing
tags, find it on its tag page, read both chapters, edit it; and the posting form by keyboard."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Work

from .helpers import NEW_PASSWORD, fandom, log_in, reader, sign_up, tag_works_path


def _work_id(page) -> int:
    match = re.search(r"/works/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def test_sign_up_post_a_two_chapter_work_find_it_read_it_and_edit_it(browsing):
    les_mis = fandom("Les Misérables - Victor Hugo")
    TagFactory(name="Cosette Fauchelevent", type=TagType.CHARACTER, canonical=True)
    page = browsing.page

    sign_up(browsing, "eponine", "eponine@example.org")
    log_in(browsing, "eponine", NEW_PASSWORD)

    # Post the work, first chapter included.
    browsing.goto("/works/new")
    expect(page.get_by_role("heading", name="Post New Work")).to_be_visible()
    page.get_by_label("Rating").select_option("Teen And Up Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Les Misérables - Victor Hugo")
    page.get_by_label("Characters").fill("Cosette Fauchelevent, Éponine Thénardier")
    page.get_by_label("Additional Tags").fill("Lamplighting, Rain in Paris")
    page.get_by_label("Work Title").fill("The Lamplighter's Round")
    page.get_by_label("Summary", exact=True).fill("Éponine walks the Rue Plumet at dusk.")
    page.get_by_label("Chapter title").fill("Dusk")
    page.locator('[name="text_format"][value="plain"]').check()
    page.get_by_label("Work Text").fill(
        "The lamps on the Rue Plumet were lit one by one.\n\nÉponine counted them."
    )
    browsing.check()
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", name="The Lamplighter's Round", level=1)).to_be_visible()
    work_id = _work_id(page)
    expect(page.get_by_text("Éponine counted them.")).to_be_visible()
    browsing.check()

    work = Work.objects.get(pk=work_id)
    assert work.posted
    names = set(work.tags.values_list("name", flat=True))
    assert {"Les Misérables - Victor Hugo", "Cosette Fauchelevent", "Lamplighting"} <= names
    # New tags were made, existing ones reused (not duplicated).
    assert Tag.objects.filter(name="Éponine Thénardier", type=TagType.CHARACTER).exists()
    assert Tag.objects.filter(name="Cosette Fauchelevent").count() == 1

    # The second chapter.
    page.get_by_role("link", name="Add chapter").click()
    expect(page.get_by_role("heading", name=re.compile("Post new chapter for"))).to_be_visible()
    browsing.check()
    page.locator('[name="title"]').fill("Midnight")
    page.locator('[name="text_format"][value="plain"]').check()
    page.locator('[name="text"]').fill("At midnight the last lamp went out.")
    page.get_by_role("button", name="Post", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("At midnight the last lamp went out.")).to_be_visible()
    browsing.check()
    work.refresh_from_db()
    assert work.chapter_count == 2

    # A reader (logged out) finds it on its fandom's page and on a new tag's page, and reads.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("load")
    browsing.goto(tag_works_path("Lamplighting"))
    expect(page.get_by_role("link", name="The Lamplighter's Round")).to_be_visible()
    browsing.goto(tag_works_path(les_mis.name))
    page.get_by_role("link", name="The Lamplighter's Round").click()
    expect(page.get_by_text("Éponine counted them.")).to_be_visible()
    expect(page.get_by_text("At midnight the last lamp went out.")).to_have_count(0)
    page.get_by_role("link", name="Next Chapter →").first.click()
    expect(page.get_by_text("At midnight the last lamp went out.")).to_be_visible()
    browsing.check()

    # The writer edits it: the new title shows at once, on the work and on the tag page.
    log_in(browsing, "eponine", NEW_PASSWORD)
    browsing.goto(f"/works/{work_id}")
    page.get_by_role("link", name="Edit work").click()
    expect(page.get_by_role("heading", name=re.compile("Edit Work"))).to_be_visible()
    browsing.check()
    page.get_by_label("Work Title").fill("The Lamplighter's Last Round")
    page.get_by_role("button", name="Update").click()
    expect(
        page.get_by_role("heading", name="The Lamplighter's Last Round", level=1)
    ).to_be_visible()
    browsing.goto(tag_works_path(les_mis.name))
    expect(page.get_by_role("link", name="The Lamplighter's Last Round")).to_be_visible()


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), name: el.getAttribute("name") || "",
                    type: el.getAttribute("type") || "", value: el.value || "",
                    text: (el.textContent || "").trim()};
        }"""
    )


def _tab_to(page, predicate, *, limit: int = 80) -> list[dict]:
    """Press Tab until the focused element matches; returns what was focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = _focused(page)
        seen.append(now)
        if predicate(now):
            return seen
    raise AssertionError(f"Tab never reached it; focus went through {seen}")


def test_the_posting_form_works_from_the_keyboard(browsing):
    fandom("Les Misérables - Victor Hugo")
    reader("marius")
    page = browsing.page
    log_in(browsing, "marius")
    browsing.goto("/works/new")

    # Tab goes through the form in reading order: tags, preface, text, then the buttons.
    order = [
        step["name"]
        for step in _tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Post")
    ]
    for earlier, later in [
        ("rating", "warnings"),
        ("warnings", "fandoms"),
        ("fandoms", "title"),
        ("title", "summary"),
        ("summary", "chapter_text"),
    ]:
        assert order.index(earlier) < order.index(later), order

    # Now fill it in without the mouse, from the top.
    page.locator('[name="rating"]').focus()
    page.keyboard.type("General")  # typing picks the option, as in any select
    assert page.locator('[name="rating"]').input_value() == "General Audiences"
    _tab_to(page, lambda f: f["name"] == "warnings" and f["value"] == "No Archive Warnings Apply")
    page.keyboard.press("Space")
    _tab_to(page, lambda f: f["name"] == "fandoms")
    page.keyboard.type("Les Misérables - Victor Hugo")
    page.keyboard.press("Escape")  # close the suggestions, if any
    _tab_to(page, lambda f: f["name"] == "title")
    page.keyboard.type("Typed, Not Clicked")
    _tab_to(page, lambda f: f["name"] == "chapter_text")
    page.keyboard.type("Every key pressed by hand.")
    _tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Post")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Typed, Not Clicked", level=1)).to_be_visible()
    expect(page.get_by_text("Every key pressed by hand.")).to_be_visible()
    work = Work.objects.get(title="Typed, Not Clicked")
    assert work.posted
    assert "No Archive Warnings Apply" in set(work.tags.values_list("name", flat=True))
    browsing.check()


def test_a_refused_form_is_fixable_from_the_keyboard(browsing):
    reader("gavroche")
    page = browsing.page
    log_in(browsing, "gavroche")
    browsing.goto("/works/new")
    # Submitting an empty form with the keyboard (Space on the Post button) lists the problems.
    _tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Post")
    page.keyboard.press("Space")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("Choose a rating.").first).to_be_visible()
    browsing.check()
    assert not Work.objects.filter(creatorships__pseud__user__username="gavroche").exists()
