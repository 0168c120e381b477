"""Tests for jidu.intake.parsing (pure Python: run with -p no:django)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jidu.intake.parsing import ParseError, parse_choice, parse_datetime, split_names


@pytest.fixture(autouse=True)
def _isolated_settings():
    """Overrides the project conftest's autouse fixture of the same name, which needs Django
    settings: these tests are pure Python and also run with ``-p no:django``."""
    yield


T0830 = dt.datetime(2026, 10, 1, 8, 30)
D1001 = dt.datetime(2026, 10, 1)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-10-01 08:30:00", T0830),
        ("2026-10-01 08:30", T0830),
        ("2026/10/1 8:30", T0830),
        ("2026/10/01 08:30:00", T0830),
        ("2026.10.01", D1001),
        ("2026.10.1 8:30", T0830),
        ("2026年10月1日 8时30分", T0830),
        ("2026年10月1日8时30分0秒", T0830),
        ("2026年10月1日 8点30分", T0830),
        ("2026年10月1日", D1001),
        ("2026年10月1号", D1001),
        ("20261001083000", T0830),
        ("202610010830", T0830),
        ("20261001", D1001),
        ("2026-10-01T08:30:00", T0830),
        ("2026-10-01T08:30:00+08:00", T0830),
        ("2026-10-01T00:30:00Z", T0830),
        ("2026-10-01T00:30:00.123Z", T0830),
        ("2026-09-30T19:30:00-05:00", dt.datetime(2026, 10, 1, 8, 30)),
        ("2026-10-01 08:30:00.000", T0830),
        ("2026-10-01 08:29:59.7", T0830),
        ("  2026-10-01 08:30  ", T0830),
        ("２０２６－１０－０１　０８：３０", T0830),
        ("2026/10/1 下午3:30", dt.datetime(2026, 10, 1, 15, 30)),
        ("2026/10/1 3:30 PM", dt.datetime(2026, 10, 1, 15, 30)),
        ("2026/10/1 上午12:05", dt.datetime(2026, 10, 1, 0, 5)),
        ("2026-10-01 23:59:59", dt.datetime(2026, 10, 1, 23, 59, 59)),
        ("2024-02-29", dt.datetime(2024, 2, 29)),
        ("2000-01-01", dt.datetime(2000, 1, 1)),
        ("2100-12-31 23:59", dt.datetime(2100, 12, 31, 23, 59)),
    ],
)
def test_parse_datetime_strings(value, expected):
    assert parse_datetime(value, field="受理时间") == expected


def test_parse_datetime_objects():
    assert parse_datetime(T0830, field="f") == T0830
    assert parse_datetime(dt.date(2026, 10, 1), field="f") == D1001
    aware = dt.datetime(2026, 10, 1, 0, 30, tzinfo=dt.UTC)
    result = parse_datetime(aware, field="f")
    assert result == T0830 and result.tzinfo is None


def test_parse_datetime_excel_serials_and_number_cells():
    assert parse_datetime(46296, field="f") == D1001
    assert parse_datetime(46296.0, field="f") == D1001
    assert parse_datetime(46296.354166666664, field="f") == T0830  # rounded to the second
    assert parse_datetime(46296.35416, field="f") == dt.datetime(2026, 10, 1, 8, 29, 59)
    assert parse_datetime(Decimal("46296.5"), field="f") == dt.datetime(2026, 10, 1, 12)
    assert parse_datetime("46296.3541666667", field="f") == T0830
    assert parse_datetime(20261001083000, field="f") == T0830  # order exported as a number
    assert parse_datetime(20261001, field="f") == D1001


@pytest.mark.parametrize(
    "value",
    [
        "2026-13-45",
        "2026-02-30",
        "2025-02-29",
        "2026-10-01 24:00",
        "2026-10-01 08:60",
        "20261341083000",
        "2026-10",
        "10/01/2026",
        "01-10-2026",
        "26-10-01",
        "明天上午",
        "2026-10-01 08:30 星期四",
        "abc",
        "12:30",
        True,
        12345,  # not a plausible Excel serial
        float("nan"),
        [2026, 10, 1],
    ],
)
def test_parse_datetime_rejects_malformed(value):
    with pytest.raises(ValueError) as info:
        parse_datetime(value, field="受理时间")
    assert info.value.field == "受理时间"
    assert str(info.value).startswith("无法识别的日期时间格式：‘")


def test_parse_datetime_message_matches_the_spec():
    with pytest.raises(ParseError) as info:
        parse_datetime("2026-13-45", field="受理时间")
    assert str(info.value) == "无法识别的日期时间格式：‘2026-13-45’"
    assert info.value.value == "2026-13-45"


@pytest.mark.parametrize("value", ["1999-12-31 23:59", "2101-01-01", dt.datetime(1990, 1, 1), 73416.0, 30000])
def test_parse_datetime_rejects_years_outside_2000_2100(value):
    with pytest.raises(ValueError) as info:
        parse_datetime(value, field="f")
    assert "年份超出范围" in str(info.value) or "无法识别" in str(info.value)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_parse_datetime_empty(value):
    with pytest.raises(ParseError, match="为空"):
        parse_datetime(value, field="f")


ORDER_TYPES = {
    "咨询": "consult",
    "求助": "help",
    "投诉": "complaint",
    "举报": "report",
    "建议": "suggestion",
    "意见建议": "suggestion",
    "表扬": "praise",
    "感谢": "praise",
}


@pytest.mark.parametrize(
    "value, code",
    [
        ("投诉", "complaint"),
        (" 投诉 ", "complaint"),
        ("【投诉】", "complaint"),
        ("投诉类", "complaint"),
        ("举报件", "report"),
        ("意见建议", "suggestion"),
        ("感谢", "praise"),
        ("complaint", "complaint"),
        ("COMPLAINT", "complaint"),
    ],
)
def test_parse_choice(value, code):
    assert parse_choice(value, ORDER_TYPES, field="工单类型") == code


def test_parse_choice_rejects_unknown_with_allowed_values():
    with pytest.raises(ValueError) as info:
        parse_choice("吐槽", ORDER_TYPES, field="工单类型")
    message = str(info.value)
    assert message.startswith("‘吐槽’不是有效的取值")
    assert "咨询、求助、投诉、举报、建议、表扬" in message
    assert info.value.field == "工单类型"
    with pytest.raises(ValueError, match="为空"):
        parse_choice(None, ORDER_TYPES, field="工单类型")


@pytest.mark.parametrize(
    "value, names",
    [
        ("舟山市市场监督管理局；普陀区综合行政执法局", ["舟山市市场监督管理局", "普陀区综合行政执法局"]),
        ("A;B、C,D，E/F", ["A", "B", "C", "D", "E", "F"]),
        ("定海区交通运输局\n 岱山县文化和广电旅游体育局 \r\n", ["定海区交通运输局", "岱山县文化和广电旅游体育局"]),
        ("甲、、甲；乙", ["甲", "乙"]),
        ("舟山海事局 沈家门海事处", ["舟山海事局 沈家门海事处"]),
        ("", []),
        (None, []),
        (["甲、乙", "丙", None], ["甲", "乙", "丙"]),
    ],
)
def test_split_names(value, names):
    assert split_names(value) == names


@pytest.mark.parametrize("value", ["2026-02-30 08:30:00", "2026-10-01 25:00", "2026-10-01 08:61", "2026-13-01 08:30"])
def test_parse_datetime_rejects_impossible_dates_in_the_common_form(value):
    with pytest.raises(ValueError) as info:
        parse_datetime(value, field="受理时间")
    assert str(info.value).startswith("无法识别的日期时间格式：‘")


def test_the_common_form_parses_as_the_general_pattern_does():
    import random

    from jidu.intake import parsing

    rng = random.Random(5)
    for _ in range(500):
        seconds = f":{rng.randint(0, 59):02d}" if rng.random() < .5 else ""
        text = (f"{rng.randint(2000, 2100)}-{rng.randint(1, 12):02d}-{rng.randint(1, 31):02d} "
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}{seconds}")
        try:
            fast = parse_datetime(text, field="受理时间")
        except ValueError:
            fast = "error"
        general = parsing._DATETIME_RE.fullmatch(text)
        assert general is not None, text
        g = general.groupdict()
        try:
            slow = dt.datetime(int(g["y"]), int(g["mo"]), int(g["d"]), int(g["H"]), int(g["M"]), int(g["S"] or 0))
        except ValueError:
            slow = "error"
        assert fast == slow, text
