from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jidu.org.models import Area, Department, Field, ProblemType, User


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort"]


@admin.register(ProblemType)
class ProblemTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort"]
    filter_horizontal = ["fields"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "level", "area", "is_enforcement", "active"]
    list_filter = ["level", "is_enforcement", "active", "fields"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent", "area"]
    filter_horizontal = ["fields"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "department", "is_active", "last_login"]
    list_filter = ["role", "is_active", "department"]
    search_fields = ["username", "display_name"]
    autocomplete_fields = ["department"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("即督快响", {"fields": ["display_name", "role", "department"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("即督快响", {"fields": ["display_name", "role", "department"]}),
    ]
