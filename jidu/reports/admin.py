from django.contrib import admin

from jidu.reports.models import Report, ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "sort", "section", "heading", "active", "updated_at"]
    list_filter = ["kind", "active"]
    list_editable = ["sort", "active"]
    ordering = ["kind", "sort"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Generated reports are written by the application only; the admin lists them read-only."""

    list_display = ["title", "kind", "period_start", "period_end", "version", "current", "status", "generated_at",
                    "by", "by_label", "seconds"]
    list_filter = ["kind", "status", "current"]
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
