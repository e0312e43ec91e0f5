from django.contrib import admin

from .models import Reading


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "work", "last_visited", "visits", "to_read")
    list_filter = ("to_read",)
    raw_id_fields = ("user", "work", "chapter")
