"""Periodic analysis (C10): 民情日报, 月报 and 研判报告, their archive and the editable section texts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    DAILY = "daily", "民情日报"
    MONTHLY = "monthly", "民情月报"
    TOPIC = "topic", "研判报告"


class ReportTemplate(models.Model):
    """One text section of a report kind. The heading and the text are Django template text an
    administrator edits ({{ total }}, {{ change_prev }} …, see docs/REPORTS.md); the table or chart
    that belongs to the section is added by the code after the text."""

    class Section(models.TextChoices):
        OVERVIEW = "overview", "总体情况"
        TRENDS = "trends", "走势"
        TOP = "top", "热点诉求"
        AREAS = "areas", "区域分布"
        DEPARTMENTS = "departments", "部门办理情况"
        DISPUTES = "disputes", "派单争议"
        SUPERVISION = "supervision", "执法监督"
        WARNINGS = "warnings", "预警"
        TOURISM = "tourism", "涉旅线索"
        ADVICE = "advice", "研判意见"

    kind = models.CharField("报告类型", max_length=10, choices=Kind.choices)
    section = models.CharField("章节", max_length=12, choices=Section.choices)
    heading = models.CharField("标题", max_length=100)
    body = models.TextField("正文模板", blank=True,
                            help_text="Django 模板语法，可用变量见 docs/REPORTS.md；空行分段。")
    sort = models.PositiveIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "报告章节模板"
        verbose_name_plural = "报告章节模板"
        ordering = ["kind", "sort"]
        constraints = [models.UniqueConstraint(fields=["kind", "section"], name="uniq_report_section")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.heading}"


def report_upload_to(instance, filename):
    return f"reports/{instance.kind}/{instance.period_start:%Y}/{filename}"


class Report(models.Model):
    """One generated report. Re-generating the same kind + period + parameters makes a new
    version; the previous one stays in the archive as superseded (never two current ones)."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("报告类型", max_length=10, choices=Kind.choices, db_index=True)
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期", help_text="含当日")
    params = models.JSONField("研判范围", default=dict, blank=True)
    params_key = models.CharField("范围键", max_length=300, blank=True, editable=False)
    title = models.CharField("标题", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    current = models.BooleanField("当前版本", default=True)
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    message = models.CharField("进度说明", max_length=200, blank=True)
    error = models.TextField("错误", blank=True)
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    generated_at = models.DateTimeField("生成时间", null=True, blank=True, db_index=True)
    seconds = models.FloatField("用时（秒）", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           verbose_name="生成人", related_name="+")
    by_label = models.CharField("生成方式", max_length=60, blank=True, help_text="如：定时任务、管理命令")
    docx = models.FileField("Word 文件", upload_to=report_upload_to, blank=True)
    xlsx = models.FileField("Excel 文件", upload_to=report_upload_to, blank=True)
    docx_sha256 = models.CharField("Word SHA-256", max_length=64, blank=True)
    xlsx_sha256 = models.CharField("Excel SHA-256", max_length=64, blank=True)
    figures = models.JSONField("数据摘要", default=dict, blank=True)

    class Meta:
        verbose_name = "分析报告"
        verbose_name_plural = "分析报告"
        ordering = ["-period_start", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start", "period_end", "params_key", "version"],
                                    name="uniq_report_version"),
            models.UniqueConstraint(fields=["kind", "period_start", "period_end", "params_key"],
                                    condition=Q(current=True), name="uniq_current_report"),
        ]
        permissions = [("generate_report", "生成分析报告")]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.period_start}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def period_label(self) -> str:
        if self.kind == Kind.DAILY:
            return f"{self.period_start:%Y年%m月%d日}"
        if self.kind == Kind.MONTHLY:
            return f"{self.period_start:%Y年%m月}"
        return f"{self.period_start:%Y年%m月%d日}至{self.period_end:%Y年%m月%d日}"
