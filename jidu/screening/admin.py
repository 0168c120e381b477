from django.contrib import admin

from jidu.core.admin import NoAddOrChangeAdmin, ReadOnlyAdmin
from jidu.screening.engine import reset_screener_cache
from jidu.screening.models import Correction, LabelThreshold, ModelVersion, OrderProblem, OrderScreening, Rule


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "trained_at", "active", "path"]
    list_filter = ["active"]
    readonly_fields = ["metrics"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.active:
            ModelVersion.objects.exclude(pk=obj.pk).update(active=False)
        reset_screener_cache()


@admin.register(LabelThreshold)
class LabelThresholdAdmin(admin.ModelAdmin):
    list_display = ["label", "value", "suggest_at", "apply_at"]
    list_editable = ["suggest_at", "apply_at"]
    list_filter = ["label"]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["name", "label", "value", "match", "pattern", "segmented", "effect", "priority", "active"]
    list_filter = ["active", "label", "effect", "match"]
    search_fields = ["name", "pattern", "value"]
    readonly_fields = ["created_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class OrderProblemInline(admin.TabularInline):
    model = OrderProblem
    extra = 0
    readonly_fields = ["problem", "score", "provenance", "state"]
    can_delete = False


@admin.register(OrderScreening)
class OrderScreeningAdmin(NoAddOrChangeAdmin):
    """Read-only: results change by screening and by corrections on the order page."""

    list_display = ["order", "summary", "state", "needs_rescreen", "model_version", "screened_at"]
    list_filter = ["state", "enforcement", "tourism", "field", "needs_rescreen", "model_version"]
    search_fields = ["order__order_no"]
    raw_id_fields = ["order"]
    inlines = [OrderProblemInline]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    """Append-only record of people's decisions (training data)."""

    list_display = ["order", "label", "value", "previous", "by", "at"]
    list_filter = ["label"]
    search_fields = ["order__order_no"]
    raw_id_fields = ["order"]
