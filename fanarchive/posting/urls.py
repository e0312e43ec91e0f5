from django.urls import path

from . import chapters, views

app_name = "posting"

urlpatterns: list = [
    # Work form, drafts, delete, creator invitations.
    path("works/new", views.work_new, name="work_new"),
    path("works/<int:work_id>/edit", views.work_edit, name="work_edit"),
    path("works/<int:work_id>/preview", views.work_preview, name="preview"),
    path("works/<int:work_id>/post", views.work_post_draft, name="post_draft"),
    path("works/<int:work_id>/delete", views.work_delete, name="work_delete"),
    path("users/<str:login>/works/drafts", views.drafts, name="drafts"),
    path(
        "users/<str:login>/creator_invitations",
        views.creator_invitations,
        name="creator_invitations",
    ),
    path(
        "users/<str:login>/creator_invitations/<int:invitation_id>",
        views.creator_invitation_answer,
        name="creator_invitation_answer",
    ),
    # Chapter management (views in chapters.py):
    path("works/<int:work_id>/chapters/new", chapters.chapter_new, name="chapter_new"),
    path("works/<int:work_id>/chapters/manage", chapters.chapters_manage, name="chapters_manage"),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/edit",
        chapters.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/post",
        chapters.chapter_post_now,
        name="chapter_post",
    ),
    path(
        "works/<int:work_id>/chapters/<int:chapter_id>/delete",
        chapters.chapter_delete,
        name="chapter_delete",
    ),
]
