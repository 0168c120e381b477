from django.contrib import admin, messages

from jidu.core import audit
from jidu.jobs import services
from jidu.jobs.models import PeriodicJob
from jidu.jobs.schedule import first_run

SCHEDULE_FIELDS = ("schedule", "every_seconds", "daily_at", "working_days_only", "enabled")


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "schedule_text", "enabled", "next_run_at", "last_run_at", "short_result",
                    "short_error", "runs", "failures"]
    list_filter = ["enabled", "kind", "schedule"]
    search_fields = ["name", "code", "target"]
    readonly_fields = ["next_run_at", "last_run_at", "last_finished_at", "last_result", "last_error", "runs",
                       "failures", "updated_at"]
    actions = ["run_now"]
    fieldsets = [
        (None, {"fields": ["code", "name", "enabled", "kind", "target", "arguments"]}),
        ("时间表", {"fields": ["schedule", "every_seconds", "daily_at", "working_days_only", "enqueue",
                            "atomic", "lease_seconds"]}),
        ("运行情况", {"fields": ["next_run_at", "last_run_at", "last_finished_at", "last_result", "last_error", "runs",
                             "failures", "updated_at"]}),
    ]

    @admin.display(description="时间表")
    def schedule_text(self, obj):
        return obj.schedule_text

    @admin.display(description="上次结果")
    def short_result(self, obj):
        return (obj.last_result or "")[:60]

    @admin.display(description="上次错误")
    def short_error(self, obj):
        return (obj.last_error or "")[:60]

    def save_model(self, request, obj, form, change):
        # A changed schedule (or re-enabling) takes effect at once: the next run is recomputed.
        if not change or any(f in form.changed_data for f in SCHEDULE_FIELDS):
            obj.next_run_at = first_run(obj) if obj.enabled else None
        super().save_model(request, obj, form, change)
        audit.record(audit.AuditLog.Action.CHANGE, request=request, obj=obj, event="edit_periodic_job",
                     changed=list(form.changed_data))

    @admin.action(description="立即运行所选作业（交给后台任务队列）", permissions=["run"])
    def run_now(self, request, queryset):
        started, busy = [], []
        for job in queryset:
            (started if services.trigger(job) else busy).append(job.name)
            audit.record(audit.AuditLog.Action.CHANGE, request=request, obj=job, event="run_periodic_job_now")
        if started:
            self.message_user(request, "已交给后台任务队列：" + "、".join(started), messages.SUCCESS)
        if busy:
            self.message_user(request, "正在运行中，未重复启动：" + "、".join(busy), messages.WARNING)

    def has_run_permission(self, request):
        return request.user.has_perm("jobs.run_periodicjob")
