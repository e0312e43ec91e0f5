from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from . import services
from .models import Invitation, Preference, Pseud, User


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0


class PreferenceInline(admin.StackedInline):
    model = Preference
    extra = 0
    can_delete = False


@admin.register(User)
class ArchiveUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_imported", "is_staff", "date_joined")
    list_filter = ("is_imported", "is_staff", "is_superuser", "is_active")
    # UserAdmin.fieldsets is always set; the stubs type it as optional.
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Archive", {"fields": ("is_imported",)}))
    inlines = [PseudInline, PreferenceInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # An account made here gets its default pseud, named after the login, like a sign-up.
        services.pseud_default_ensure(user=form.instance)


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "is_default")
    search_fields = ("name", "user__username")
    raw_id_fields = ("user",)


def _signup_link(token: str) -> str:
    return f"{settings.FANARCHIVE_SITE_URL.rstrip('/')}{reverse('accounts:signup')}?" + urlencode(
        {"invitation": token}
    )


class InvitationAddForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations: add one (its link is shown once and mailed to the address), or send fresh
    links for unused ones with the action."""

    list_display = ("email", "created_at", "expires_at", "used_at", "used_by", "created_by")
    list_filter = (("used_at", admin.EmptyFieldListFilter),)
    search_fields = ("email", "used_by__username")
    readonly_fields = ("token_hash", "created_by", "created_at", "expires_at", "used_at", "used_by")
    actions = ["send_new_links"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        if obj is None:
            kwargs["form"] = InvitationAddForm
            kwargs["fields"] = ["email"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        invitation, token = services.invitation_create(
            email=obj.email,
            created_by=request.user if isinstance(request.user, User) else None,
        )
        obj.pk = invitation.pk
        obj.token_hash = invitation.token_hash
        obj.expires_at = invitation.expires_at
        obj.created_at = invitation.created_at
        obj._state.adding = False
        link = _signup_link(token)
        services.invitation_send(invitation=invitation, link=link)
        self.message_user(request, f"Invitation link (shown once): {link}", messages.SUCCESS)

    @admin.action(description="Send new invitation links (the old links stop working)")
    def send_new_links(self, request: HttpRequest, queryset: Any) -> None:
        for invitation in queryset:
            if invitation.used_at is not None:
                self.message_user(
                    request, f"{invitation}: already used, not renewed.", messages.WARNING
                )
                continue
            link = _signup_link(services.invitation_renew(invitation=invitation))
            services.invitation_send(invitation=invitation, link=link)
            self.message_user(request, f"{invitation}: {link}", messages.SUCCESS)
