from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("users/<str:login>/inbox", views.inbox, name="inbox"),
]
