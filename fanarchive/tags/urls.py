from django.urls import path

from . import (
    converters,  # noqa: F401 (registers the <tag:…> converter)
    views,
)

app_name = "tags"

urlpatterns = [
    path("tags/search", views.tag_search_view, name="search"),
    path("tags/<tag:name>", views.tag_detail, name="tag"),
]
