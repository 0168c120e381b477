from django.contrib import admin

from jidu.core.admin import ReadOnlyAdmin
from jidu.jurisdiction import models as m


class VersionInline(admin.TabularInline):
    model = m.ListEntryVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "at", "by", "note", "data"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(m.ListEntry)
class ListEntryAdmin(admin.ModelAdmin):
    list_display = ["code", "list_type", "matter", "lead_department", "basis_law", "basis_article", "valid_to",
                    "active"]
    list_filter = ["list_type", "active", "source", "fields"]
    search_fields = ["code", "matter", "search_text"]
    filter_horizontal = ["fields", "co_departments"]
    autocomplete_fields = ["lead_department"]
    readonly_fields = ["updated_by", "created_at", "updated_at", "from_dispute"]
    exclude = ["search_text"]
    inlines = [VersionInline]

    def save_model(self, request, obj, form, change):
        obj.save(versioned=False, version_by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.write_version(request.user, "后台修改" if change else "后台新建")


@admin.register(m.ListEntryVersion)
class ListEntryVersionAdmin(ReadOnlyAdmin):
    list_display = ["entry", "number", "at", "by", "note"]
    readonly_fields = ["entry", "number", "data", "by", "at", "note"]


class ClaimInline(admin.TabularInline):
    model = m.DisputeClaim
    extra = 0


@admin.register(m.Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["id", "order", "returning_department", "state", "opened_at", "due_at", "decided_lead",
                    "decided_at"]
    list_filter = ["state", "via"]
    search_fields = ["order__order_no", "reason"]
    raw_id_fields = ["order", "cited_entry", "cited_precedent"]
    readonly_fields = ["decided_by", "decided_at", "escalated_at"]
    inlines = [ClaimInline]


@admin.register(m.DisputeSetting)
class DisputeSettingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "time_limit_key", "reminder_hours", "escalate_overdue", "escalate_to_role"]


@admin.register(m.Precedent)
class PrecedentAdmin(admin.ModelAdmin):
    list_display = ["matter", "lead_department", "citation", "decided_at", "active"]
    search_fields = ["matter", "text"]
    list_filter = ["active"]
    raw_id_fields = ["dispute"]
    filter_horizontal = ["co_departments"]


@admin.register(m.RoutingChoice)
class RoutingChoiceAdmin(admin.ModelAdmin):
    list_display = ["order", "lead_department", "followed_advice", "by", "at"]
    raw_id_fields = ["order"]


@admin.register(m.Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["text", "user", "department", "role", "created_at", "read_at"]
    list_filter = ["role"]


for model in (m.DisputeClaim, m.DisputeAttachment, m.ReminderSent):
    admin.site.register(model)
