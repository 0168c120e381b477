from django.contrib import admin

from jidu.core.admin import NoAddOrChangeAdmin, ReadOnlyAdmin
from jidu.grading.models import CalendarEvent, ClueGrade, ColourLevel, Criterion, GradeChange, GradingPolicy


@admin.register(ColourLevel)
class ColourLevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "response_hours", "handling", "sort"]
    list_editable = ["response_hours", "sort"]


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    filter_horizontal = ["problem_types"]
    fieldsets = [
        (None, {"fields": [("name", "kind", "active", "sort"), ("points", "min_colour", "exclusive_group"), "reason"]}),
        ("问题类型", {"fields": ["problem_types"], "classes": ["collapse"]}),
        ("聚集 / 屡查屡犯", {"fields": [("cluster_by", "min_count", "window_hours", "lookback_days")],
                       "classes": ["collapse"]}),
        ("金额 / 安全词", {"fields": ["min_amount", "words"], "classes": ["collapse"]}),
        ("时间节点", {"fields": [("calendar_kind", "holiday_names", "event_kinds", "days_after"),
                             ("date_ranges", "lunar_dates")], "classes": ["collapse"]}),
    ]


@admin.register(GradingPolicy)
class GradingPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "tourism", "enforcement_only", "red_at", "orange_at", "yellow_at", "priority"]
    list_editable = ["active"]
    filter_horizontal = ["fields"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "policy", "kind", "points", "min_colour", "active", "sort"]
    list_filter = ["policy", "kind", "active"]
    filter_horizontal = ["problem_types"]


@admin.register(CalendarEvent)
class CalendarEventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start", "end", "entered_by", "entered_at"]
    list_filter = ["kind"]
    filter_horizontal = ["areas"]
    readonly_fields = ["entered_by", "entered_at"]

    def save_model(self, request, obj, form, change):
        if not obj.entered_by_id:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ClueGrade)
class ClueGradeAdmin(NoAddOrChangeAdmin):
    """Read-only: colours change through grading or a supervisor's recorded downgrade."""

    list_display = ["order", "colour", "points", "due_by", "graded_at", "policy"]
    list_filter = ["colour", "policy"]
    search_fields = ["order__order_no"]
    raw_id_fields = ["order"]


@admin.register(GradeChange)
class GradeChangeAdmin(ReadOnlyAdmin):
    list_display = ["order", "from_colour", "to_colour", "by", "by_label", "at", "reason"]
    list_filter = ["to_colour"]
    search_fields = ["order__order_no", "reason"]
    raw_id_fields = ["order"]
