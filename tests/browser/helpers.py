"""What the browser tests set up in the database, and the steps several of them take."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core import mail
from playwright.sync_api import expect

from fanarchive.accounts.models import User
from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.names import tag_to_url
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Work
from fanarchive.works.services import ChapterDraft, WorkDraft, work_create

PASSWORD = "correct horse battery"  # the accounts factory's
NEW_PASSWORD = "lamplight over the barricade 1832"


def reader(username: str = "reader") -> User:
    return UserFactory(username=username)


def fandom(name: str = "Les Misérables - Victor Hugo") -> Tag:
    return TagFactory(name=name, type=TagType.FANDOM, canonical=True)


def tag_path(name: str) -> str:
    return f"/tags/{tag_to_url(name)}"


def tag_works_path(name: str) -> str:
    return f"{tag_path(name)}/works"


def work(
    title: str,
    *,
    tags: list[Tag] | None = None,
    rating: str = "General Audiences",
    restricted: bool = False,
    chapters: tuple[str, ...] = ("The lamps on the Rue Plumet were lit one by one.",),
    creator: User | None = None,
) -> Work:
    pseud = (creator or UserFactory()).pseuds.get(is_default=True)
    return work_create(
        draft=WorkDraft(
            title=title,
            creators=[pseud],
            chapters=[
                ChapterDraft(text=f"<p>{text}</p>", title=f"Part {n}")
                for n, text in enumerate(chapters, start=1)
            ],
            published=datetime.date(2024, 3, 1),
            tags=[
                Tag.objects.get(name=rating),
                Tag.objects.get(name="No Archive Warnings Apply"),
                *(tags or []),
            ],
            language="en",
            summary="<p>Marius counts the lamps.</p>",
            restricted=restricted,
            expected_chapters=len(chapters),
        )
    )


def log_in(browsing: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the form, from the current page's "Log in" link when there is one."""
    page = browsing.page
    if "/users/login" not in page.url:
        browsing.goto("/users/login")
    page.get_by_label("User name or email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("load")


def fill_signup(page, username: str, email: str) -> None:
    # By the fields' names (the form's contract); axe checks that each has its label.
    page.locator('[name="username"]').fill(username)
    page.locator('[name="email"]').fill(email)
    page.locator('[name="password1"]').fill(NEW_PASSWORD)
    page.locator('[name="password2"]').fill(NEW_PASSWORD)
    page.get_by_label(re.compile("accept the Terms of Service")).check()


def sign_up(browsing, username: str, email: str) -> None:
    """Sign up through the form and open the confirmation link from the email."""
    page = browsing.page
    browsing.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    browsing.check()
    fill_signup(page, username, email)
    outbox_before = len(mail.outbox)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state("load")
    browsing.check()
    assert not User.objects.get(username=username).is_active

    assert len(mail.outbox) == outbox_before + 1
    message = mail.outbox[-1]
    assert message.to == [email]
    match = re.search(r"https?://\S+(/users/confirm/\S+)", message.body)
    assert match, message.body
    browsing.goto(match.group(1))
    expect(page).to_have_url(re.compile(r"/users/login"))
    expect(page.get_by_text("Your account is confirmed")).to_be_visible()
    assert User.objects.get(username=username).is_active
