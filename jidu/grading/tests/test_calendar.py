import datetime as dt

import pytest

from jidu.grading import calendar as cal

pytestmark = pytest.mark.django_db


def test_guanyin_festival_days_of_2026_are_computed_from_the_lunar_calendar():
    assert cal.lunar_festival_dates(2026) == [dt.date(2026, 4, 6), dt.date(2026, 8, 1), dt.date(2026, 10, 28)]
    # another year moves: 2025 (2/19 = 03-18; 6/19 = 07-13, before the leap sixth month; 9/19 = 11-08)
    assert cal.lunar_festival_dates(2025) == [dt.date(2025, 3, 18), dt.date(2025, 7, 13), dt.date(2025, 11, 8)]


def test_lunar_festival_labels_and_days_around():
    entries = cal.parse_lunar_dates("2-19 观音诞辰日\n6-19 观音成道日\n9-19 观音出家日")
    assert entries == [(2, 19, "观音诞辰日"), (6, 19, "观音成道日"), (9, 19, "观音出家日")]
    assert cal.lunar_festival(dt.date(2026, 8, 1), entries) == "观音成道日"
    assert cal.lunar_festival(dt.date(2026, 8, 2), entries) is None
    assert cal.lunar_festival(dt.date(2026, 8, 2), entries, days_around=1) == "观音成道日"
    assert cal.lunar_festival(dt.date(2026, 10, 28), entries) == "观音出家日"


def test_statutory_holidays_and_their_eves_come_from_the_holiday_table():
    assert cal.is_holiday(dt.date(2026, 10, 1)) == "国庆"
    assert cal.is_holiday(dt.date(2026, 10, 7)) == "国庆"
    assert cal.is_holiday(dt.date(2026, 9, 30)) == ""
    assert cal.holiday_eve(dt.date(2026, 9, 30)) == "国庆"
    assert cal.holiday_eve(dt.date(2026, 10, 1)) == ""  # a holiday is not an eve
    assert cal.holiday_eve(dt.date(2026, 9, 24)) == "中秋"
    assert cal.holiday_eve(dt.date(2026, 2, 14)) == "春节"  # a make-up workday can be an eve
    assert cal.holiday_eve(dt.date(2026, 4, 30)) == "五一"
    assert cal.is_holiday(dt.date(2026, 9, 1)) == ""


def test_holiday_names_typed_by_people_match_the_stored_names():
    assert cal.wanted_holidays("国庆节,春节 劳动节、元旦") == {"国庆", "春节", "五一", "元旦"}
    assert cal.holiday_label("National Day") == "国庆"


def test_peak_season_ranges_including_ranges_across_the_new_year():
    ranges = cal.parse_date_ranges("07-01~08-31 暑期旅游旺季\n12-30~01-03 跨年")
    assert cal.in_date_range(dt.date(2026, 7, 1), ranges) == "暑期旅游旺季"
    assert cal.in_date_range(dt.date(2026, 8, 31), ranges) == "暑期旅游旺季"
    assert cal.in_date_range(dt.date(2026, 9, 1), ranges) is None
    assert cal.in_date_range(dt.date(2027, 1, 2), ranges) == "跨年"
