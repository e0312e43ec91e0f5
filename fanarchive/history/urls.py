from django.urls import path

from . import views

app_name = "history"

urlpatterns = [
    path("users/<str:login>/readings", views.readings, name="readings"),
    path("users/<str:login>/readings/clear", views.clear, name="clear"),
    path(
        "users/<str:login>/readings/<int:work_id>/delete",
        views.reading_delete,
        name="delete",
    ),
    path(
        "users/<str:login>/readings/export.csv",
        views.export_readings,
        {"fmt": "csv"},
        name="export_csv",
    ),
    path(
        "users/<str:login>/readings/export.json",
        views.export_readings,
        {"fmt": "json"},
        name="export_json",
    ),
    path("works/<int:work_id>/mark_for_later", views.mark_for_later, name="mark_for_later"),
    path("works/<int:work_id>/mark_as_read", views.mark_as_read, name="mark_as_read"),
]
