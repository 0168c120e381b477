"""Three-colour grading (红/橙/黄) of enforcement clues. Every criterion is data an administrator
edits; the code only knows how to evaluate each *kind* of criterion."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jidu.core.models import AppendOnlyModel


class Colour(models.TextChoices):
    RED = "red", "红"
    ORANGE = "orange", "橙"
    YELLOW = "yellow", "黄"


# Severity: higher is more urgent. Used to decide whether a colour "rises" or "drops".
SEVERITY = {Colour.RED: 3, Colour.ORANGE: 2, Colour.YELLOW: 1, None: 0, "": 0}


def severity(colour) -> int:
    return SEVERITY.get(colour or None, 0)


class ColourLevel(models.Model):
    """A colour with its response time and handling path (红：2小时内响应……)."""

    code = models.CharField("颜色", max_length=6, choices=Colour.choices, unique=True)
    name = models.CharField("名称", max_length=10, help_text="如：红")
    response_hours = models.PositiveIntegerField("响应时限（小时）", help_text="自受理时间起算")
    handling = models.TextField("处置路径", blank=True)
    badge = models.CharField("标识色", max_length=7, default="#999999", help_text="如 #d93025")
    sort = models.PositiveIntegerField("排序", default=0, help_text="队列中数字小者在前")

    class Meta:
        verbose_name = "颜色等级"
        verbose_name_plural = "颜色等级"
        ordering = ["sort"]

    def __str__(self):
        return f"{self.name}（{self.response_hours}小时）"


class GradingPolicy(models.Model):
    """Which clues are graded, and the point thresholds of each colour."""

    name = models.CharField("名称", max_length=80, unique=True)
    active = models.BooleanField("启用", default=True)
    tourism = models.BooleanField("适用于涉旅线索", default=True)
    fields = models.ManyToManyField("org.Field", verbose_name="适用执法领域", blank=True,
                                    help_text="线索属于所选领域之一即适用；与“涉旅”为“或”关系。都不选且不限涉旅=全部线索")
    enforcement_only = models.BooleanField("仅涉行政执法线索", default=True)
    red_at = models.PositiveIntegerField("红色分值线", default=8, help_text="总分≥此值为红")
    orange_at = models.PositiveIntegerField("橙色分值线", default=4, help_text="总分≥此值为橙")
    yellow_at = models.PositiveIntegerField("黄色分值线", default=0, help_text="总分≥此值为黄；低于则不定色")
    base_reason = models.CharField("未命中情形时的说明", max_length=100, default="未命中加重情形，按常规时限办理")
    priority = models.IntegerField("优先级", default=100, help_text="多个方案都适用时取结果最严重者；同等时数字小者优先")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "研判方案"
        verbose_name_plural = "研判方案"
        ordering = ["priority", "id"]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    class Kind(models.TextChoices):
        PROBLEM_TYPE = "problem_type", "问题类型"
        CLUSTER = "cluster", "同一商户/地点聚集投诉"
        MONEY = "money", "涉案金额"
        SAFETY_WORDS = "safety_words", "人身安全词"
        REPEAT_OFFENDER = "repeat_offender", "屡查屡犯"
        CALENDAR = "calendar", "时间节点"

    class ClusterBy(models.TextChoices):
        BUSINESS = "business", "同一商户"
        PLACE = "place", "同一地点"
        EITHER = "either", "同一商户或地点"

    class CalendarKind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日"
        EVE = "eve", "节假日前一天"
        PEAK = "peak", "旅游旺季（日期段）"
        LUNAR = "lunar", "农历节日（如观音香会）"
        EVENT = "event", "工作人员录入的事件（如停航）"

    policy = models.ForeignKey(GradingPolicy, on_delete=models.CASCADE, related_name="criteria",
                               verbose_name="研判方案")
    name = models.CharField("名称", max_length=80)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    active = models.BooleanField("启用", default=True)
    sort = models.PositiveIntegerField("排序", default=0)
    exclusive_group = models.CharField(
        "互斥组", max_length=30, blank=True,
        help_text="同组多个条件同时命中时只计效果最强的一个（如“24小时3起”与“72小时2起”）")
    # problem_type
    problem_types = models.ManyToManyField("org.ProblemType", verbose_name="问题类型", blank=True)
    # cluster / repeat offender
    cluster_by = models.CharField("聚集对象", max_length=8, choices=ClusterBy.choices, default=ClusterBy.BUSINESS)
    min_count = models.PositiveIntegerField("起数≥", default=0, help_text="聚集：含本件在内的投诉数；屡犯：此前线索数")
    window_hours = models.PositiveIntegerField(
        "时间窗（小时）", default=0,
        help_text="聚集：多少小时内；屡犯：不计最近多少小时内的线索（它们按聚集计）")
    lookback_days = models.PositiveIntegerField("追溯天数", default=0, help_text="屡犯：追溯多少天内的线索或已办结案件")
    # money
    min_amount = models.DecimalField("金额≥（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    # safety words
    words = models.TextField("词表", blank=True, help_text="用逗号、顿号、空格或换行分隔")
    # calendar
    calendar_kind = models.CharField("时间节点类型", max_length=8, choices=CalendarKind.choices, blank=True)
    holiday_names = models.CharField("节日", max_length=200, blank=True,
                                     help_text="如：国庆,春节,五一；空=全部法定节假日")
    date_ranges = models.TextField("日期段", blank=True, help_text="每行一段：07-01~08-31 暑期旺季")
    lunar_dates = models.TextField("农历日期", blank=True, help_text="每行一个：2-19 观音诞辰日")
    event_kinds = models.CharField("事件类型", max_length=100, blank=True, help_text="如：ferry；空=全部类型")
    days_after = models.PositiveIntegerField("延续天数", default=0,
                                             help_text="事件结束后仍计入的天数；农历节日前后各计入的天数")
    # effect
    points = models.IntegerField("加分", default=0)
    min_colour = models.CharField("至少为", max_length=6, choices=Colour.choices, blank=True)
    reason = models.CharField(
        "说明模板", max_length=200,
        help_text="可用占位符：{count} {window} {target} {name} {problem} {amount} {min_amount} {words} "
                  "{holiday} {festival} {event} {days}")

    class Meta:
        verbose_name = "研判条件"
        verbose_name_plural = "研判条件"
        ordering = ["policy", "sort", "id"]

    def __str__(self):
        return f"{self.policy}：{self.name}"


class CalendarEvent(models.Model):
    """An event staff enter (停航, 台风, 大型活动 …) that affects orders received during it and after."""

    class Kind(models.TextChoices):
        FERRY = "ferry", "停航"
        WEATHER = "weather", "恶劣天气"
        FESTIVAL = "festival", "大型活动"
        OTHER = "other", "其他"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.FERRY)
    title = models.CharField("标题", max_length=120)
    start = models.DateTimeField("开始时间")
    end = models.DateTimeField("结束时间")
    areas = models.ManyToManyField("org.Area", verbose_name="影响区域", blank=True, help_text="不选=全市")
    note = models.TextField("备注", blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   verbose_name="录入人", related_name="+")
    entered_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = "时间节点事件"
        verbose_name_plural = "时间节点事件"
        ordering = ["-start"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class ClueGrade(models.Model):
    """The current grade of one order. colour empty = screened but not graded (no policy applies)."""

    order = models.OneToOneField("orders.WorkOrder", on_delete=models.CASCADE, related_name="grade",
                                 verbose_name="工单")
    colour = models.CharField("颜色", max_length=6, choices=Colour.choices, null=True, blank=True, db_index=True)
    points = models.IntegerField("分值", default=0)
    reasons = models.JSONField("研判依据", default=list, blank=True)
    cluster_keys = models.JSONField("聚集键", default=list, blank=True)
    due_by = models.DateTimeField("响应时限", null=True, blank=True, db_index=True)
    graded_at = models.DateTimeField("研判时间", default=timezone.now)
    policy = models.ForeignKey(GradingPolicy, null=True, blank=True, on_delete=models.SET_NULL,
                               verbose_name="研判方案")
    computed_colour = models.CharField("最近自动计算颜色", max_length=6, choices=Colour.choices, blank=True)
    person_baseline = models.CharField(
        "人工调整时的自动颜色", max_length=6, choices=Colour.choices, blank=True,
        help_text="人工降级后，只有自动计算结果比此更严重（出现新情况）时才会自动升级")

    class Meta:
        verbose_name = "线索研判"
        verbose_name_plural = "线索研判"

    def __str__(self):
        return f"{self.order_id} {self.get_colour_display() or '未定色'}"

    @property
    def summary(self) -> str:
        if not self.colour:
            return "未定色"
        return f"{self.get_colour_display()}：" + "；".join(self.reasons or [])


class ClusterKey(models.Model):
    """Index of what an order names (business by credit code or name, specific place), for finding
    the other complaints about the same business or place within a time window."""

    order = models.ForeignKey("orders.WorkOrder", on_delete=models.CASCADE, related_name="+")
    key = models.CharField("聚集键", max_length=200)
    received_at = models.DateTimeField("受理时间")

    class Meta:
        verbose_name = "聚集键"
        verbose_name_plural = "聚集键"
        indexes = [models.Index(fields=["key", "received_at"])]
        constraints = [models.UniqueConstraint(fields=["order", "key"], name="uniq_cluster_key")]


class GradeChange(AppendOnlyModel):
    """Every change of colour, automatic or by a person. Append-only."""

    order = models.ForeignKey("orders.WorkOrder", on_delete=models.CASCADE, related_name="grade_changes",
                              verbose_name="工单")
    from_colour = models.CharField("原颜色", max_length=6, choices=Colour.choices, blank=True)
    to_colour = models.CharField("新颜色", max_length=6, choices=Colour.choices, blank=True)
    reason = models.TextField("理由")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           verbose_name="调整人")
    by_label = models.CharField("调整来源", max_length=60, blank=True, help_text="系统自动研判时为“系统”")
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "研判颜色变更"
        verbose_name_plural = "研判颜色变更"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["order", "-at"])]

    def __str__(self):
        return f"{self.order_id} {self.from_colour or '—'}→{self.to_colour or '—'}"
