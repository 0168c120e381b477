from django.db import models


class CalendarYear(models.Model):
    """A year whose holidays and make-up workdays have been entered. Working-day arithmetic
    refuses any year without a row here rather than guessing from weekdays."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=100, blank=True, help_text="如：国务院办公厅通知 / chinesecalendar")
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "已录入年度"
        verbose_name_plural = "已录入年度"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年"


class Holiday(models.Model):
    """A day that differs from the Monday–Friday rule: a statutory holiday, or a make-up workday."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "法定节假日（休息）"
        WORKDAY = "workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("节日名称", max_length=30, blank=True)

    class Meta:
        verbose_name = "节假日/调休"
        verbose_name_plural = "节假日/调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name} {self.get_kind_display()}"


class TimeLimit(models.Model):
    """A configurable time limit, e.g. 投诉 → 15 working days, 派单争议 → 24 clock hours."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", "工作日"
        CLOCK_HOURS = "clock_hours", "自然小时"
        CALENDAR_DAYS = "calendar_days", "自然日"

    key = models.CharField("时限代码", max_length=40, unique=True,
                           help_text="工单类型代码（如 complaint），或流程代码（如 dispute）")
    name = models.CharField("名称", max_length=40)
    amount = models.PositiveIntegerField("时长")
    unit = models.CharField("单位", max_length=15, choices=Unit.choices)
    note = models.CharField("依据/说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["key"]

    def __str__(self):
        return f"{self.name}：{self.amount}{self.get_unit_display()}"
