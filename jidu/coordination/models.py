"""Coordination (C8, C13, C15): consultations (会商会审) with materials, minutes, conclusions and
follow-up tasks; joint inspections (联合巡查) with findings, cases filed and rectifications; and
intervention guidance (介入指导) addressed to a department, tracked until acted on."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from jidu.core.models import StoredFile


def _upload_path(instance, filename):
    return f"coordination/{instance.UPLOAD_DIR}/{timezone.now():%Y/%m}/{filename}"


# ------------------------------------------------------------------------------------------ consultations
class Consultation(models.Model):
    """A consultation on hard cases and disputes: planned → held → concluded → closed."""

    class Kind(models.TextChoices):
        HUISHANG = "huishang", "会商"
        HUISHEN = "huishen", "会审"

    class State(models.TextChoices):
        PLANNED = "planned", "已计划"
        HELD = "held", "已召开"
        CONCLUDED = "concluded", "已形成结论"
        CLOSED = "closed", "已办结"

    topic = models.CharField("议题", max_length=200)
    kind = models.CharField("形式", max_length=10, choices=Kind.choices, default=Kind.HUISHANG)
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="召集人")
    departments = models.ManyToManyField("org.Department", verbose_name="参会部门", related_name="+")
    scheduled_at = models.DateTimeField("会议时间", db_index=True)
    place = models.CharField("地点", max_length=200, blank=True)
    description = models.TextField("议题说明", blank=True)
    orders = models.ManyToManyField("orders.WorkOrder", verbose_name="关联工单", blank=True, related_name="+")
    disputes = models.ManyToManyField("jurisdiction.Dispute", verbose_name="关联派单争议", blank=True,
                                      related_name="+")
    minutes = models.TextField("会议纪要", blank=True)
    conclusions = models.TextField("会商结论", blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PLANNED, db_index=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    held_at = models.DateTimeField("召开登记时间", null=True, blank=True)
    concluded_at = models.DateTimeField("结论时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "会商会审"
        verbose_name_plural = "会商会审"
        ordering = ["-scheduled_at", "-id"]
        permissions = [("report_followup", "报告会商跟进任务完成情况")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.topic}"


class ConsultationMaterial(StoredFile):
    """A material for the meeting. Never served publicly: a scoped, audited download view."""

    UPLOAD_DIR = "materials"
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField("文件", upload_to=_upload_path)

    class Meta(StoredFile.Meta):
        verbose_name = "会商材料"
        verbose_name_plural = "会商材料"


class FollowUpTask(models.Model):
    """A task decided at the consultation, owned by a department (and optionally a person)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="tasks")
    text = models.TextField("任务内容")
    owner_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                         verbose_name="责任部门")
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="责任人")
    working_days = models.PositiveIntegerField("时限（工作日）", null=True, blank=True,
                                               help_text="空=按办理时限 coordination_followup")
    due_at = models.DateTimeField("完成时限", db_index=True)
    done = models.BooleanField("已完成", default=False, db_index=True)
    done_note = models.TextField("完成情况", blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name="报告人")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="布置人")
    created_at = models.DateTimeField("布置时间", default=timezone.now)

    class Meta:
        verbose_name = "会商跟进任务"
        verbose_name_plural = "会商跟进任务"
        ordering = ["due_at", "id"]

    def __str__(self):
        return self.text[:40]

    @property
    def is_overdue(self) -> bool:
        return not self.done and self.due_at < timezone.now()


class ListEntryChange(models.Model):
    """A responsibility-list entry created or amended by a consultation's conclusion."""

    class Action(models.TextChoices):
        CREATED = "created", "新增条目"
        AMENDED = "amended", "修改条目"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="entry_changes")
    entry = models.ForeignKey("jurisdiction.ListEntry", on_delete=models.PROTECT, related_name="+",
                              verbose_name="清单条目")
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    version_number = models.PositiveIntegerField("版本号", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", verbose_name="操作人")
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "会商清单变更"
        verbose_name_plural = "会商清单变更"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.entry_id} v{self.version_number}"


# ------------------------------------------------------------------------------------------ inspections
class Inspection(models.Model):
    """A joint field inspection (联合巡查): planned → in progress → completed."""

    class State(models.TextChoices):
        PLANNED = "planned", "已计划"
        IN_PROGRESS = "in_progress", "巡查中"
        COMPLETED = "completed", "已完成"

    title = models.CharField("巡查名称", max_length=200)
    area = models.ForeignKey("org.Area", on_delete=models.PROTECT, related_name="+", verbose_name="巡查区域")
    start_date = models.DateField("开始日期", db_index=True)
    end_date = models.DateField("结束日期")
    departments = models.ManyToManyField("org.Department", verbose_name="参加部门", related_name="+")
    problem_types = models.ManyToManyField("org.ProblemType", verbose_name="巡查问题类型", blank=True,
                                           related_name="+")
    themes = models.CharField("巡查主题", max_length=300, blank=True, help_text="如 暑期民宿、海鲜排档价格")
    orders = models.ManyToManyField("orders.WorkOrder", verbose_name="关联工单", blank=True, related_name="+")
    summary = models.TextField("巡查小结", blank=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PLANNED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="计划人")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始巡查时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "联合巡查"
        verbose_name_plural = "联合巡查"
        ordering = ["-start_date", "-id"]
        permissions = [("report_rectification", "报告巡查整改情况")]

    def __str__(self):
        return self.title


class InspectionFinding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    place = models.CharField("地点/地址", max_length=300)
    business_name = models.CharField("经营主体", max_length=200, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    description = models.TextField("发现问题")
    problem_type = models.ForeignKey("org.ProblemType", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="问题类型")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="记录人")
    at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "巡查发现"
        verbose_name_plural = "巡查发现"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.place} {self.description[:30]}"


class FindingPhoto(StoredFile):
    UPLOAD_DIR = "photos"
    finding = models.ForeignKey(InspectionFinding, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField("照片", upload_to=_upload_path)

    class Meta(StoredFile.Meta):
        verbose_name = "巡查照片"
        verbose_name_plural = "巡查照片"


class InspectionCase(models.Model):
    """A case filed (立案) as a result of the inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="cases")
    finding = models.ForeignKey(InspectionFinding, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="cases", verbose_name="对应发现")
    number = models.CharField("案件编号", max_length=80)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="立案部门")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="记录人")
    at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "巡查立案"
        verbose_name_plural = "巡查立案"
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["inspection", "department", "number"],
                                               name="uniq_inspection_case_number")]

    def __str__(self):
        return self.number


class Rectification(models.Model):
    """A rectification (整改) a department must report done by the deadline."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="rectifications")
    finding = models.ForeignKey(InspectionFinding, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="rectifications", verbose_name="对应发现")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="整改责任部门")
    description = models.TextField("整改要求")
    deadline = models.DateField("整改期限", db_index=True)
    done = models.BooleanField("已整改", default=False, db_index=True)
    done_note = models.TextField("整改情况", blank=True)
    done_at = models.DateTimeField("整改报告时间", null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name="报告人")

    class Meta:
        verbose_name = "巡查整改"
        verbose_name_plural = "巡查整改"
        ordering = ["deadline", "id"]

    def __str__(self):
        return self.description[:40]

    @property
    def is_overdue(self) -> bool:
        return not self.done and self.deadline < timezone.localdate()


class InspectionBusiness(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="businesses")
    name = models.CharField("经营主体", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)

    class Meta:
        verbose_name = "巡查涉及经营主体"
        verbose_name_plural = "巡查涉及经营主体"
        ordering = ["id"]

    def __str__(self):
        return self.name


# ------------------------------------------------------------------------------------------ guidance
class Guidance(models.Model):
    """Intervention guidance (介入指导) from a supervisor to a department, on an order or on its own."""

    class State(models.TextChoices):
        ISSUED = "issued", "已下达"
        ACKNOWLEDGED = "acknowledged", "已签收"
        ACTED = "acted", "已落实"
        OVERDUE = "overdue", "已逾期"

    OPEN = [State.ISSUED, State.ACKNOWLEDGED, State.OVERDUE]

    order = models.ForeignKey("orders.WorkOrder", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="关联工单")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name="指导对象部门")
    text = models.TextField("指导意见")
    legal_basis = models.TextField("法律依据", blank=True)
    requested_action = models.TextField("要求采取的措施")
    working_days = models.PositiveIntegerField("办理时限（工作日）")
    due_at = models.DateTimeField("落实时限", db_index=True)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.ISSUED, db_index=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="指导人")
    issued_at = models.DateTimeField("下达时间", default=timezone.now, db_index=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name="签收人")
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledge_note = models.TextField("签收意见", blank=True)
    action_taken = models.TextField("落实情况", blank=True)
    acted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="报告人")
    acted_at = models.DateTimeField("落实报告时间", null=True, blank=True)
    overdue_at = models.DateTimeField("逾期标记时间", null=True, blank=True)
    overdue_check_at = models.DateTimeField("逾期检查时点", null=True, blank=True, db_index=True, editable=False,
                                            help_text="逾期扫描认领用：到期时点，处理后清空")

    class Meta:
        verbose_name = "介入指导"
        verbose_name_plural = "介入指导"
        ordering = ["-issued_at", "-id"]
        permissions = [("respond_guidance", "签收并报告介入指导落实情况")]

    def __str__(self):
        return f"介入指导#{self.pk} → {self.department}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN

    @property
    def acted_late(self) -> bool:
        return bool(self.acted_at and self.acted_at > self.due_at)
