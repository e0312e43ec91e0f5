"""The tag suggestions of the work form in Chromium: an ARIA combobox run from the keyboard
(Down, Enter, Escape, Tab), canonical tags first, Enter picking a tag without submitting."""

import os

import pytest
from django.conf import settings as django_settings
from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Work

CHROMIUM = os.environ.get("FANARCHIVE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(live_server, monkeypatch, transactional_db):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop running in this thread; the ORM calls of the
    # test itself are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    user = UserFactory(username="valjean")
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(20_000)
        context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": session,
                    "url": live_server.url,
                }
            ]
        )
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield tab
        finally:
            context.close()
            browser.close()
            # With Playwright's loop running, the test's ORM calls got a connection of their
            # own: close it now, or PostgreSQL cannot drop the test database at the end.
            from django.db import connections

            connections.close_all()
    assert not errors, errors


def test_suggestions_from_the_keyboard(page):
    from playwright.sync_api import expect

    Tag.objects.create(name="Les Mis AU", key="les mis au", type=TagType.FANDOM)
    Tag.objects.create(
        name="Les Misérables - Victor Hugo",
        key="les misérables - victor hugo",
        type=TagType.FANDOM,
        canonical=True,
    )
    Tag.objects.create(name="Les Mis Character", key="les mis character", type=TagType.CHARACTER)
    page.goto("/works/new")
    fandoms = page.locator("#id_fandoms")
    expect(fandoms).to_have_attribute("role", "combobox")
    expect(fandoms).to_have_attribute("aria-expanded", "false")
    expect(fandoms).to_have_attribute("aria-controls", "id_fandoms-listbox")
    fandoms.focus()
    page.keyboard.type("Les Mis")
    listbox = page.locator("#id_fandoms-listbox")
    expect(listbox).to_be_visible()
    expect(fandoms).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    # Fandoms only, the canonical one first.
    expect(options).to_have_text(["Les Misérables - Victor Hugo", "Les Mis AU"])
    expect(page.get_by_role("status")).to_contain_text("2 suggestions")

    page.keyboard.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(fandoms).to_have_attribute("aria-activedescendant", "id_fandoms-listbox-0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # wraps round to the first
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")  # picks it: no form submission
    expect(fandoms).to_have_value("Les Misérables - Victor Hugo, ")
    expect(listbox).to_be_hidden()
    expect(fandoms).to_have_attribute("aria-expanded", "false")
    assert page.url.endswith("/works/new")
    assert Work.objects.count() == 0

    # A second tag in the same field; Escape closes the list and keeps what was typed.
    page.keyboard.type("les mis a")
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(fandoms).to_have_value("Les Misérables - Victor Hugo, les mis a")

    # Tab leaves the field as usual (no focus trap), even with the list open.
    page.keyboard.type("u")
    expect(listbox).to_be_visible()
    page.keyboard.press("Tab")
    expect(listbox).to_be_hidden()
    assert page.evaluate("document.activeElement.id") != "id_fandoms"


def test_summary_counts_characters_left(page):
    from playwright.sync_api import expect

    page.goto("/works/new")
    counter = page.locator("#id_summary-count")
    expect(counter).to_have_text("1,250 characters left")
    summary = page.locator("#id_summary")
    expect(summary).to_have_attribute("aria-describedby", "id_summary-count")
    summary.fill("<p><em>" + "x" * 1200 + "</em></p>")  # markup is not counted
    expect(counter).to_have_text("50 characters left")
    summary.fill("y" * 1300)
    expect(counter).to_have_text("50 characters too many")
