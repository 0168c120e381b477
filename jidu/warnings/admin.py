from django.contrib import admin

from jidu.warnings.models import DetectorConfig, Warning, WarningAction, WarningOrder


@admin.register(DetectorConfig)
class DetectorConfigAdmin(admin.ModelAdmin):
    list_display = ["code", "enabled", "updated_at"]
    list_editable = ["enabled"]


class WarningOrderInline(admin.TabularInline):
    model = WarningOrder
    raw_id_fields = ["order"]
    extra = 0


@admin.register(Warning)
class WarningAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "level", "state", "ongoing", "first_detected_at", "last_detected_at"]
    list_filter = ["kind", "level", "state", "ongoing", "dimension"]
    search_fields = ["title", "key", "key_label"]
    filter_horizontal = ["departments"]
    raw_id_fields = ["acknowledged_by", "followed_up_by", "closed_by"]
    inlines = [WarningOrderInline]


@admin.register(WarningAction)
class WarningActionAdmin(admin.ModelAdmin):
    list_display = ["warning", "kind", "at", "by", "department"]
    list_filter = ["kind"]
    raw_id_fields = ["warning", "by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
