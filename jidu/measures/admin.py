from django.contrib import admin

from jidu.measures.models import DailyCount, MeasureSetting, RollupState


@admin.register(MeasureSetting)
class MeasureSettingAdmin(admin.ModelAdmin):
    list_display = ["small_sample_threshold", "basic_counts_as_satisfied", "note", "updated_at"]

    def has_add_permission(self, request):
        return not MeasureSetting.objects.exists()


@admin.register(RollupState)
class RollupStateAdmin(admin.ModelAdmin):
    list_display = ["refreshed_at", "changes_seen_until", "rebuilt_at", "note"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False


@admin.register(DailyCount)
class DailyCountAdmin(admin.ModelAdmin):
    """Derived data, shown for checking; only `refresh_measures` writes it."""

    list_display = ["day", "area", "department", "field", "received", "dispatched", "due", "closed"]
    list_filter = ["day", "tourism", "enforcement"]
    list_select_related = ["area", "department", "field"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
