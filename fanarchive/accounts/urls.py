from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("users/login", views.LoginView.as_view(), name="login"),
    path("users/logout", views.LogoutView.as_view(), name="logout"),
    path("users/<str:login>", views.profile, name="profile"),
    path("users/<str:login>/pseuds/<str:pseud>", views.pseud_detail, name="pseud"),
]
