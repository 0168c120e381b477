"""Periodic jobs as data: what runs when is a row an administrator edits, not code."""

import datetime as dt

from django.db import models
from django.utils import timezone


class PeriodicJob(models.Model):
    class Kind(models.TextChoices):
        CALLABLE = "callable", "Python 函数"
        COMMAND = "command", "管理命令"

    class Schedule(models.TextChoices):
        INTERVAL = "interval", "每隔N秒"
        DAILY = "daily", "每天定时"

    code = models.SlugField("代码", max_length=60, unique=True, help_text="种子数据用它识别作业，不要修改")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.CALLABLE)
    target = models.CharField("调用目标", max_length=200,
                              help_text="Python 函数的完整路径（无参数，返回简短结果说明），或管理命令名")
    arguments = models.CharField("命令参数", max_length=300, blank=True, help_text="仅管理命令：如 --from-db")
    schedule = models.CharField("时间表", max_length=10, choices=Schedule.choices, default=Schedule.INTERVAL)
    every_seconds = models.PositiveIntegerField("间隔（秒）", null=True, blank=True)
    daily_at = models.TimeField("每天时刻", null=True, blank=True, help_text="本地时间，如 07:30")
    working_days_only = models.BooleanField("仅工作日", default=False,
                                            help_text="按工作日历（含调休）只在工作日运行")
    enqueue = models.BooleanField("交给后台任务队列", default=False,
                                  help_text="勾选：调度器只把作业放进任务队列，由 worker 执行；不勾选：调度器自己执行")
    atomic = models.BooleanField("在一个事务中运行", default=False,
                                 help_text="勾选：作业的数据库写入全部在一个事务中，失败或中断时全部回滚（不适合发送邮件等外部操作）")
    lease_seconds = models.PositiveIntegerField(
        "租约（秒）", default=600,
        help_text="领取后多久未完成视为中断、重新到期（须长于一次正常运行的时间）")
    enabled = models.BooleanField("启用", default=True)
    next_run_at = models.DateTimeField("下次运行", null=True, blank=True, db_index=True)
    last_run_at = models.DateTimeField("上次运行", null=True, blank=True)
    last_finished_at = models.DateTimeField("上次完成", null=True, blank=True)
    last_result = models.TextField("上次结果", blank=True)
    last_error = models.TextField("上次错误", blank=True)
    runs = models.PositiveIntegerField("运行次数", default=0)
    failures = models.PositiveIntegerField("失败次数", default=0)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "定时作业"
        verbose_name_plural = "定时作业"
        ordering = ["code"]
        permissions = [("run_periodicjob", "可立即运行定时作业")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(schedule="interval", every_seconds__gte=1)
                           | models.Q(schedule="daily", daily_at__isnull=False)),
                name="periodicjob_schedule_complete"),
        ]

    def __str__(self):
        return self.name

    @property
    def schedule_text(self) -> str:
        if self.schedule == self.Schedule.DAILY and self.daily_at:
            text = f"每天 {self.daily_at:%H:%M}"
        else:
            text = f"每 {self.every_seconds} 秒"
        return text + ("（仅工作日）" if self.working_days_only else "")

    def next_after(self, moment: dt.datetime) -> dt.datetime:
        from jidu.jobs.schedule import next_run

        return next_run(self, moment)

    @property
    def is_running(self) -> bool:
        """Claimed and not yet finished (its lease still holds)."""
        return bool(self.last_run_at and (not self.last_finished_at or self.last_finished_at < self.last_run_at)
                    and self.next_run_at and self.next_run_at > timezone.now()
                    and self.next_run_at <= self.last_run_at + dt.timedelta(seconds=self.lease_seconds))
