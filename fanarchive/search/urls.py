from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("works/search", views.work_search, name="works"),
    path("tags/autocomplete", views.tag_autocomplete, name="tag_autocomplete"),
    path("works/search/excludes", views.excludes, name="excludes"),
]
