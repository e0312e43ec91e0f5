from django.apps import AppConfig


class WranglingConfig(AppConfig):
    """The tag wranglers' pages (bins of unwrangled tags per fandom, bulk actions, a tag's edit
    page) and the works that still need a fandom. The wrangling rules themselves live in
    `fanarchive.tags.wrangling`."""

    name = "fanarchive.wrangling"
    label = "wrangling"
