from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Pseud, User


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0


@admin.register(User)
class ArchiveUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_imported", "is_staff", "date_joined")
    list_filter = ("is_imported", "is_staff", "is_superuser", "is_active")
    # UserAdmin.fieldsets is always set; the stubs type it as optional.
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Archive", {"fields": ("is_imported",)}))
    inlines = [PseudInline]


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "is_default")
    search_fields = ("name", "user__username")
    raw_id_fields = ("user",)
