"""Working-day and clock-hour arithmetic over the editable holiday table.

Conventions (documented in docs/ARCHITECTURE.md):
- N working days from a moment: the day of the moment is day 0; the deadline is the end
  (23:59:59) of the N-th working day after it, in the configured time zone.
- N clock hours: the moment plus N hours, holidays and nights included (the 24-hour dispute rule).
- N calendar days: end of the N-th day after the moment.
- A year nobody entered in the calendar raises CalendarYearMissing.
"""

import datetime as dt
import threading
import time

from django.utils import timezone

from jidu.worktime.models import CalendarYear, Holiday, TimeLimit

CACHE_SECONDS = 60


class CalendarYearMissing(LookupError):
    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的节假日安排尚未录入工作日历，无法计算工作日时限。"
            f"请管理员在“工作日历”中录入{year}年的节假日与调休安排。"
        )


class TimeLimitMissing(LookupError):
    def __init__(self, key: str):
        self.key = key
        super().__init__(f"未配置办理时限“{key}”，请管理员在“办理时限”中添加。")


class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.loaded_at = 0.0
        self.years: set[int] = set()
        self.days: dict[dt.date, str] = {}
        self.limits: dict[str, TimeLimit] = {}
        self.shifted: dict[tuple, dt.datetime] = {}  # (start day, working days, zone) → deadline

    def ensure(self):
        if time.monotonic() - self.loaded_at < CACHE_SECONDS:
            return
        with self.lock:
            self.years = set(CalendarYear.objects.values_list("year", flat=True))
            self.days = dict(Holiday.objects.values_list("date", "kind"))
            self.limits = {tl.key: tl for tl in TimeLimit.objects.all()}
            self.shifted = {}
            self.loaded_at = time.monotonic()


_cache = _Cache()


def invalidate_cache(*args, **kwargs) -> None:
    _cache.loaded_at = 0.0


def is_working_day(day: dt.date) -> bool:
    _cache.ensure()
    if day.year not in _cache.years:
        raise CalendarYearMissing(day.year)
    kind = _cache.days.get(day)
    if kind is not None:
        return kind == Holiday.Kind.WORKDAY
    return day.weekday() < 5


def holiday_name(day: dt.date) -> str:
    return Holiday.objects.filter(date=day, kind=Holiday.Kind.HOLIDAY).values_list("name", flat=True).first() or ""


# Deadlines are counted in the city's own zone (settings.TIME_ZONE), whatever zone a request may
# have activated; get_default_timezone() is also a cached call, where the "current" zone is a
# thread-local look-up per call (2 % of a bulk import's time, one per order).
_city_zone = timezone.get_default_timezone


def _local(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, _city_zone())
    return moment.astimezone(_city_zone())


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)), _city_zone())


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    if days < 0:
        raise ValueError("工作日数不能为负")
    local = _local(start)
    first = local.date()
    _cache.ensure()
    shifted = _cache.shifted  # a bulk import asks the same few days over and over
    key = (first, days, local.tzinfo)
    end = shifted.get(key)
    if end is None:
        day, counted = first, 0
        while counted < days:
            day += dt.timedelta(days=1)
            if is_working_day(day):
                counted += 1
        if days == 0 and not is_working_day(day):  # "same working day" on a holiday → next working day
            while not is_working_day(day):
                day += dt.timedelta(days=1)
        end = shifted[key] = _end_of(day)
    return end


def add_clock_hours(start: dt.datetime, hours: float) -> dt.datetime:
    return _local(start) + dt.timedelta(hours=hours)


def add_calendar_days(start: dt.datetime, days: int) -> dt.datetime:
    return _end_of(_local(start).date() + dt.timedelta(days=days))


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count


def get_limit(key: str) -> TimeLimit:
    _cache.ensure()
    limit = _cache.limits.get(key)
    if limit is None:
        raise TimeLimitMissing(key)
    return limit


def deadline(start: dt.datetime, key: str) -> dt.datetime:
    """The deadline for a configured time limit counted from `start`."""
    limit = get_limit(key)
    if limit.unit == TimeLimit.Unit.WORKING_DAYS:
        return add_working_days(start, limit.amount)
    if limit.unit == TimeLimit.Unit.CLOCK_HOURS:
        return add_clock_hours(start, limit.amount)
    return add_calendar_days(start, limit.amount)
