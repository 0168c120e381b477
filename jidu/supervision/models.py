"""Enforcement-supervision cases (案件即督, C6): a case opened from clues or by hand, run through
the fixed procedure in `workflow.py`, every step with a responsible person, a time limit, a note
and attachments; the department's rectification; the result application."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jidu.core.models import StoredFile
from jidu.supervision.workflow import State


class SupervisionCase(models.Model):
    subject = models.CharField("督办事由", max_length=200)
    summary = models.TextField("案情概要", blank=True)
    state = models.CharField("当前环节", max_length=16, choices=State.choices, default=State.FILED, db_index=True)
    departments = models.ManyToManyField("org.Department", verbose_name="被监督单位", related_name="supervision_cases")
    orders = models.ManyToManyField("orders.WorkOrder", verbose_name="关联工单（线索）", blank=True,
                                    related_name="supervision_cases")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="supervision_cases", verbose_name="承办监督员")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="立案人")
    opened_at = models.DateTimeField("立案时间", default=timezone.now, db_index=True)
    source = models.CharField("来源", max_length=10, default="clue",
                              choices=[("clue", "线索"), ("manual", "人工录入")])
    due_at = models.DateTimeField("当前环节时限", null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    rectify_deadline = models.DateField("整改期限", null=True, blank=True,
                                        help_text="监督文书写明的期限；空=按“supervision.rectify”办理时限计算")
    demo_key = models.CharField("演示数据键", max_length=40, blank=True, db_index=True)

    class Meta:
        verbose_name = "监督案件"
        verbose_name_plural = "监督案件"
        ordering = ["-opened_at", "-id"]
        permissions = [("rectify_supervisioncase", "提交整改报告"),
                       ("review_supervisioncase", "复核整改与结案")]

    def __str__(self):
        return f"{self.number} {self.subject}"

    @property
    def number(self) -> str:
        return f"督案〔{timezone.localtime(self.opened_at).year}〕{self.pk}号"

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and self.due_at < timezone.now() and self.state not in (State.APPLIED,
                                                                                        State.WITHDRAWN))

    @property
    def current_step(self):
        return self.steps.filter(finished_at__isnull=True).order_by("-id").first()


class CaseStep(models.Model):
    """One step of the procedure (one row per entry into a state; 整改 may recur after a return)."""

    class Card(models.TextChoices):
        NONE = "", "—"
        YELLOW = "yellow", "黄牌（即将到期）"
        RED = "red", "红牌（已超期）"

    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="steps", verbose_name="案件")
    state = models.CharField("环节", max_length=16, choices=State.choices)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="责任人")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="责任单位",
                                   help_text="整改环节为被监督单位，其余为监督机关")
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    due_at = models.DateTimeField("时限", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="完成人")
    action = models.CharField("进入本环节的操作", max_length=16, blank=True)
    note = models.TextField("说明", blank=True)
    card = models.CharField("提醒", max_length=6, choices=Card.choices, blank=True, default="")
    alert_at = models.DateTimeField("下次提醒时间", null=True, blank=True, db_index=True,
                                    help_text="到期扫描据此认领：先黄牌（到期当日），再红牌（超期）")

    class Meta:
        verbose_name = "案件环节"
        verbose_name_plural = "案件环节"
        ordering = ["started_at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.get_state_display()}"

    @property
    def is_overdue(self) -> bool:
        end = self.finished_at or timezone.now()
        return bool(self.due_at and end > self.due_at)


def _attachment_path(instance, filename):
    return f"supervision/{timezone.now():%Y/%m}/{filename}"


class Rectification(models.Model):
    """The addressed department's rectification report (整改报告) and the supervisor's review."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "待复核"
        ACCEPTED = "accepted", "复核通过"
        RETURNED = "returned", "退回继续整改"

    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="rectifications",
                             verbose_name="案件")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="整改单位")
    text = models.TextField("整改情况")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name="提交人")
    at = models.DateTimeField("提交时间", default=timezone.now)
    outcome = models.CharField("复核结果", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    review_note = models.TextField("复核意见", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="复核人")
    reviewed_at = models.DateTimeField("复核时间", null=True, blank=True)

    class Meta:
        verbose_name = "整改报告"
        verbose_name_plural = "整改报告"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.department} {self.get_outcome_display()}"


class CaseAttachment(StoredFile):
    """A file on a case step or a rectification report. Served only through the scoped view."""

    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="attachments")
    step = models.ForeignKey(CaseStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    rectification = models.ForeignKey(Rectification, null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="attachments")
    file = models.FileField("文件", upload_to=_attachment_path, max_length=200)

    class Meta(StoredFile.Meta):
        verbose_name = "案件附件"
        verbose_name_plural = "案件附件"


class CaseResult(models.Model):
    """结果运用: how the case's result was used (evaluation, accountability, rule changes, money)."""

    case = models.OneToOneField(SupervisionCase, on_delete=models.CASCADE, related_name="result",
                                verbose_name="案件")
    score = models.DecimalField("考评扣分/得分", max_digits=6, decimal_places=2, null=True, blank=True,
                                help_text="计入法治政府建设考评的分值")
    accountability = models.BooleanField("移送追责", default=False)
    accountability_to = models.CharField("移送机关", max_length=100, blank=True, help_text="如：市纪委监委")
    rule_change = models.TextField("制度/清单完善", blank=True)
    list_entry = models.ForeignKey("jurisdiction.ListEntry", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="关联清单条目")
    money_recovered = models.DecimalField("挽回经济损失（元）", max_digits=14, decimal_places=2, default=0)
    note = models.TextField("其他说明", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name="记录人")
    at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "结果运用"
        verbose_name_plural = "结果运用"

    def __str__(self):
        return f"{self.case_id} 结果运用"
