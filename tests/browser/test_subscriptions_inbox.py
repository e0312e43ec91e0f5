"""Subscriptions and the inbox in a real browser (no script needed): a reader subscribes to a
work from its page, the writer posts a chapter, the reader finds it in the inbox ("Inbox (1)"
in the menu), marks it read and deletes it; the tag page links its Atom feed. axe-core on every
page visited."""

from __future__ import annotations

from django.core import mail
from playwright.sync_api import expect

from fanarchive.works.chapters import ChapterContent, chapter_add

from .helpers import fandom, log_in, reader, tag_works_path, work


def test_subscribe_then_a_new_chapter_arrives_in_the_inbox(browsing):
    author = reader("hugo")
    reader("cosette")
    story = work("The Lamplighter's Round", creator=author)
    page = browsing.page

    log_in(browsing, "cosette")
    browsing.goto(f"/works/{story.id}")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("You are now subscribed to “The Lamplighter's Round”.")).to_be_visible()
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()
    browsing.check()

    browsing.goto("/users/cosette/subscriptions")
    expect(page.get_by_role("heading", name="My Subscriptions")).to_be_visible()
    expect(page.get_by_role("link", name="The Lamplighter's Round")).to_be_visible()

    chapter_add(work=story, content=ChapterContent(text="Dawn over the river.", title="Dawn"))
    [message] = mail.outbox
    assert message.to == ["cosette@example.org"] and "Chapter 2" in message.subject

    browsing.goto("/")
    page.get_by_role("link", name="Inbox (1)").click()
    expect(page.get_by_role("heading", name="My Inbox (1 unread)")).to_be_visible()
    item = page.get_by_role("link", name="hugo posted Chapter 2 of “The Lamplighter's Round”")
    expect(item).to_be_visible()
    browsing.check()
    page.get_by_label("Select “hugo posted Chapter 2 of “The Lamplighter's Round””").check()
    page.get_by_role("button", name="Mark read").click()
    expect(page.get_by_text("1 message marked read.")).to_be_visible()
    expect(page.get_by_role("link", name="Inbox", exact=True)).to_be_visible()
    browsing.check()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("1 message deleted.")).to_be_visible()
    expect(page.get_by_text("Your inbox is empty.")).to_be_visible()
    browsing.check()


def test_tag_page_links_its_atom_feed(browsing):
    tag = fandom()
    work("Under the Fandom", tags=[tag])
    page = browsing.page
    browsing.goto(tag_works_path(tag.name))
    link = page.get_by_role("link", name=f"Atom feed of works tagged {tag.name}")
    expect(link).to_be_visible()
    response = page.request.get(browsing.url(link.get_attribute("href")))
    assert response.ok and "Under the Fandom" in response.text()
