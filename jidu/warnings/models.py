"""Early warnings and copy-reporting (预警抄报, C9).

A `Warning` is raised by a detector (spike, cluster, repeat offender, deadline risk) about one
*dimension key* (a field, a problem type, an area, a business, a department's deadlines …). While
the condition goes on, re-runs update the same warning (a partial unique constraint allows one
ongoing warning per kind + dimension + key); when it has not been seen again for the detector's
``quiet_hours`` it stops being ongoing, and a later recurrence raises a new one.
Thresholds live in `DetectorConfig` rows (``params`` JSON), seeded from ``data/detectors.json``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jidu.core.models import AppendOnlyModel


class Kind(models.TextChoices):
    SPIKE = "spike", "诉求量异常上升"
    CLUSTER = "cluster", "相似投诉聚集"
    REPEAT = "repeat_offender", "同一对象反复被投诉"
    DEADLINE = "deadline_risk", "即将超时"


class Level(models.TextChoices):
    GENERAL = "blue", "一般（蓝）"
    SERIOUS = "yellow", "较重（黄）"
    SEVERE = "red", "严重（红）"


LEVEL_RANK = {Level.GENERAL: 1, Level.SERIOUS: 2, Level.SEVERE: 3}


def level_rank(level: str) -> int:
    return LEVEL_RANK.get(level, 0)


class Dimension(models.TextChoices):
    FIELD = "field", "执法领域"
    PROBLEM = "problem", "问题类型"
    AREA = "area", "区域"
    BUSINESS = "business", "经营主体"
    PLACE = "place", "地点"
    DEPARTMENT = "department", "承办部门"
    DISPUTE = "dispute", "派单争议"
    OTHER = "other", "其他事项"


class State(models.TextChoices):
    NEW = "new", "待签收"
    ACKNOWLEDGED = "acknowledged", "已签收"
    FOLLOWED_UP = "followed_up", "已跟进"
    CLOSED = "closed", "已关闭"


class DetectorConfig(models.Model):
    """One detector's switch and thresholds (administrators edit ``params``)."""

    code = models.CharField("检测器", max_length=20, choices=Kind.choices, unique=True)
    enabled = models.BooleanField("启用", default=True)
    params = models.JSONField("参数", default=dict, blank=True,
                              help_text="阈值、窗口、基线天数等，键的含义见 docs/WARNINGS.md")
    note = models.TextField("说明", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "预警检测器配置"
        verbose_name_plural = "预警检测器配置"
        ordering = ["code"]

    def __str__(self):
        return self.get_code_display()


class Warning(models.Model):
    kind = models.CharField("预警类型", max_length=20, choices=Kind.choices, db_index=True)
    level = models.CharField("预警等级", max_length=8, choices=Level.choices, default=Level.GENERAL, db_index=True)
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("说明", blank=True)
    dimension = models.CharField("维度", max_length=12, choices=Dimension.choices)
    key = models.CharField("对象键", max_length=200, help_text="如领域代码、问题类型代码、区划代码、信用代码或商户名")
    key_label = models.CharField("对象", max_length=200, blank=True)
    evidence = models.JSONField("证据", default=dict, blank=True)
    score = models.FloatField("异常程度", null=True, blank=True, help_text="如 -log10(p)")
    observed = models.PositiveIntegerField("观测数", default=0)
    expected = models.FloatField("期望数", null=True, blank=True)
    window_start = models.DateTimeField("窗口开始", null=True, blank=True)
    window_end = models.DateTimeField("窗口结束", null=True, blank=True)
    first_detected_at = models.DateTimeField("首次发现", default=timezone.now, db_index=True)
    last_detected_at = models.DateTimeField("最近一次发现", default=timezone.now)
    ongoing = models.BooleanField("持续中", default=True, help_text="同一对象持续异常时更新本条，不重复预警")
    detections = models.PositiveIntegerField("检出次数", default=1)
    departments = models.ManyToManyField("org.Department", verbose_name="抄报部门", blank=True,
                                         related_name="warnings_copied")
    leaders_copied = models.BooleanField("已抄报领导", default=False)
    state = models.CharField("处置状态", max_length=14, choices=State.choices, default=State.NEW, db_index=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name="签收人")
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledge_note = models.TextField("签收意见", blank=True)
    follow_up = models.TextField("跟进措施", blank=True)
    followed_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name="跟进人")
    followed_up_at = models.DateTimeField("跟进时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="关闭人")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    close_note = models.TextField("关闭说明", blank=True)
    orders = models.ManyToManyField("orders.WorkOrder", through="WarningOrder", blank=True, related_name="warnings",
                                    verbose_name="相关工单")

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-last_detected_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "dimension", "key"], condition=Q(ongoing=True),
                                    name="warnings_one_ongoing_per_key"),
        ]
        permissions = [
            ("acknowledge_warning", "可签收（阅知）预警"),
            ("follow_up_warning", "可填写预警跟进措施"),
            ("close_warning", "可关闭预警"),
            ("run_detectors", "可立即运行预警检测"),
        ]

    def __str__(self):
        return f"[{self.get_level_display()}] {self.title}"

    @property
    def urgent(self) -> bool:
        return self.level == Level.SEVERE


class WarningOrder(models.Model):
    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="links")
    order = models.ForeignKey("orders.WorkOrder", on_delete=models.CASCADE, related_name="warning_links",
                              verbose_name="工单")
    added_at = models.DateTimeField("加入时间", default=timezone.now)

    class Meta:
        verbose_name = "预警相关工单"
        verbose_name_plural = "预警相关工单"
        constraints = [models.UniqueConstraint(fields=["warning", "order"], name="warnings_order_once")]


class WarningAction(AppendOnlyModel):
    """What happened to a warning: raised, updated (with the new figures), acknowledged, followed up, closed."""

    class Kind(models.TextChoices):
        RAISED = "raised", "发出预警"
        UPDATED = "updated", "预警更新"
        ESCALATED = "escalated", "预警升级"
        ACKNOWLEDGED = "acknowledged", "签收"
        FOLLOWED_UP = "followed_up", "跟进"
        CLOSED = "closed", "关闭"
        ENDED = "ended", "异常结束"

    warning = models.ForeignKey(Warning, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField("动作", max_length=14, choices=Kind.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name="操作人")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="部门")
    note = models.TextField("内容", blank=True)

    class Meta:
        verbose_name = "预警处置记录"
        verbose_name_plural = "预警处置记录"
        ordering = ["at", "id"]
