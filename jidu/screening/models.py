"""Screening results: is an order about law enforcement, which field, problems, tourism, and what
it names. Every result records the model version that produced it; people's corrections win."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jidu.core.models import AppendOnlyModel


class ModelVersion(models.Model):
    """A trained screening model artifact (the default ships in jidu/screening/ml/artifacts)."""

    version = models.CharField("版本", max_length=60, unique=True)
    path = models.CharField("文件路径", max_length=500)
    trained_at = models.DateTimeField("训练时间", default=timezone.now)
    data = models.TextField("训练数据说明", blank=True)
    metrics = models.JSONField("评估指标", default=dict, blank=True)
    active = models.BooleanField("当前使用", default=False)

    class Meta:
        verbose_name = "筛查模型版本"
        verbose_name_plural = "筛查模型版本"
        ordering = ["-trained_at"]

    def __str__(self):
        return self.version


class Label(models.TextChoices):
    """The label groups a screening decides and a person may correct."""

    ENFORCEMENT = "enforcement", "涉行政执法"
    KIND = "kind", "类别（违法行为/执法行为）"
    FIELD = "field", "执法领域"
    PROBLEM = "problem", "问题类型"
    TOURISM = "tourism", "涉旅"


class Provenance(models.TextChoices):
    MODEL = "model", "模型"
    RULE = "rule", "规则"
    PERSON = "person", "人工确认"


class ReviewState(models.TextChoices):
    APPLIED = "applied", "已自动采用"
    SUGGESTED = "suggested", "建议（待确认）"
    PENDING = "pending", "待人工研判"
    CONFIRMED = "confirmed", "已人工确认"
    TOO_SHORT = "too_short", "内容过少，待人工研判"


class OrderScreening(models.Model):
    """The current screening of one order (one row per order; history is in the order's timeline)."""

    class Kind(models.TextChoices):
        VIOLATION = "violation", "举报违法行为"
        CONDUCT = "conduct", "投诉执法行为"

    order = models.OneToOneField("orders.WorkOrder", on_delete=models.CASCADE, related_name="screening")
    model_version = models.ForeignKey(ModelVersion, null=True, blank=True, on_delete=models.PROTECT,
                                      verbose_name="模型版本")
    enforcement = models.BooleanField("涉行政执法", null=True)
    enforcement_score = models.FloatField("涉执法置信度", null=True, blank=True)
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, blank=True)
    kind_score = models.FloatField("类别置信度", null=True, blank=True)
    field = models.ForeignKey("org.Field", null=True, blank=True, on_delete=models.PROTECT, verbose_name="执法领域")
    field_score = models.FloatField("领域置信度", null=True, blank=True)
    field_top = models.JSONField("领域候选", default=list, blank=True)  # [[name, score], …]
    tourism = models.BooleanField("涉旅", null=True)
    tourism_score = models.FloatField("涉旅置信度", null=True, blank=True)
    # enforcement_score and tourism_score are the probability of "yes"; kind/field scores are the
    # probability of the stored value. `labels` holds the decision per label group:
    # {label: {"value": …, "score": …, "state": ReviewState, "by": Provenance, "rule": name|None,
    #          "guess": model's value when it was below the suggest threshold}}
    labels = models.JSONField("各标签研判", default=dict, blank=True)
    summary = models.CharField("筛查摘要", max_length=300, blank=True)
    needs_rescreen = models.BooleanField("待重新筛查", default=False, db_index=True,
                                         help_text="筛查失败或模型不可用时标记，rescreen --pending 会重新筛查")
    entities = models.JSONField("提及实体", default=dict, blank=True)
    # {"businesses": [{"name":…, "uscc":…}], "amounts": [float…], "places": [{"name":…, "area_code":…}],
    #  "phones": n, "id_numbers": n}
    too_short = models.BooleanField("内容过少", default=False)
    state = models.CharField("研判状态", max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING,
                             db_index=True)
    provenance = models.JSONField("标签来源", default=dict, blank=True)  # {label: "model"|"rule"|"person"}
    explanation = models.TextField("依据说明", blank=True)
    rules_applied = models.JSONField("命中规则", default=list, blank=True)  # [{"id":…, "name":…, "effect":…}]
    screened_at = models.DateTimeField("筛查时间", default=timezone.now)

    class Meta:
        verbose_name = "筛查结果"
        verbose_name_plural = "筛查结果"
        indexes = [models.Index(fields=["enforcement", "tourism"]), models.Index(fields=["field", "enforcement"])]

    def __str__(self):
        return f"{self.order_id} 筛查"


class OrderProblem(models.Model):
    screening = models.ForeignKey(OrderScreening, on_delete=models.CASCADE, related_name="problems")
    problem = models.ForeignKey("org.ProblemType", on_delete=models.PROTECT, verbose_name="问题类型")
    score = models.FloatField("置信度", null=True, blank=True)
    provenance = models.CharField("来源", max_length=6, choices=Provenance.choices, default=Provenance.MODEL)
    state = models.CharField("研判状态", max_length=10, choices=ReviewState.choices, default=ReviewState.APPLIED)

    class Meta:
        verbose_name = "问题类型标签"
        verbose_name_plural = "问题类型标签"
        constraints = [models.UniqueConstraint(fields=["screening", "problem"], name="uniq_screening_problem")]


class LabelThreshold(models.Model):
    """Per label: a score to suggest, and a higher one to apply automatically."""

    label = models.CharField("标签", max_length=12, choices=Label.choices)
    value = models.CharField("取值", max_length=40, blank=True, help_text="空=该标签组的所有取值")
    suggest_at = models.FloatField("建议阈值", default=0.5)
    apply_at = models.FloatField("自动采用阈值", default=0.8)

    class Meta:
        verbose_name = "标签阈值"
        verbose_name_plural = "标签阈值"
        constraints = [models.UniqueConstraint(fields=["label", "value"], name="uniq_threshold")]


class Rule(models.Model):
    """A rule staff edit: match text, then force, suggest or veto a label value."""

    class Match(models.TextChoices):
        ANY = "any", "包含任一词"
        ALL = "all", "包含全部词"
        EXACT = "exact", "包含完整短语"
        REGEX = "regex", "正则表达式"
        FUZZY = "fuzzy", "模糊匹配"

    class Effect(models.TextChoices):
        FORCE = "force", "强制采用"
        SUGGEST = "suggest", "建议"
        VETO = "veto", "否决"

    name = models.CharField("名称", max_length=80)
    label = models.CharField("标签", max_length=12, choices=Label.choices)
    value = models.CharField("取值", max_length=40, help_text="如 yes/no、领域名称、问题类型名称")
    match = models.CharField("匹配方式", max_length=6, choices=Match.choices)
    pattern = models.TextField("匹配内容", help_text="词之间用空格或逗号分隔；正则表达式原样填写")
    segmented = models.BooleanField("按分词匹配", default=False, help_text="否=按子串匹配（中文推荐）")
    effect = models.CharField("效果", max_length=7, choices=Effect.choices, default=Effect.SUGGEST)
    priority = models.IntegerField("优先级", default=100, help_text="数字小者优先")
    active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "筛查规则"
        verbose_name_plural = "筛查规则"
        ordering = ["priority", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        from jidu.screening.rules import validate_rule

        validate_rule(self)

    def save(self, *args, **kwargs):
        # A rule that cannot be matched (bad regex, unknown value, no words) is refused on every
        # save path — form, admin, shell, fixtures — with a message that says what to fix.
        from jidu.screening.rules import validate_rule

        validate_rule(self)
        super().save(*args, **kwargs)


class Correction(AppendOnlyModel):
    """A person's decision on a label. The latest correction per (order, label) wins over any
    model or rule, survives re-screening and retraining, and is training data."""

    order = models.ForeignKey("orders.WorkOrder", on_delete=models.CASCADE, related_name="corrections")
    label = models.CharField("标签", max_length=12, choices=Label.choices)
    value = models.JSONField("取值")  # bool, str, or list of problem names
    previous = models.JSONField("原取值", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name="修正人")
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "人工修正"
        verbose_name_plural = "人工修正"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["order", "label", "-at"])]
