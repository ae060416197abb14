import json

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.mail import invitation_link
from teams.models import Invitation, Membership, Network, Team, User
from teams.personal_data import erase_user, personal_data


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_superuser", "is_active", "last_login"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]
    actions = ["export_personal_data"]

    @admin.action(description=_("Export personal data of the selected users (JSON)"))
    def export_personal_data(self, request: HttpRequest, queryset) -> HttpResponse:
        data = [personal_data(user) for user in queryset.order_by("email")]
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.json"'
        return response

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        erase_user(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for user in queryset:
            erase_user(user=user)


class TeamInline(admin.TabularInline):
    model = Team
    fields = ["name", "description", "size"]
    extra = 0
    show_change_link = True


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["coordinators"]
    inlines = [TeamInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    extra = 0


class InvitationInline(admin.TabularInline):
    model = Invitation
    fields = ["email", "role", "expires_at", "accepted_at", "link"]
    readonly_fields = ["accepted_at", "link"]
    extra = 0

    @admin.display(description=_("invitation link"))
    def link(self, invitation: Invitation) -> str:
        return invitation_link(invitation) if invitation.pk and invitation.is_usable else "–"


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "size", "created"]
    list_filter = ["network"]
    search_fields = ["name", "network__name"]
    list_select_related = ["network"]
    inlines = [MembershipInline, InvitationInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "created"]
    list_filter = ["role", "team__network"]
    search_fields = ["user__email", "user__name", "team__name"]
    autocomplete_fields = ["user", "team"]
    list_select_related = ["user", "team"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "team", "role", "created", "expires_at", "accepted_at"]
    list_filter = ["role", "accepted_at"]
    search_fields = ["email", "team__name"]
    readonly_fields = ["link", "accepted_at", "invited_by"]
    autocomplete_fields = ["team"]

    @admin.display(description=_("invitation link"))
    def link(self, invitation: Invitation) -> str:
        return invitation_link(invitation) if invitation.pk and invitation.is_usable else "–"

    def save_model(self, request, obj: Invitation, form, change: bool) -> None:
        if not change:
            obj.invited_by = request.user
        super().save_model(request, obj, form, change)
