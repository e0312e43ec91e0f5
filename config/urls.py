from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("fanarchive.accounts.urls")),
    path("", include("fanarchive.search.urls")),  # before tags: /tags/autocomplete
    path("", include("fanarchive.tags.urls")),
    path("", include("fanarchive.posting.urls")),  # before works: /works/new
    path("", include("fanarchive.works.urls")),
    path("", include("fanarchive.wrangling.urls")),
    path("", include("fanarchive.downloads.urls")),
    path("", include("fanarchive.inbox.urls")),
    path("", include("fanarchive.social.urls")),
    path("", include("fanarchive.comments.urls")),
    path("", include("fanarchive.bookmarks.urls")),
    path("", include("fanarchive.history.urls")),
    path("", include("fanarchive.subscriptions.urls")),
    path("", include("fanarchive.stats.urls")),
]
