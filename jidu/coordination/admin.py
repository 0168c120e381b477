from django.contrib import admin

from jidu.coordination import models as m


class MaterialInline(admin.TabularInline):
    model = m.ConsultationMaterial
    extra = 0
    readonly_fields = ["name", "size", "uploaded_by", "at"]


class TaskInline(admin.TabularInline):
    model = m.FollowUpTask
    extra = 0
    fields = ["text", "owner_department", "owner_user", "due_at", "done", "done_note"]


class EntryChangeInline(admin.TabularInline):
    model = m.ListEntryChange
    extra = 0
    readonly_fields = ["entry", "action", "version_number", "by", "at"]
    can_delete = False


@admin.register(m.Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["topic", "kind", "state", "scheduled_at", "convened_by"]
    list_filter = ["kind", "state"]
    search_fields = ["topic", "conclusions"]
    filter_horizontal = ["departments"]
    raw_id_fields = ["orders", "disputes"]
    inlines = [MaterialInline, TaskInline, EntryChangeInline]


@admin.register(m.FollowUpTask)
class FollowUpTaskAdmin(admin.ModelAdmin):
    list_display = ["text", "consultation", "owner_department", "due_at", "done"]
    list_filter = ["done"]


class FindingInline(admin.StackedInline):
    model = m.InspectionFinding
    extra = 0


class CaseInline(admin.TabularInline):
    model = m.InspectionCase
    extra = 0


class RectificationInline(admin.TabularInline):
    model = m.Rectification
    extra = 0


class BusinessInline(admin.TabularInline):
    model = m.InspectionBusiness
    extra = 0


@admin.register(m.Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "start_date", "end_date", "state"]
    list_filter = ["state"]
    search_fields = ["title", "themes"]
    filter_horizontal = ["departments", "problem_types"]
    raw_id_fields = ["orders"]
    inlines = [FindingInline, CaseInline, RectificationInline, BusinessInline]


@admin.register(m.Guidance)
class GuidanceAdmin(admin.ModelAdmin):
    list_display = ["pk", "department", "order", "state", "issued_at", "due_at", "acted_at"]
    list_filter = ["state"]
    search_fields = ["text", "requested_action"]
    raw_id_fields = ["order"]
