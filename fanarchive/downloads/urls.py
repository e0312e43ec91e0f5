from django.urls import path, re_path

from . import views

app_name = "downloads"

urlpatterns = [
    re_path(
        r"^downloads/(?P<work_id>[0-9]+)/(?P<slug>[^/]*)\.(?P<ext>epub|html|txt|pdf|azw3|mobi)$",
        views.work_file_view,
        name="work",
    ),
    re_path(
        r"^downloads/series/(?P<series_id>[0-9]+)/(?P<slug>[^/]*)\.epub$",
        views.series_file_view,
        name="series_epub",
    ),
    path("series/<int:series_id>", views.series_detail, name="series"),
]
