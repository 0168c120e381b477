from django.contrib import admin

from jidu.core.models import AuditLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by the application (logs, histories, results): view, never edit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoAddOrChangeAdmin(ReadOnlyAdmin):
    """Like ReadOnlyAdmin, but administrators may delete (e.g. a wrong screening to redo it)."""

    def has_delete_permission(self, request, obj=None):
        return super(ReadOnlyAdmin, self).has_delete_permission(request, obj)


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor", "object_id"]
    date_hierarchy = "at"
