from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AuditEntry, User


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    fieldsets = (*UserAdmin.fieldsets, ("Habeas", {"fields": ("role",)}))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: admins read the log, nobody edits it."""

    list_display = ("at", "actor", "action", "case_ref", "what")
    list_filter = ("action",)
    search_fields = ("case_ref",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
