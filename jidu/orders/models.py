"""The work order (工单) as national practice records it (GB/T 33358-2016, 国办发〔2020〕53号)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jidu.core.crypto import EncryptedTextField
from jidu.core.models import AppendOnlyModel


class OrderType(models.TextChoices):
    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"
    OTHER = "other", "其他"


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    WEB = "web", "网站"
    WECHAT = "wechat", "微信"
    APP = "app", "APP"
    SMS = "sms", "短信"
    LETTER = "letter", "信件"
    EMAIL = "email", "电子邮件"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    RECEIVED = "received", "受理"
    DISPATCHED = "dispatched", "已派单"
    SIGNED = "signed", "已签收"
    IN_PROGRESS = "in_progress", "办理中"
    RETURN_REQUESTED = "return_requested", "退单申请"
    REDISPATCHED = "redispatched", "已改派"
    EXTENSION_REQUESTED = "extension_requested", "延期申请"
    EXTENDED = "extended", "已延期"
    TERMINATION_REQUESTED = "termination_requested", "终止办理申请"
    REPLIED = "replied", "已回复"
    CALLED_BACK = "called_back", "已回访"
    CLOSED = "closed", "办结"
    REOPENED = "reopened", "重办"
    TERMINATED = "terminated", "终止办理"
    ARCHIVED = "archived", "归档"


OPEN_STATUSES = [
    Status.RECEIVED, Status.DISPATCHED, Status.SIGNED, Status.IN_PROGRESS, Status.RETURN_REQUESTED,
    Status.REDISPATCHED, Status.EXTENSION_REQUESTED, Status.EXTENDED, Status.TERMINATION_REQUESTED,
    Status.REOPENED,
]
FINISHED_STATUSES = [Status.CLOSED, Status.TERMINATED, Status.ARCHIVED]


class Resolution(models.TextChoices):
    RESOLVED = "resolved", "解决"
    PARTIAL = "partial", "部分解决"
    UNRESOLVED = "unresolved", "未解决"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    NONE = "none", "未评价"


class Source(models.Model):
    """Where orders come from (a hotline system). Order numbers are unique per source."""

    code = models.CharField("来源代码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=60)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "工单来源"
        verbose_name_plural = "工单来源"

    def __str__(self):
        return self.name


class WorkOrderQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())


class WorkOrder(models.Model):
    source = models.ForeignKey(Source, verbose_name="来源", on_delete=models.PROTECT)
    order_no = models.CharField("工单编号", max_length=64)
    order_type = models.CharField("工单类型", max_length=12, choices=OrderType.choices, default=OrderType.OTHER)
    channel = models.CharField("来源渠道", max_length=10, choices=Channel.choices, blank=True)
    received_at = models.DateTimeField("受理时间", db_index=True)
    caller_name = EncryptedTextField("来电人姓名", blank=True, default="")
    caller_phone = EncryptedTextField("联系电话", blank=True, default="")
    caller_id_number = EncryptedTextField("身份证号", blank=True, default="")
    caller_phone_index = models.CharField("电话检索码", max_length=32, blank=True, db_index=True)
    title = models.CharField("标题", max_length=300, blank=True)
    content = models.TextField("诉求内容")
    address = models.CharField("事发地址", max_length=300, blank=True)
    area = models.ForeignKey("org.Area", verbose_name="所属区域", null=True, blank=True, on_delete=models.PROTECT)
    area_text = models.CharField("区域（原文）", max_length=100, blank=True)
    hotline_category = models.CharField("热线分类", max_length=200, blank=True)
    lead_department = models.ForeignKey(
        "org.Department", verbose_name="主办单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="lead_orders",
    )
    departments_text = models.CharField("承办单位（原文）", max_length=300, blank=True)
    status = models.CharField("状态", max_length=24, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    return_reason = models.TextField("退单理由", blank=True)
    due_at = models.DateTimeField("办理时限", null=True, blank=True, db_index=True)
    reply_text = models.TextField("答复内容", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    callback_resolution = models.CharField("回访-解决情况", max_length=12, choices=Resolution.choices, blank=True)
    callback_satisfaction = models.CharField("回访-满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    callback_at = models.DateTimeField("回访时间", null=True, blank=True)
    flags = models.JSONField("待核实事项", default=list, blank=True)
    source_version = models.DateTimeField("来源更新时间", help_text="来源系统中该版本的更新时间，旧版本不覆盖新版本")
    last_batch = models.ForeignKey("intake.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="最近导入批次")
    last_batch_row = models.PositiveIntegerField("最近导入行号", null=True, blank=True)
    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    updated_at = models.DateTimeField("最近更新", auto_now=True, db_index=True)

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        verbose_name = "工单"
        verbose_name_plural = "工单"
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "order_no"], name="uniq_order_no_per_source")]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            models.Index(fields=["lead_department", "received_at"]),
            models.Index(fields=["area", "received_at"]),
        ]
        permissions = [
            ("view_personal_data", "查看来电人完整个人信息"),
            ("export_workorder", "导出工单"),
        ]

    def __str__(self):
        return self.order_no

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_at and self.due_at < timezone.now())


class OrderCoDepartment(models.Model):
    """A co-handling department (协办单位). The lead (主办) is WorkOrder.lead_department."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="co_departments")
    department = models.ForeignKey("org.Department", verbose_name="协办单位", on_delete=models.PROTECT)

    class Meta:
        verbose_name = "协办单位"
        verbose_name_plural = "协办单位"
        constraints = [models.UniqueConstraint(fields=["order", "department"], name="uniq_co_department")]
        indexes = [models.Index(fields=["department", "order"])]

    def __str__(self):
        return str(self.department)


class OrderEvent(AppendOnlyModel):
    """One change on an order: its timeline. Append-only."""

    class Kind(models.TextChoices):
        CREATED = "created", "工单入库"
        CHANGED = "changed", "字段变更"
        STATUS = "status", "状态变更"
        ASSIGNED = "assigned", "承办单位变更"
        FLAGGED = "flagged", "待核实"
        STALE = "stale", "旧版本未覆盖"
        NOTE = "note", "备注"

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now, db_index=True,
                              help_text="变更发生的时间（来源系统的更新时间，没有则为入库时间）")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              verbose_name="操作人")
    actor_label = models.CharField("操作来源", max_length=120, blank=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    field = models.CharField("字段", max_length=40, blank=True)
    old_value = models.TextField("原值", blank=True)
    new_value = models.TextField("新值", blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "工单时间线"
        verbose_name_plural = "工单时间线"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.order_id} {self.get_kind_display()} {self.field}"
