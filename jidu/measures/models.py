"""Measure settings (data an administrator edits) and the daily pre-aggregation the dashboard reads.

`DailyCount` holds, per local day × area × lead department × enforcement field × theme flags, the
counters every measure is made of (see `jidu.measures.services.COUNTERS`). It is derived data:
`refresh_measures` rebuilds the days whose orders changed; nothing else writes it."""

from django.db import models
from django.utils import timezone


class MeasureSetting(models.Model):
    """One row of settings for the measures (the first row is used)."""

    small_sample_threshold = models.PositiveIntegerField(
        "小样本阈值", default=30, help_text="分母低于此值的指标标为“样本过少”，不参与排名")
    basic_counts_as_satisfied = models.BooleanField(
        "基本满意计为满意", default=True, help_text="回访初次满意率、满意率的分子是否包含“基本满意”")
    repeat_followup_days = models.PositiveIntegerField(
        "避免重复违法跟踪期（天）", default=90,
        help_text="经营主体被立案监督、发文或督办后，跟踪期内未再被投诉（未触发“重复被投诉”预警）即计为避免重复违法")
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "考核指标设置"
        verbose_name_plural = "考核指标设置"

    def __str__(self):
        return f"小样本阈值 {self.small_sample_threshold}"


class Grain(models.TextChoices):
    DAY = "D", "日（全部维度）"
    MONTH = "M", "月（全部维度）"
    TOTAL = "T", "日（全市合计）"
    # One dimension only (the others left empty): what a city-wide panel grouped by that dimension,
    # or a period filtered by it alone, reads — a few rows per day or month instead of the cube.
    AREA_DAY = "a", "日（仅区域）"
    AREA_MONTH = "A", "月（仅区域）"
    DEPARTMENT_DAY = "u", "日（仅主办单位）"
    DEPARTMENT_MONTH = "U", "月（仅主办单位）"
    FIELD_DAY = "f", "日（仅执法领域）"
    FIELD_MONTH = "F", "月（仅执法领域）"


class DailyCount(models.Model):
    """Counters of one day (grain D; month: grain M, day = the 1st) and one combination of
    dimensions, or of one day city-wide (grain T, dimensions empty), or per day/month and one
    dimension alone (grains a/A, u/U, f/F). Rebuilt, never edited."""

    grain = models.CharField("粒度", max_length=1, choices=Grain.choices, default=Grain.DAY)
    day = models.DateField("日期")
    area = models.ForeignKey("org.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             verbose_name="区域")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", verbose_name="主办单位")
    field = models.ForeignKey("org.Field", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                              verbose_name="执法领域")
    tourism = models.BooleanField("涉旅", default=False)
    enforcement = models.BooleanField("涉执法", default=False)
    # Anchored on the day the order was received (受理):
    received = models.PositiveIntegerField("受理量", default=0)
    dispatched = models.PositiveIntegerField("已派单（不含终止办理）", default=0)
    replied_in_time = models.PositiveIntegerField("按时回复", default=0)
    called_back = models.PositiveIntegerField("已回访", default=0)
    first_satisfied = models.PositiveIntegerField("初次回访满意", default=0)
    first_basic = models.PositiveIntegerField("初次回访基本满意", default=0)
    evaluated = models.PositiveIntegerField("已评价", default=0)
    satisfied = models.PositiveIntegerField("满意", default=0)
    basic = models.PositiveIntegerField("基本满意", default=0)
    resolution_known = models.PositiveIntegerField("已评解决情况", default=0)
    resolved = models.PositiveIntegerField("解决", default=0)
    returned = models.PositiveIntegerField("曾退单", default=0)
    reopened = models.PositiveIntegerField("曾重办", default=0)
    clue_red = models.PositiveIntegerField("红色线索", default=0)
    clue_orange = models.PositiveIntegerField("橙色线索", default=0)
    clue_yellow = models.PositiveIntegerField("黄色线索", default=0)
    # Anchored on the day the order fell due (办理时限):
    due = models.PositiveIntegerField("到期应办结", default=0)
    closed = models.PositiveIntegerField("办结", default=0)
    closed_in_time = models.PositiveIntegerField("按时办结", default=0)

    class Meta:
        verbose_name = "每日统计（预汇总）"
        verbose_name_plural = "每日统计（预汇总）"
        permissions = [("view_dashboard", "查看领导驾驶舱与考核指标")]
        indexes = [models.Index(fields=["grain", "day"]), models.Index(fields=["grain", "department", "day"]),
                   models.Index(fields=["grain", "area", "day"]), models.Index(fields=["grain", "field", "day"])]


class DailyProblemCount(models.Model):
    """Orders received per day and problem type (问题类型), with the same dimensions and grains."""

    grain = models.CharField("粒度", max_length=1, choices=Grain.choices, default=Grain.DAY)
    day = models.DateField("日期")
    area = models.ForeignKey("org.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    field = models.ForeignKey("org.Field", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    tourism = models.BooleanField(default=False)
    enforcement = models.BooleanField(default=False)
    problem = models.ForeignKey("org.ProblemType", on_delete=models.CASCADE, related_name="+",
                                verbose_name="问题类型")
    received = models.PositiveIntegerField("受理量", default=0)

    class Meta:
        verbose_name = "每日问题类型统计（预汇总）"
        verbose_name_plural = "每日问题类型统计（预汇总）"
        indexes = [models.Index(fields=["grain", "day"]), models.Index(fields=["grain", "department", "day"]),
                   models.Index(fields=["grain", "area", "day"]), models.Index(fields=["grain", "field", "day"])]


class RollupState(models.Model):
    """When the pre-aggregation was last brought up to date (one row)."""

    refreshed_at = models.DateTimeField("刷新时间", null=True, blank=True)
    changes_seen_until = models.DateTimeField("已处理变更截至", null=True, blank=True)
    rebuilt_at = models.DateTimeField("最近全量重建", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "预汇总状态"
        verbose_name_plural = "预汇总状态"

    def __str__(self):
        return f"预汇总 {timezone.localtime(self.refreshed_at):%Y-%m-%d %H:%M}" if self.refreshed_at else "预汇总（未刷新）"
