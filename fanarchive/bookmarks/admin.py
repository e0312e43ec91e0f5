from django.contrib import admin

from .models import Bookmark, BookmarkTag


class BookmarkTagInline(admin.TabularInline):
    model = BookmarkTag
    extra = 0
    fields = ("name", "position")


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "work", "series", "rec", "private", "created_at")
    list_filter = ("rec", "private")
    raw_id_fields = ("user", "pseud", "work", "series")
    inlines = [BookmarkTagInline]
