"""Dates in Chinese numerals as official documents write them (二〇二六年十一月二十七日)."""

import datetime as dt

DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 the way dates say them: 十, 十一, 二十, 二十七, 三十一."""
    if not 0 < n < 100:
        raise ValueError(f"只支持1至99：{n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def chinese_date(day: dt.date | dt.datetime) -> str:
    """2026-11-27 → 二〇二六年十一月二十七日 (the year digit by digit, with 〇 for zero)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    year = "".join(DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{chinese_number(day.month)}月{chinese_number(day.day)}日"
