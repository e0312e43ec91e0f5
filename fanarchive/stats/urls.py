from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("users/<str:login>/stats", views.stats_index, name="index"),
    path("users/<str:login>/stats/works/<int:work_id>", views.work_stats, name="work"),
]
