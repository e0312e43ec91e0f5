from django.urls import path

from . import views

app_name = "bookmarks"

urlpatterns = [
    path("works/<int:work_id>/bookmarks", views.work_bookmarks, name="work_bookmarks"),
    path("works/<int:work_id>/bookmarks/new", views.work_bookmark_new, name="work_new"),
    path("series/<int:series_id>/bookmarks", views.series_bookmarks, name="series_bookmarks"),
    path("series/<int:series_id>/bookmarks/new", views.series_bookmark_new, name="series_new"),
    path("bookmarks/<int:bookmark_id>", views.show, name="show"),
    path("bookmarks/<int:bookmark_id>/edit", views.edit, name="edit"),
    path("bookmarks/<int:bookmark_id>/delete", views.delete, name="delete"),
    path("users/<str:login>/bookmarks", views.user_bookmarks, name="user_bookmarks"),
    path(
        "users/<str:login>/bookmarks/export.csv",
        views.export_bookmarks,
        {"fmt": "csv"},
        name="export_csv",
    ),
    path(
        "users/<str:login>/bookmarks/export.json",
        views.export_bookmarks,
        {"fmt": "json"},
        name="export_json",
    ),
]
