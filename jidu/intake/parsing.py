"""Cell-value parsing for intake: dates and times, choice labels, department lists.

Pure Python (no Django). Every failure raises :class:`ParseError` (a ``ValueError``) whose
message is a Chinese reason fit for a row-level error report (row, column, value, reason); the
column is the caller's business, and is also kept on the exception as ``field``.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal

__all__ = ["MAX_YEAR", "MIN_YEAR", "SHANGHAI", "ParseError", "parse_choice", "parse_datetime", "split_names"]

#: China Standard Time. Asia/Shanghai has been a fixed UTC+8 without daylight saving since
#: 1991, so a fixed offset is exact for the accepted years and needs no tz database.
SHANGHAI = _dt.timezone(_dt.timedelta(hours=8), "Asia/Shanghai")
MIN_YEAR, MAX_YEAR = 2000, 2100

# Excel's 1900 date system: serial 1 is 1900-01-01 and (because of the Lotus leap-year bug)
# every serial after 60 is counted from 1899-12-30.
_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)
_SERIAL_MIN = (_dt.datetime(MIN_YEAR, 1, 1) - _EXCEL_EPOCH).days  # 36526
_SERIAL_END = (_dt.datetime(MAX_YEAR + 1, 1, 1) - _EXCEL_EPOCH).days  # exclusive


class ParseError(ValueError):
    """A value that cannot be parsed. ``str(exc)`` is the Chinese reason."""

    def __init__(self, reason: str, *, field: str | None = None, value: object = None):
        super().__init__(reason)
        self.reason = reason
        self.field = field
        self.value = value


def _show(value: object, limit: int = 40) -> str:
    text = str(value).replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# Dates and times
# --------------------------------------------------------------------------------------------

_DATETIME_RE = re.compile(
    r"""
    (?P<y>\d{4}) \s* (?:[-/.]|年) \s* (?P<mo>\d{1,2}) \s* (?:[-/.]|月) \s* (?P<d>\d{1,2}) \s* (?:日|号)?
    (?:
        (?: \s*T\s* | \s+ | (?<=[日号]) )
        (?P<ap1>上午|下午|中午|晚上|凌晨|早上|AM|PM)? \s*
        (?P<H>\d{1,2}) \s* (?::|时|点)
        (?: \s* (?P<M>\d{1,2}) \s*
            (?: (?::|分) \s* (?: (?P<S>\d{1,2}) (?:\.(?P<f>\d+))? \s* 秒? )? )?
        )?
        \s* (?P<ap2>AM|PM)?
        \s* (?P<tz>Z|[+-]\d{2}:?\d{2})?
    )?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d{14}|\d{12}|\d{8}")
_SERIAL_RE = re.compile(r"\d{5}(?:\.\d+)?")
_PM = {"下午", "晚上", "PM"}
_AM = {"上午", "凌晨", "早上", "AM"}


def parse_datetime(value: object, *, field: str) -> _dt.datetime:
    """Parse a cell into a naive datetime in local (Asia/Shanghai) time.

    Accepts datetime/date objects; strings such as "2026-10-01 08:30:00", "2026-10-01 08:30",
    "2026/10/1 8:30", "2026.10.01", "2026年10月1日 8时30分", "2026年10月1日", "下午3:30" forms,
    fractional seconds (rounded away), "20261001083000" / "202610010830" / "20261001", ISO 8601
    with "T" and/or a zone ("Z", "+08:00", "+0000": converted to Shanghai time, then naive);
    full-width digits and punctuation; Excel serial numbers (int/float, or a numeric string)
    between 2000-01-01 and 2100-12-31. Tz-aware datetimes are converted to Shanghai time.
    Impossible dates, years outside 2000–2100, empty values, booleans and anything else raise
    :class:`ParseError`.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ParseError("日期时间为空", field=field, value=value)
    if isinstance(value, bool):
        raise _unrecognised(value, field)
    if isinstance(value, _dt.datetime):
        result = _to_local_naive(value)
    elif isinstance(value, _dt.date):
        result = _dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, (int, float, Decimal)):
        result = _from_number(value, field)
    elif isinstance(value, str):
        result = _from_string(value, field)
    else:
        raise _unrecognised(value, field)
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise ParseError(
            f"日期年份超出范围（应在{MIN_YEAR}年至{MAX_YEAR}年之间）：‘{_show(value)}’", field=field, value=value
        )
    return result


def _unrecognised(value: object, field: str) -> ParseError:
    return ParseError(f"无法识别的日期时间格式：‘{_show(value)}’", field=field, value=value)


def _to_local_naive(value: _dt.datetime) -> _dt.datetime:
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(SHANGHAI).replace(tzinfo=None)
    return value.replace(tzinfo=None)


def _from_number(value: float | Decimal, field: str) -> _dt.datetime:
    if isinstance(value, float) and not math.isfinite(value):
        raise _unrecognised(value, field)
    if value == int(value) and len(str(int(value))) in (8, 12, 14):
        return _from_digits(str(int(value)), value, field)
    if _SERIAL_MIN <= value < _SERIAL_END:
        return _from_serial(float(value))
    raise _unrecognised(value, field)


def _from_serial(serial: float) -> _dt.datetime:
    # Excel stores times as fractions of a day (08:30 → 0.3541666…); round to whole seconds.
    return _EXCEL_EPOCH + _dt.timedelta(seconds=round(serial * 86400))


def _from_digits(digits: str, original: object, field: str) -> _dt.datetime:
    parts = [int(digits[0:4]), int(digits[4:6]), int(digits[6:8])]
    parts += [int(digits[i : i + 2]) for i in range(8, len(digits), 2)]
    return _build(original, field, *parts)


def _build(original: object, field: str, year: int, month: int, day: int, hour: int = 0, minute: int = 0,
           second: int = 0, microsecond: int = 0) -> _dt.datetime:
    try:
        return _dt.datetime(year, month, day, hour, minute, second, microsecond)
    except ValueError:
        raise _unrecognised(original, field) from None


# The form nearly every export uses, "2026-10-01 08:30:00" or "2026-10-01 08:30": parsed without
# the general pattern below (same result; a bulk import parses one or two per row).
_PLAIN_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?", re.ASCII)


def _from_string(value: str, field: str) -> _dt.datetime:
    plain = _PLAIN_RE.fullmatch(value)
    if plain is not None:
        y, mo, d, h, mi, sec = plain.groups()
        return _build(value, field, int(y), int(mo), int(d), int(h), int(mi), int(sec) if sec else 0)
    text = unicodedata.normalize("NFKC", value).strip()
    if _DIGITS_RE.fullmatch(text):
        return _from_digits(text, value, field)
    if _SERIAL_RE.fullmatch(text):
        serial = float(text)
        if _SERIAL_MIN <= serial < _SERIAL_END:
            return _from_serial(serial)
        raise _unrecognised(value, field)
    match = _DATETIME_RE.fullmatch(text)
    if match is None:
        try:  # last resort: anything else ISO 8601 (e.g. week dates) that Python understands
            parsed = _dt.datetime.fromisoformat(text)
        except ValueError:
            raise _unrecognised(value, field) from None
        return _to_local_naive(parsed)
    g = match.groupdict()
    hour = int(g["H"]) if g["H"] is not None else 0
    ampm = (g["ap1"] or g["ap2"] or "").upper()
    if g["ap1"] and g["ap2"]:
        raise _unrecognised(value, field)
    if ampm in _PM and hour < 12 or ampm == "中午" and hour < 11:
        hour += 12
    elif ampm in _AM and hour == 12:
        hour = 0
    if ampm and hour > 23:
        raise _unrecognised(value, field)
    microsecond = int(g["f"][:6].ljust(6, "0")) if g["f"] else 0
    result = _build(
        value, field, int(g["y"]), int(g["mo"]), int(g["d"]), hour,
        int(g["M"]) if g["M"] is not None else 0, int(g["S"]) if g["S"] is not None else 0, microsecond,
    )
    if microsecond:
        result = result.replace(microsecond=0) + _dt.timedelta(seconds=round(microsecond / 1_000_000))
    if g["tz"]:
        result = _to_local_naive(result.replace(tzinfo=_parse_offset(g["tz"])))
    return result


def _parse_offset(text: str) -> _dt.timezone:
    if text.upper() == "Z":
        return _dt.UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return _dt.timezone(sign * _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


# --------------------------------------------------------------------------------------------
# Choices
# --------------------------------------------------------------------------------------------

_CHOICE_NOISE = re.compile(r"[\s【】\[\]()（）「」《》\"'“”‘’]")
_CHOICE_SUFFIXES = ("类", "件", "类工单")


def _choice_key(value: object) -> str:
    return _CHOICE_NOISE.sub("", unicodedata.normalize("NFKC", str(value))).casefold()


def parse_choice(value: object, choices: Mapping[str, str], *, field: str) -> str:
    """Map a label to its code. ``choices`` is label → code (several labels may share a code).

    Matching ignores whitespace, brackets and quotes, full-width/half-width and Latin case; the
    codes themselves are accepted too, and a trailing "类" / "件" ("投诉类", "投诉件") is
    dropped if that gives a match. Otherwise :class:`ParseError` lists the allowed labels (the
    first label of each code).
    """
    allowed = "、".join(_first_labels(choices))
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ParseError(f"取值为空，可选：{allowed}", field=field, value=value)
    table: dict[str, str] = {}
    for label, code in choices.items():
        table.setdefault(_choice_key(label), code)
    for code in choices.values():
        table.setdefault(_choice_key(code), code)
    key = _choice_key(value)
    if key in table:
        return table[key]
    for suffix in _CHOICE_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in table:
            return table[key[: -len(suffix)]]
    raise ParseError(f"‘{_show(value)}’不是有效的取值，可选：{allowed}", field=field, value=value)


def _first_labels(choices: Mapping[str, str]) -> list[str]:
    seen: dict[str, str] = {}
    for label, code in choices.items():
        seen.setdefault(code, label)
    return list(seen.values())


# --------------------------------------------------------------------------------------------
# Name lists
# --------------------------------------------------------------------------------------------

_NAME_SEPARATORS = re.compile(r"[;；、,，/／|｜\r\n]+")


def split_names(value: object) -> list[str]:
    """Split a department (or area) list into names.

    Separators: ；; 、 ,， / ／ | ｜ and line breaks. Names are stripped of surrounding whitespace,
    empty ones dropped, duplicates removed (first occurrence kept). Spaces inside a name are
    kept. None → []; a list/tuple is split element by element.
    """
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else [value]
    result: list[str] = []
    for item in items:
        if item is None:
            continue
        for part in _NAME_SEPARATORS.split(str(item)):
            name = part.strip()
            if name and name not in result:
                result.append(name)
    return result
