from django.urls import path

from fanarchive.tags import converters  # noqa: F401 (registers the <tag:…> converter)

from . import views

app_name = "works"

urlpatterns = [
    path("", views.home, name="home"),
    path("works/<int:work_id>", views.work_detail, name="work"),
    path("works/<int:work_id>/chapters", views.chapter_select, name="chapter_select"),
    path("works/<int:work_id>/chapters/<int:chapter_id>", views.chapter_detail, name="chapter"),
    path("works/<int:work_id>/navigate", views.chapter_index, name="navigate"),
    path("users/<str:login>/works", views.user_works, name="user_works"),
    path("users/<str:login>/pseuds/<str:pseud>/works", views.pseud_works, name="pseud_works"),
]
