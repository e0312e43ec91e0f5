from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/comments",
        views.comment_new,
        name="new",
    ),
    path("works/<int:work_id>/comments/unreviewed", views.unreviewed, name="unreviewed"),
    path("comments/<int:comment_id>", views.comment_detail, name="detail"),
    path("comments/<int:comment_id>/reply", views.comment_reply, name="reply"),
    path("comments/<int:comment_id>/edit", views.comment_edit, name="edit"),
    path("comments/<int:comment_id>/delete", views.comment_delete, name="delete"),
    path("comments/<int:comment_id>/freeze", views.comment_freeze, name="freeze"),
    path("comments/<int:comment_id>/unfreeze", views.comment_unfreeze, name="unfreeze"),
    path("comments/<int:comment_id>/approve", views.comment_approve, name="approve"),
]
