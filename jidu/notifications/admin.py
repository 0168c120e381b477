from django.contrib import admin

from jidu.notifications import models as m


@admin.register(m.Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "enabled", "default_on", "url", "quiet_start", "quiet_end",
                    "working_days_only"]
    list_filter = ["kind", "enabled"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "enabled", "default_on", "kinds"]}),
        ("Webhook", {"fields": ["url", "secret", "timeout_seconds"]}),
        ("投递时间与重试", {"fields": ["quiet_start", "quiet_end", "working_days_only", "max_attempts"]}),
    ]


@admin.register(m.Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "quiet_start", "quiet_end", "updated_at"]
    filter_horizontal = ["channels"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__display_name"]


@admin.register(m.Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["uid", "notification", "channel", "state", "attempts", "next_attempt_at", "postponed_reason",
                    "sent_at", "last_error"]
    list_filter = ["state", "channel"]
    readonly_fields = ["uid", "notification", "channel", "attempts", "last_error", "postponed_reason", "created_at",
                       "sent_at"]
    actions = ["retry_now"]

    @admin.action(description="立即重试所选投递")
    def retry_now(self, request, queryset):
        from django.utils import timezone

        n = queryset.exclude(state=m.Delivery.State.SENT).update(state=m.Delivery.State.PENDING,
                                                                  next_attempt_at=timezone.now())
        self.message_user(request, f"已安排重试 {n} 条（下一轮投递作业发送）")


@admin.register(m.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "urgent", "created_at", "read_at"]
    list_filter = ["kind", "urgent"]
    search_fields = ["title", "user__username", "dedupe_key"]
    readonly_fields = ["user", "kind", "title", "body", "url", "urgent", "dedupe_key", "content_type", "object_id",
                       "created_at", "read_at"]

    def has_add_permission(self, request):
        return False
