from django.contrib import admin

from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "work", "chapter", "user", "guest_name", "created_at", "deleted")
    list_filter = ("deleted", "unreviewed", "frozen")
    raw_id_fields = ("work", "chapter", "parent", "thread", "user", "pseud")
    search_fields = ("guest_name", "user__username", "content")
