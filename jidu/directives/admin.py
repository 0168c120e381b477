from django.contrib import admin

from jidu.core.admin import ReadOnlyAdmin
from jidu.directives.models import (
    Directive, DirectiveEvent, DirectiveReminder, DirectiveReply, DirectiveRule, DirectiveSetting,
)


@admin.register(DirectiveRule)
class DirectiveRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "trigger", "kind", "level", "reply_limit_key", "document_type", "active"]
    list_filter = ["trigger", "kind", "active"]
    search_fields = ["code", "name"]
    readonly_fields = ["next_scan_at", "updated_at"]


@admin.register(DirectiveSetting)
class DirectiveSettingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "remind_before_working_days", "escalate_after_working_days", "max_level",
                    "copy_roles"]

    def has_add_permission(self, request):
        return not DirectiveSetting.objects.exists()


class ReplyInline(admin.TabularInline):
    model = DirectiveReply
    extra = 0
    can_delete = False
    fields = ["at", "department", "by", "text", "attachment_name", "decision", "review_note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "level", "state", "order", "addressee", "proposed_at", "issued_at", "reply_due"]
    list_filter = ["kind", "state", "level"]
    search_fields = ["order__order_no", "document_number"]
    raw_id_fields = ["order", "orders"]
    inlines = [ReplyInline]


@admin.register(DirectiveEvent)
class DirectiveEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "directive", "action", "from_state", "to_state", "actor"]
    list_filter = ["action"]


@admin.register(DirectiveReminder)
class DirectiveReminderAdmin(ReadOnlyAdmin):
    list_display = ["at", "directive", "slot", "note"]
