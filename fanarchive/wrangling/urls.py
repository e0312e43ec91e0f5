from django.urls import path

from fanarchive.tags import converters  # noqa: F401 (registers the <tag:…> converter)

from . import views

app_name = "wrangling"

urlpatterns = [
    path("wrangling/", views.home, name="home"),
    path("wrangling/fandoms/<tag:fandom>/<str:tag_type>", views.fandom_bin, name="fandom_bin"),
    path("wrangling/unassigned/<str:tag_type>", views.unassigned_bin, name="unassigned_bin"),
    path("wrangling/tags/<tag:name>", views.tag_edit, name="tag"),
    path("wrangling/actions", views.tag_action, name="action"),
    path("wrangling/autocomplete", views.autocomplete, name="autocomplete"),
    path("wrangling/works-needing-fandom", views.works_needing_fandom, name="works_needing_fandom"),
    path("wrangling/works-needing-fandom/set", views.set_fandom, name="set_fandom"),
    path("wrangling/works-needing-fandom/infer", views.infer_fandoms, name="infer_fandoms"),
]
