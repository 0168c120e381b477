"""Co-supervision (协查督办, C7): proposal rules as data, directives (黄牌预警 / 红牌督办 / 督办单) with
their lifecycle, replies, reminders (催办) and escalation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jidu.core.models import AppendOnlyModel


class Kind(models.TextChoices):
    YELLOW = "yellow", "黄牌预警"
    RED = "red", "红牌督办"
    DUBAN = "duban", "督办单"


class Trigger(models.TextChoices):
    DUE_SOON = "due_soon", "临近办理时限仍未办结"
    OVERDUE = "overdue", "超过办理时限仍未办结"
    UNSATISFIED = "unsatisfied_callback", "回访不满意或未解决"
    REOPENED = "reopened", "工单重办"
    REPEAT = "repeat_complaint", "同一来电人重复反映"


TIME_TRIGGERS = [Trigger.DUE_SOON, Trigger.OVERDUE]
EVENT_TRIGGERS = [Trigger.UNSATISFIED, Trigger.REOPENED, Trigger.REPEAT]


class DocumentType(models.TextChoices):
    NONE = "", "不生成公文"
    REMINDER = "reminder", "提醒函"
    DUBAN = "duban", "督办单"


class DirectiveRule(models.Model):
    """When to propose a directive. The trigger kinds are code; their parameters are data."""

    code = models.SlugField("规则代码", max_length=60, unique=True, help_text="种子数据用它识别规则，不要修改")
    name = models.CharField("名称", max_length=100)
    trigger = models.CharField("触发条件", max_length=24, choices=Trigger.choices)
    parameters = models.JSONField(
        "参数", default=dict, blank=True,
        help_text="如 {\"working_days\": 1}（到期前N个工作日）、{\"lookback_days\": 30}（只看最近N天）、"
                  "{\"enforcement_only\": true}（只限涉执法工单）、{\"order_types\": [\"complaint\"]}、"
                  "{\"window_days\": 30, \"min_orders\": 3}（重复反映）")
    kind = models.CharField("督办类型", max_length=8, choices=Kind.choices)
    level = models.PositiveSmallIntegerField("初始督办级别", default=1, help_text="1–3，逾期未回复逐级升级")
    reply_limit_key = models.CharField("回复时限代码", max_length=40, default="directive.reply",
                                       help_text="worktime“办理时限”中的代码，如 directive.reply")
    document_type = models.CharField("签发时生成公文", max_length=10, choices=DocumentType.choices, blank=True,
                                     default="")
    requirement = models.TextField("督办要求（默认）", blank=True,
                                   help_text="签发时写入督办单的要求，监督员可修改")
    active = models.BooleanField("启用", default=True)
    note = models.CharField("说明/依据", max_length=300, blank=True)
    next_scan_at = models.DateTimeField("下次扫描", default=timezone.now, db_index=True,
                                        help_text="扫描器领取用（jidu.jobs.claims），无需编辑")
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "督办建议规则"
        verbose_name_plural = "督办建议规则"
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="directive_rule_level")]

    def __str__(self):
        return self.name

    def param(self, name, default=None):
        return (self.parameters or {}).get(name, default)

    NUMBER_PARAMS = ("working_days", "lookback_days", "window_days", "min_orders")

    def clean(self):
        """Refuse parameters the proposer could not use, with a message naming the parameter."""
        from django.core.exceptions import ValidationError

        from jidu.orders.models import OrderType, Resolution, Satisfaction
        from jidu.worktime.models import TimeLimit

        params = self.parameters
        if not isinstance(params, dict):
            raise ValidationError({"parameters": "参数必须是 JSON 对象，如 {\"working_days\": 1}"})
        errors = []
        for name in self.NUMBER_PARAMS:
            if name in params and (not isinstance(params[name], int) or isinstance(params[name], bool)
                                   or params[name] < 1):
                errors.append(f"“{name}”须为正整数")
        for name, allowed in (("satisfaction", Satisfaction.values), ("resolution", Resolution.values),
                              ("order_types", OrderType.values)):
            bad = [v for v in params.get(name) or [] if v not in allowed]
            if bad:
                errors.append(f"“{name}”中的 {'、'.join(map(str, bad))} 不是有效值（可选：{'、'.join(allowed)}）")
        if errors:
            raise ValidationError({"parameters": "；".join(errors)})
        if self.reply_limit_key and not TimeLimit.objects.filter(key=self.reply_limit_key).exists():
            raise ValidationError({"reply_limit_key": f"办理时限中没有代码“{self.reply_limit_key}”，请先在“办理时限”中添加"})


class DirectiveSetting(models.Model):
    """Reminder and escalation configuration (one row, pk=1; edited in the admin)."""

    remind_before_working_days = models.PositiveSmallIntegerField(
        "回复时限前催办（工作日）", default=1, help_text="回复时限前第N个工作日起催办一次；0=不提前催办")
    escalate_after_working_days = models.PositiveSmallIntegerField(
        "逾期升级（工作日）", default=1, help_text="超过回复时限N个工作日仍未回复，升级一级并抄送领导")
    max_level = models.PositiveSmallIntegerField("最高督办级别", default=3)
    copy_roles = models.JSONField("升级抄送角色", default=list, blank=True, help_text="如 [\"leader\"]")
    urgent_from_level = models.PositiveSmallIntegerField("紧急通知起始级别", default=3,
                                                         help_text="该级别及以上的通知不受免打扰时段限制")

    class Meta:
        verbose_name = "督办提醒与升级设置"
        verbose_name_plural = "督办提醒与升级设置"

    def __str__(self):
        return "督办提醒与升级设置"

    @classmethod
    def current(cls) -> "DirectiveSetting":
        return cls.objects.filter(pk=1).first() or cls(pk=1, copy_roles=["leader"])


class Directive(models.Model):
    """A supervision directive to the department handling an order."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "待签发"
        ISSUED = "issued", "已签发待回复"
        REPLIED = "replied", "已回复待审核"
        ACCEPTED = "accepted", "已办结"
        DISMISSED = "dismissed", "不予督办"

    OPEN_STATES = [State.ISSUED, State.REPLIED]
    HIDDEN_FROM_DEPARTMENTS = [State.PROPOSED, State.DISMISSED]

    kind = models.CharField("督办类型", max_length=8, choices=Kind.choices, db_index=True)
    level = models.PositiveSmallIntegerField("督办级别", default=1)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PROPOSED, db_index=True)
    rule = models.ForeignKey(DirectiveRule, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="directives", verbose_name="建议规则")
    order = models.ForeignKey("orders.WorkOrder", on_delete=models.PROTECT, related_name="directives",
                              verbose_name="工单")
    orders = models.ManyToManyField("orders.WorkOrder", blank=True, related_name="+", verbose_name="涉及工单",
                                    help_text="重复反映等涉及多件工单时的全部工单（含主工单）")
    addressee = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="directives", verbose_name="督办对象")
    reason = models.TextField("督办事由")
    evidence = models.JSONField("依据事实", default=list, blank=True)  # [[label, value], …]
    requirement = models.TextField("督办要求", blank=True)
    proposed_at = models.DateTimeField("建议时间", default=timezone.now, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="建议人")
    issued_at = models.DateTimeField("签发时间", null=True, blank=True, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="签发人")
    reply_limit_key = models.CharField("回复时限代码", max_length=40, default="directive.reply")
    reply_due = models.DateTimeField("回复时限", null=True, blank=True, db_index=True)
    cycle_started_at = models.DateTimeField("本轮开始", null=True, blank=True,
                                            help_text="签发、退回或升级的时间：本轮催办从此计算")
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结/不予督办时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="审核/处理人")
    dismissed_reason = models.TextField("不予督办理由", blank=True)
    escalated_at = models.DateTimeField("最近升级时间", null=True, blank=True)
    document_number = models.CharField("公文文号", max_length=60, blank=True)
    document_id = models.PositiveIntegerField("公文编号（内部）", null=True, blank=True)
    next_check_at = models.DateTimeField("下次催办检查", null=True, blank=True, db_index=True,
                                         help_text="催办扫描器领取用（jidu.jobs.claims）")

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = "督办"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "rule"], condition=Q(rule__isnull=False),
                                    name="one_directive_per_order_and_rule"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="directive_level_1_to_3"),
        ]
        indexes = [models.Index(fields=["addressee", "state"]), models.Index(fields=["state", "reply_due"])]
        permissions = [
            ("issue_directive", "签发督办（或不予督办）"),
            ("reply_directive", "回复督办"),
            ("review_directive", "审核督办回复（认可/退回）"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}#{self.pk}（{self.order}）"

    @property
    def title(self) -> str:
        return f"{self.get_kind_display()}（{self.level}级）"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return bool(self.state == self.State.ISSUED and self.reply_due and self.reply_due < timezone.now())


def _reply_path(instance, filename):
    return f"directives/replies/{timezone.now():%Y/%m}/{filename}"


class DirectiveReply(models.Model):
    """The addressed department's answer, with an optional attachment, and the supervisor's review."""

    class Decision(models.TextChoices):
        PENDING = "", "待审核"
        ACCEPTED = "accepted", "认可"
        RETURNED = "returned", "退回"

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField("回复内容")
    attachment = models.FileField("附件", upload_to=_reply_path, blank=True)
    attachment_name = models.CharField("附件名", max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name="回复人")
    department = models.ForeignKey("org.Department", null=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="回复部门")
    at = models.DateTimeField("回复时间", default=timezone.now)
    decision = models.CharField("审核结果", max_length=10, choices=Decision.choices, blank=True, default="")
    review_note = models.TextField("审核意见", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办回复"
        verbose_name_plural = "督办回复"
        ordering = ["at", "id"]

    def __str__(self):
        return f"回复#{self.pk}（{self.directive_id}）"


class DirectiveEvent(AppendOnlyModel):
    """The directive's own history. Append-only; each is also a note on the order's timeline."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", "建议督办"
        ISSUED = "issued", "签发"
        DISMISSED = "dismissed", "不予督办"
        REPLIED = "replied", "部门回复"
        ACCEPTED = "accepted", "认可回复"
        RETURNED = "returned", "退回重办"
        REMINDED = "reminded", "催办"
        ESCALATED = "escalated", "升级督办"

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name="操作人")
    action = models.CharField("动作", max_length=10, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=10, blank=True)
    to_state = models.CharField("新状态", max_length=10, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "督办记录"
        verbose_name_plural = "督办记录"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.directive_id} {self.get_action_display()}"


class DirectiveReminder(models.Model):
    """A reminder or escalation slot claimed for a directive: inserted BEFORE sending, unique per
    slot, so no slot is ever sent twice (slot e.g. ``L1R0-before``, ``L1R0-overdue``, ``L1R0-escalate``)."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="reminders")
    slot = models.CharField("时点", max_length=30)
    at = models.DateTimeField("发送时间", default=timezone.now)
    note = models.CharField("内容", max_length=300, blank=True)

    class Meta:
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["directive", "slot"], name="uniq_directive_reminder_slot")]

    def __str__(self):
        return f"{self.directive_id} {self.slot}"
