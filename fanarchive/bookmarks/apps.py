from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "fanarchive.bookmarks"
    label = "bookmarks"
    verbose_name = "Bookmarks"
