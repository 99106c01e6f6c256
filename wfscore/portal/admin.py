"""Django's admin for the office: accounts (reset a password, disable an account), and the
records read-only (the audit trail can be read, never changed)."""

from django.contrib import admin

from wfscore.portal.models import AuditEntry, Department, Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "department", "expert_id", "must_change_password")
    list_filter = ("role", "must_change_password")
    search_fields = ("user__username", "department__dept_id", "department__name")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("dept_id", "name", "kind")
    readonly_fields = ("dept_id", "kind", "position")


@admin.register(AuditEntry)
class AuditAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "address", "department", "action", "field", "old", "new")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
