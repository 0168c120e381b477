"""Jurisdiction (C4, C5): responsibility lists with version history, dispatch disputes settled
within 24 clock hours, precedents, routing choices (training data) and minimal in-app notices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jidu.core.models import AppendOnlyModel, StoredFile


class ListType(models.TextChoices):
    CATALOGUE = "catalogue", "派单目录"
    HIGH_FREQUENCY = "high_frequency", "高频多发执法投诉事项"
    TASKS = "tasks", "职责任务清单"
    HARD = "hard", "交办难事项"
    BOUNDARY = "boundary", "厘清的职责边界"


class EntrySource(models.TextChoices):
    SANDING = "sanding", "三定规定"
    POWERS = "powers", "权责清单"
    LAW = "law", "法律法规"
    MINUTES = "minutes", "会商纪要"
    RULING = "ruling", "争议裁定"
    OTHER = "other", "其他"


class ListEntry(models.Model):
    """One entry of a responsibility list: a matter, how to recognise it, who handles it, why."""

    code = models.CharField("条目编号", max_length=40, unique=True, help_text="稳定编号，导入时按此更新")
    list_type = models.CharField("清单类型", max_length=16, choices=ListType.choices, db_index=True)
    matter = models.CharField("事项", max_length=200)
    description = models.TextField("事项说明", blank=True)
    keywords = models.JSONField("关键词", default=list, blank=True,
                                help_text="任一命中即匹配；“民宿+退”表示两个词都须出现（按字面包含，不分词）")
    exclude_keywords = models.JSONField("排除词", default=list, blank=True, help_text="出现任一则不匹配")
    fields = models.ManyToManyField("org.Field", verbose_name="执法领域", blank=True, related_name="+")
    lead_department = models.ForeignKey("org.Department", verbose_name="主办部门", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    co_departments = models.ManyToManyField("org.Department", verbose_name="协办部门", blank=True,
                                            related_name="+")
    resolve_to_district = models.BooleanField(
        "按属地落到区县", default=True,
        help_text="主办/协办为市级部门时，按工单所属区县推荐其区县对应部门（如 普陀区市场监管局）")
    basis_law = models.CharField("法律依据（法规名称）", max_length=200, blank=True)
    basis_article = models.CharField("条款", max_length=100, blank=True)
    basis_text = models.TextField("条文要点", blank=True)
    source = models.CharField("来源", max_length=10, choices=EntrySource.choices, default=EntrySource.LAW)
    source_detail = models.CharField("来源说明", max_length=300, blank=True)
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("失效日期", null=True, blank=True, help_text="含当日；空=长期有效")
    active = models.BooleanField("启用", default=True, db_index=True)
    note = models.TextField("备注", blank=True)
    from_dispute = models.ForeignKey("Dispute", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="list_entries", verbose_name="来源争议")
    search_text = models.TextField("检索文本", blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   verbose_name="最近修改人", related_name="+")

    class Meta:
        verbose_name = "清单条目"
        verbose_name_plural = "清单条目"
        ordering = ["list_type", "code"]
        permissions = [("import_listentry", "导入清单"), ("export_listentry", "导出清单")]

    def __str__(self):
        return f"{self.code} {self.matter}"

    def is_valid_on(self, day) -> bool:
        return bool(self.active and (self.valid_from is None or self.valid_from <= day)
                    and (self.valid_to is None or day <= self.valid_to))

    @property
    def basis_label(self) -> str:
        return "".join(p for p in (self.basis_law and f"《{self.basis_law.strip('《》')}》", self.basis_article) if p)

    def snapshot(self) -> dict:
        return {
            "code": self.code, "list_type": self.list_type, "matter": self.matter, "description": self.description,
            "keywords": list(self.keywords or []), "exclude_keywords": list(self.exclude_keywords or []),
            "fields": sorted(self.fields.values_list("name", flat=True)) if self.pk else [],
            "lead_department": self.lead_department.name if self.lead_department_id else "",
            "co_departments": sorted(self.co_departments.values_list("name", flat=True)) if self.pk else [],
            "resolve_to_district": self.resolve_to_district, "basis_law": self.basis_law,
            "basis_article": self.basis_article, "basis_text": self.basis_text, "source": self.source,
            "source_detail": self.source_detail,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "active": self.active, "note": self.note,
        }

    def save(self, *args, version_by=None, version_note: str = "", versioned: bool = True, **kwargs):
        """Every save writes a version snapshot. Callers that set many-to-many fields afterwards
        pass versioned=False and call write_version() once the relations are set."""
        if version_by is not None:
            self.updated_by = version_by
        self.search_text = " ".join([self.code, self.matter, self.description, " ".join(self.keywords or []),
                                     self.basis_law, self.basis_article, self.basis_text, self.source_detail])
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)
        if versioned:
            self.write_version(version_by, version_note)

    def write_version(self, by=None, note: str = "") -> "ListEntryVersion":
        last = self.versions.order_by("-number").values_list("number", flat=True).first() or 0
        return ListEntryVersion.objects.create(entry=self, number=last + 1, data=self.snapshot(), by=by,
                                               note=note[:200])


class ListEntryVersion(AppendOnlyModel):
    entry = models.ForeignKey(ListEntry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    data = models.JSONField("内容快照")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           verbose_name="修改人", related_name="+")
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "清单条目版本"
        verbose_name_plural = "清单条目版本"
        ordering = ["entry", "-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="uniq_list_entry_version")]

    def __str__(self):
        return f"{self.entry_id} v{self.number}"


class DisputeSetting(models.Model):
    """The dispute process's configuration (one row, pk=1; edited in the admin)."""

    time_limit_key = models.CharField("时限代码", max_length=40, default="dispute",
                                      help_text="worktime“办理时限”中的代码，默认 dispute（24个自然小时）")
    reminder_hours = models.JSONField("提醒时点（开启后小时数）", default=list, blank=True,
                                      help_text="如 [12, 20]：开启后12小时、20小时各提醒一次")
    escalate_overdue = models.BooleanField("超时升级", default=True)
    escalate_to_role = models.CharField("升级通知角色", max_length=12, default="leader")
    remind_role = models.CharField("提醒通知角色", max_length=12, default="supervisor")

    class Meta:
        verbose_name = "派单争议设置"
        verbose_name_plural = "派单争议设置"

    def __str__(self):
        return "派单争议设置"

    @classmethod
    def current(cls) -> "DisputeSetting":
        obj = cls.objects.filter(pk=1).first()
        return obj or cls(pk=1, reminder_hours=[12, 20])


class Dispute(models.Model):
    """A dispatch dispute (事件快响): an order returned or flagged, settled by a supervisor."""

    class State(models.TextChoices):
        OPEN = "open", "待裁定"
        DECIDED = "decided", "已裁定"
        ESCALATED = "escalated", "已超时升级"
        WITHDRAWN = "withdrawn", "已撤回"

    class Via(models.TextChoices):
        RETURN = "return", "部门退单"
        FLAG = "flag", "派单员发起"

    UNSETTLED = [State.OPEN, State.ESCALATED]

    order = models.ForeignKey("orders.WorkOrder", on_delete=models.PROTECT, related_name="disputes",
                              verbose_name="工单")
    via = models.CharField("发起方式", max_length=8, choices=Via.choices, default=Via.RETURN)
    returning_department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+", verbose_name="退单部门")
    reason = models.TextField("退单/争议理由", blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="发起人")
    opened_at = models.DateTimeField("开启时间", default=timezone.now, db_index=True)
    due_at = models.DateTimeField("裁定时限", db_index=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    decided_lead = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="裁定主办部门")
    decided_co = models.ManyToManyField("org.Department", blank=True, related_name="+",
                                        verbose_name="裁定协办部门")
    basis_text = models.TextField("法律依据", blank=True)
    citation = models.CharField("引用", max_length=300, blank=True)
    cited_entry = models.ForeignKey(ListEntry, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="引用清单条目")
    cited_precedent = models.ForeignKey("Precedent", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name="引用先例")
    decision_note = models.TextField("裁定说明", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="裁定人")
    decided_at = models.DateTimeField("裁定时间", null=True, blank=True, db_index=True)
    escalated_at = models.DateTimeField("升级时间", null=True, blank=True)
    closed_note = models.CharField("撤回说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "派单争议"
        verbose_name_plural = "派单争议"
        ordering = ["-opened_at"]
        constraints = [models.UniqueConstraint(fields=["order"], condition=Q(state__in=["open", "escalated"]),
                                               name="one_unsettled_dispute_per_order")]
        permissions = [("decide_dispute", "裁定派单争议")]

    def __str__(self):
        return f"争议#{self.pk} {self.order}"

    @property
    def is_unsettled(self) -> bool:
        return self.state in self.UNSETTLED

    @property
    def is_overdue(self) -> bool:
        return self.is_unsettled and self.due_at < timezone.now()

    def party_department_ids(self) -> set[int]:
        ids = set(self.claims.values_list("department_id", flat=True))
        if self.returning_department_id:
            ids.add(self.returning_department_id)
        return ids


class DisputeClaim(models.Model):
    class Position(models.TextChoices):
        NOT_OURS = "not_ours", "非本单位职责"
        OURS = "ours", "应由本单位主办"
        CO = "co", "可协办"
        OTHER = "other", "其他意见"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="claims")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="部门")
    position = models.CharField("立场", max_length=10, choices=Position.choices)
    suggested_department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="+", verbose_name="建议承办部门")
    text = models.TextField("理由")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name="提交人")
    at = models.DateTimeField("提交时间", default=timezone.now)

    class Meta:
        verbose_name = "争议意见"
        verbose_name_plural = "争议意见"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.department} {self.get_position_display()}"


def _attachment_path(instance, filename):
    return f"jurisdiction/disputes/{timezone.now():%Y/%m}/{filename}"


class DisputeAttachment(StoredFile):
    """Evidence (退单证据, a party's documents). Never served publicly: permission-checked view."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="attachments")
    claim = models.ForeignKey(DisputeClaim, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="attachments")
    file = models.FileField("文件", upload_to=_attachment_path)

    class Meta(StoredFile.Meta):
        verbose_name = "争议附件"
        verbose_name_plural = "争议附件"


class ReminderSent(models.Model):
    """A reminder or escalation claimed for a dispute: inserted BEFORE sending, unique per point,
    so two workers never send the same one twice."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="reminders")
    point = models.CharField("时点", max_length=20, help_text="如 12h、20h、escalate")
    at = models.DateTimeField("发送时间", default=timezone.now)

    class Meta:
        verbose_name = "已发提醒"
        verbose_name_plural = "已发提醒"
        constraints = [models.UniqueConstraint(fields=["dispute", "point"], name="uniq_dispute_reminder")]


class Precedent(models.Model):
    """A ruling made reusable: shown to supervisors and used for routing advice."""

    matter = models.CharField("事项", max_length=200)
    keywords = models.JSONField("关键词", default=list, blank=True)
    text = models.TextField("案情摘要", blank=True, help_text="用于相似度比较（工单内容摘要）")
    lead_department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name="主办部门")
    co_departments = models.ManyToManyField("org.Department", blank=True, related_name="+",
                                            verbose_name="协办部门")
    basis_text = models.TextField("法律依据", blank=True)
    citation = models.CharField("引用", max_length=300, blank=True)
    dispute = models.OneToOneField(Dispute, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="precedent", verbose_name="来源争议")
    decided_at = models.DateTimeField("裁定时间", default=timezone.now)
    active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="创建人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_index=True)

    class Meta:
        verbose_name = "裁定先例"
        verbose_name_plural = "裁定先例"
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return self.matter


class RoutingChoice(models.Model):
    """The dispatcher's final choice with the advice that was on screen (training data)."""

    order = models.ForeignKey("orders.WorkOrder", on_delete=models.CASCADE, related_name="routing_choices")
    lead_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                        verbose_name="选定主办")
    co_departments = models.ManyToManyField("org.Department", blank=True, related_name="+",
                                            verbose_name="选定协办")
    advice = models.JSONField("当时的建议", default=list, blank=True)
    followed_advice = models.BooleanField("采纳首选建议", default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name="派单员")
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "派单选择"
        verbose_name_plural = "派单选择"
        ordering = ["-at"]


class Notice(models.Model):
    """A minimal in-app notice (a later issue builds the general inbox). Addressed to a user, a
    department, or every user of a role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name="接收人")
    department = models.ForeignKey("org.Department", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", verbose_name="接收部门")
    role = models.CharField("接收角色", max_length=12, blank=True)
    text = models.CharField("内容", max_length=500)
    link = models.CharField("链接", max_length=300, blank=True)
    dispute = models.ForeignKey(Dispute, null=True, blank=True, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.text[:40]
