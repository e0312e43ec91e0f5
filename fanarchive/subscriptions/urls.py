from django.urls import path

from fanarchive.tags import converters  # noqa: F401 (registers the <tag:…> converter)

from . import feeds, views

app_name = "subscriptions"

urlpatterns = [
    path("users/<str:login>/subscriptions", views.subscription_list, name="list"),
    path(
        "users/<str:login>/subscriptions/<int:subscription_id>/delete",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("tags/<tag:name>/feed.atom", feeds.TagWorksFeed(), name="tag_feed"),
    path("users/<str:login>/works/feed.atom", feeds.CreatorWorksFeed(), name="creator_feed"),
]
