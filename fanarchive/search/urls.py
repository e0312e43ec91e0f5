from django.urls import path

from fanarchive.tags import converters  # noqa: F401 (registers the <tag:…> converter)

from . import views

app_name = "search"

urlpatterns = [
    path("works/search", views.work_search, name="works"),
    path("tags/autocomplete", views.tag_autocomplete, name="tag_autocomplete"),
    path("tags/<tag:name>/works", views.tag_works, name="tag_works"),
    path("works/search/excludes", views.excludes, name="excludes"),
]
