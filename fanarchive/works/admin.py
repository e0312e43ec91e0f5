from django.contrib import admin

from .models import (
    Chapter,
    CreatorInvitation,
    Creatorship,
    Series,
    SeriesWork,
    Work,
    WorkStats,
    WorkTag,
)


class ChapterInline(admin.StackedInline):
    model = Chapter
    extra = 0
    fields = ("position", "title", "word_count", "published", "posted")
    readonly_fields = ("word_count",)
    show_change_link = True


class CreatorshipInline(admin.TabularInline):
    model = Creatorship
    extra = 0
    raw_id_fields = ("pseud",)


class WorkTagInline(admin.TabularInline):
    model = WorkTag
    extra = 0
    raw_id_fields = ("tag",)


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "title",
        "language",
        "word_count",
        "chapter_count",
        "posted",
        "restricted",
        "hidden_by_admin",
        "updated",
    )
    list_filter = ("posted", "restricted", "hidden_by_admin", "complete")
    search_fields = ("title",)
    inlines = [CreatorshipInline, WorkTagInline, ChapterInline]
    readonly_fields = ("word_count", "chapter_count", "source_header")


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ("work", "position", "title", "word_count")
    raw_id_fields = ("work",)


class SeriesWorkInline(admin.TabularInline):
    model = SeriesWork
    extra = 0
    raw_id_fields = ("work",)


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "complete")
    search_fields = ("title",)
    inlines = [SeriesWorkInline]


admin.site.register(WorkStats)


@admin.register(CreatorInvitation)
class CreatorInvitationAdmin(admin.ModelAdmin):
    list_display = ("work", "pseud", "invited_by", "state", "created_at")
    list_filter = ("state",)
    raw_id_fields = ("work", "pseud", "invited_by")
