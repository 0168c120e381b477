import datetime as dt

import pytest
from django.utils import timezone

from jidu.worktime import services
from jidu.worktime.models import CalendarYear, Holiday, TimeLimit

pytestmark = pytest.mark.django_db


def at(*args):
    return timezone.make_aware(dt.datetime(*args))


def test_national_day_week_is_skipped_and_make_up_saturday_counts():
    # 2026-09-30 (Wed) + 3 working days: Oct 1–7 are holidays; Oct 10 (Sat) is a make-up workday.
    due = services.add_working_days(at(2026, 9, 30, 10, 0), 3)
    assert timezone.localtime(due).date() == dt.date(2026, 10, 10)
    assert timezone.localtime(due).time() == dt.time(23, 59, 59)


def test_plain_week_skips_the_weekend():
    due = services.add_working_days(at(2026, 11, 20, 16, 0), 1)  # Friday → Monday
    assert timezone.localtime(due).date() == dt.date(2026, 11, 23)


def test_clock_hours_ignore_holidays_and_nights():
    start = at(2026, 10, 1, 20, 0)
    assert services.add_clock_hours(start, 24) == at(2026, 10, 2, 20, 0)


def test_a_year_nobody_entered_is_a_clear_error_not_a_weekday_guess():
    with pytest.raises(services.CalendarYearMissing) as err:
        services.add_working_days(at(2026, 12, 28, 9, 0), 15)
    assert "2027年" in str(err.value)
    assert err.value.year == 2027


def test_administrator_entering_a_year_makes_it_usable():
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    Holiday.objects.create(date=dt.date(2027, 1, 1), kind=Holiday.Kind.HOLIDAY, name="元旦")
    due = services.add_working_days(at(2026, 12, 31, 9, 0), 1)
    assert timezone.localtime(due).date() == dt.date(2027, 1, 4)  # Jan 1 holiday, Jan 2–3 weekend


def test_editing_the_holiday_table_changes_deadlines_at_once():
    start = at(2026, 11, 23, 9, 0)  # Monday
    assert timezone.localtime(services.add_working_days(start, 1)).date() == dt.date(2026, 11, 24)
    Holiday.objects.create(date=dt.date(2026, 11, 24), kind=Holiday.Kind.HOLIDAY, name="测试停工日")
    assert timezone.localtime(services.add_working_days(start, 1)).date() == dt.date(2026, 11, 25)


def test_deadline_uses_configured_limits_per_order_type():
    start = at(2026, 11, 2, 9, 0)  # Monday
    assert timezone.localtime(services.deadline(start, "consult")).date() == dt.date(2026, 11, 5)
    assert timezone.localtime(services.deadline(start, "complaint")).date() == dt.date(2026, 11, 23)
    assert services.deadline(start, "dispute") == at(2026, 11, 3, 9, 0)
    TimeLimit.objects.filter(key="consult").update(amount=5)
    services.invalidate_cache()
    assert timezone.localtime(services.deadline(start, "consult")).date() == dt.date(2026, 11, 9)


def test_unknown_time_limit_is_a_clear_error():
    with pytest.raises(services.TimeLimitMissing, match="未配置办理时限"):
        services.deadline(at(2026, 11, 2, 9, 0), "no-such-limit")


def test_working_days_between_counts_both_ways():
    # Oct 8, 9, 10 (make-up Saturday) and 12 are the working days after Sep 30.
    assert services.working_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 12)) == 4
    assert services.working_days_between(dt.date(2026, 10, 12), dt.date(2026, 9, 30)) == -4


def test_deadlines_are_counted_in_the_citys_zone_whatever_zone_is_active():
    # 2026-11-20 23:30 in Zhoushan is a Friday night (15:30 UTC): +1 working day is Monday the 23rd,
    # ending 23:59:59 Zhoushan time, also while a request has UTC activated.
    start = at(2026, 11, 20, 23, 30)
    expected = services.add_working_days(start, 1)
    sunday_end = at(2026, 11, 22, 23, 59, 59)
    with timezone.override("UTC"):
        assert services.add_working_days(start, 1) == expected
        assert services.add_calendar_days(start, 2) == sunday_end
    assert timezone.localtime(expected).date() == dt.date(2026, 11, 23)
