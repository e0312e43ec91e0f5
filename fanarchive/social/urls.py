from django.urls import path

from . import views

app_name = "social"

urlpatterns = [
    path("works/<int:work_id>/kudos", views.kudos_create, name="kudos"),
    path("users/<str:login>/mute", views.mute, name="mute"),
    path("users/<str:login>/unmute", views.unmute, name="unmute"),
    path("users/<str:login>/muted", views.muted_list, name="muted"),
    path("users/<str:login>/block", views.block, name="block"),
    path("users/<str:login>/unblock", views.unblock, name="unblock"),
    path("users/<str:login>/blocked", views.blocked_list, name="blocked"),
]
