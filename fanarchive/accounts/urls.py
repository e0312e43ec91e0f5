from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("users/signup", views.signup, name="signup"),
    path("users/confirm/resend", views.confirm_resend, name="confirm_resend"),
    path("users/confirm/<str:token>", views.confirm, name="confirm"),
    path("users/login", views.LoginView.as_view(), name="login"),
    path("users/logout", views.LogoutView.as_view(), name="logout"),
    path("users/password/reset", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "users/password/reset/done",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "users/password/reset/complete",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "users/password/reset/<uidb64>/<token>",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("users/password/change", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "users/password/change/done",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("users/email/confirm/<str:token>", views.email_confirm, name="email_confirm"),
    path("users/<str:login>", views.profile, name="profile"),
    path("users/<str:login>/preferences", views.preferences, name="preferences"),
    path("users/<str:login>/email", views.email_change, name="email_change"),
    path("users/<str:login>/pseuds/new", views.pseud_new, name="pseud_new"),
    path("users/<str:login>/pseuds/<str:pseud>", views.pseud_detail, name="pseud"),
    path("users/<str:login>/pseuds/<str:pseud>/edit", views.pseud_edit, name="pseud_edit"),
    path("users/<str:login>/pseuds/<str:pseud>/default", views.pseud_default, name="pseud_default"),
    path("users/<str:login>/pseuds/<str:pseud>/delete", views.pseud_delete, name="pseud_delete"),
]
