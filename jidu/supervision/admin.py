from django.contrib import admin

from jidu.core.admin import ReadOnlyAdmin
from jidu.supervision import models as m


class StepInline(admin.TabularInline):
    model = m.CaseStep
    extra = 0
    can_delete = False
    fields = readonly_fields = ["state", "assignee", "department", "started_at", "due_at", "finished_at", "card",
                                "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(m.SupervisionCase)
class SupervisionCaseAdmin(ReadOnlyAdmin):
    """Cases change only through the procedure (pages): here they are read."""

    list_display = ["id", "subject", "state", "assignee", "opened_at", "due_at"]
    list_filter = ["state", "source"]
    search_fields = ["subject", "summary"]
    inlines = [StepInline]


@admin.register(m.Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = ["case", "department", "at", "outcome"]


@admin.register(m.CaseResult)
class CaseResultAdmin(ReadOnlyAdmin):
    list_display = ["case", "score", "accountability", "money_recovered", "at"]
