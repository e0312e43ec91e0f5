"""The archive's own JavaScript (static files) runs under the Content-Security-Policy: the search
sidebar's and the wrangling pages' tag suggestions fetch and fill their lists."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory

from .helpers import fandom, log_in, reader, tag_path, work


def test_search_sidebar_suggests_tags(browsing):
    les_mis = fandom("Les Misérables - Victor Hugo")
    work("Barricade Notes", tags=[les_mis])
    page = browsing.page
    browsing.goto("/works/search")
    page.locator("#id_any").press_sequentially("Les Mis")
    expect(page.locator("#id_any-suggestions option").first).to_have_attribute(
        "value", "Les Misérables - Victor Hugo"
    )
    browsing.check()


def test_wrangling_pages_suggest_tags_to_a_wrangler(browsing):
    fandom("Les Misérables - Victor Hugo")
    TagFactory(name="Les Mis", type=TagType.FANDOM, canonical=False)
    wrangler = reader("wrangler")
    wrangler.user_permissions.add(
        Permission.objects.get(codename="wrangle_tags", content_type__app_label="tags")
    )
    page = browsing.page
    log_in(browsing, "wrangler")
    browsing.goto("/wrangling/")
    browsing.goto("/wrangling" + tag_path("Les Mis"))
    page.locator("#synonym-target").press_sequentially("Les Misé")
    expect(page.locator("#synonym-list option").first).to_have_attribute(
        "value", "Les Misérables - Victor Hugo"
    )
    browsing.check()
