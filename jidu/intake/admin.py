from django.contrib import admin, messages

from jidu.core import audit
from jidu.intake.models import ApiToken, HeaderSynonym, ImportBatch


@admin.register(HeaderSynonym)
class HeaderSynonymAdmin(admin.ModelAdmin):
    list_display = ["header", "field"]
    list_filter = ["field"]
    search_fields = ["header", "field"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "filename", "source", "state", "created", "updated", "errors"]
    list_filter = ["kind", "state", "source"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Creating a token here shows its secret once, in the confirmation message."""

    list_display = ["name", "prefix", "source", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["source"]
    fields = ["name", "source", "scopes", "expires_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = ApiToken.issue(name=obj.name, source=obj.source, scopes=obj.scopes or ["orders:write"],
                                    created_by=request.user, expires_at=obj.expires_at)
        obj.pk = token.pk
        audit.record(audit.AuditLog.Action.TOKEN, request=request, obj=token, op="create")
        messages.warning(request, f"令牌明文（只显示这一次，请立即复制保存）：{raw}")

    @admin.action(description="吊销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()
            audit.record(audit.AuditLog.Action.TOKEN, request=request, obj=token, op="revoke")
