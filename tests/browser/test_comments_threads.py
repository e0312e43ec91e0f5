"""Comments in a real browser: a reader comments on a chapter, the creator replies, the thread
shows nested on the work page and on the comment's permalink; a guest comments where the work
allows it. axe-core runs on every page visited; no script is needed for any of it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from fanarchive.comments.models import Comment

from .helpers import log_in, reader, work


def test_comment_on_a_chapter_reply_and_see_the_thread(browsing):
    writer = reader("hugo")
    reader("cosette")
    story = work(
        "The Barricade at Dawn",
        creator=writer,
        chapters=("The lamps were lit.", "The barricade fell silent."),
    )
    second = story.chapters.order_by("position")[1]
    page = browsing.page

    browsing.goto("/users/login", check=False)
    log_in(browsing, "cosette")
    browsing.goto(f"/works/{story.id}/chapters/{second.id}")
    expect(page.get_by_role("heading", name="Post comment on Chapter 2")).to_be_visible()
    page.get_by_label("Comment", exact=True).fill("The silence after was <em>unbearable</em>.")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_text("Comment created!")).to_be_visible()
    comment = Comment.objects.get()
    expect(page).to_have_url(re.compile(rf"/works/{story.id}/chapters/{second.id}#comment_"))
    first = page.locator(f"#comment_{comment.id}")
    expect(first.locator("em", has_text="unbearable")).to_be_visible()
    expect(page.get_by_role("heading", name="Comments (1)")).to_be_visible()
    browsing.check()

    # The creator replies, on the reply page of its own.
    page.get_by_role("button", name="Log out").click()
    log_in(browsing, "hugo")
    browsing.goto(f"/works/{story.id}/chapters/{second.id}")
    first.get_by_role("link", name=re.compile(r"^Reply")).click()
    expect(page.get_by_role("heading", name="Reply to cosette")).to_be_visible()
    browsing.check()
    page.get_by_label("Comment", exact=True).fill("Thank you for reading.")
    page.get_by_role("button", name="Comment", exact=True).click()
    reply = Comment.objects.get(parent=comment)
    nested = page.locator(f"#comment_{comment.id} ol.thread #comment_{reply.id}")
    expect(nested.get_by_text("Thank you for reading.")).to_be_visible()
    expect(page.get_by_role("heading", name="Comments (2)")).to_be_visible()
    browsing.check()

    # The permalink shows the comment and its thread.
    first.get_by_role("link", name=re.compile(r"^Thread")).first.click()
    expect(page).to_have_url(re.compile(rf"/comments/{comment.id}$"))
    expect(page.get_by_text("The silence after was")).to_be_visible()
    expect(page.get_by_text("Thank you for reading.")).to_be_visible()
    browsing.check()

    # The creator freezes the thread; the reply links go.
    page.locator(f"#comment_{comment.id}").get_by_role(
        "button", name=re.compile(r"^Freeze")
    ).first.click()
    expect(page.get_by_text("Comment thread successfully frozen!")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Reply"))).to_have_count(0)
    browsing.check()


def test_a_guest_comments_on_a_work_that_allows_it(browsing):
    story = work("Open to All", chapters=("Anyone may speak here.",))
    page = browsing.page

    browsing.goto(f"/works/{story.id}")
    page.get_by_label("Guest name").fill("Gavroche")
    page.get_by_label("Guest email").fill("gavroche@example.org")
    page.get_by_label("Comment", exact=True).fill("Vive la France!")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_text("Comment created!")).to_be_visible()
    expect(page.get_by_text("Gavroche (Guest)", exact=True)).to_be_visible()
    expect(page.get_by_text("Vive la France!")).to_be_visible()
    expect(page.get_by_text("gavroche@example.org")).to_have_count(0)
    browsing.check()
