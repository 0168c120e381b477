"""When a periodic job is due next: every N seconds, or daily at HH:MM local time, optionally on
working days only (the editable holiday calendar, 调休 Saturdays included)."""

import datetime as dt
import logging

from django.utils import timezone

log = logging.getLogger(__name__)


def working_day(day: dt.date) -> bool:
    """The calendar's answer; a year nobody entered falls back to Monday–Friday (logged), so a
    missing calendar never stops the scheduler."""
    from jidu.worktime.services import CalendarYearMissing, is_working_day

    try:
        return is_working_day(day)
    except CalendarYearMissing:
        log.warning("工作日历缺少%s年，定时作业按周一至周五计算", day.year)
        return day.weekday() < 5


def next_working_start(moment: dt.datetime) -> dt.datetime:
    """``moment`` if it falls on a working day, else 00:00 of the next working day (local)."""
    local = timezone.localtime(moment)
    day = local.date()
    for _ in range(400):
        if working_day(day):
            if day == local.date():
                return moment
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        day += dt.timedelta(days=1)
    return moment  # a calendar with no working day in 400 days: don't loop forever


def next_run(job, moment: dt.datetime) -> dt.datetime:
    """The first scheduled moment strictly after ``moment``. Missed slots are not caught up:
    a scheduler that was down for a day runs a daily job once, not once per missed day."""
    if job.schedule == job.Schedule.DAILY:
        local = timezone.localtime(moment)
        day = local.date()
        for _ in range(400):
            candidate = timezone.make_aware(dt.datetime.combine(day, job.daily_at))
            if candidate > moment and (not job.working_days_only or working_day(day)):
                return candidate
            day += dt.timedelta(days=1)
        raise ValueError("400天内没有可运行的工作日")
    candidate = moment + dt.timedelta(seconds=max(1, job.every_seconds or 60))
    return next_working_start(candidate) if job.working_days_only else candidate


def first_run(job, now: dt.datetime | None = None) -> dt.datetime:
    """A new (or rescheduled) job: an interval job is due at once (on a working day, if so
    restricted); a daily job at its next slot."""
    now = now or timezone.now()
    if job.schedule == job.Schedule.DAILY:
        return next_run(job, now)
    return next_working_start(now) if job.working_days_only else now
