"""Calendar helpers for grading: statutory holidays and their eves (from the editable
worktime.Holiday table), date ranges such as the summer peak, lunar festival days (computed with
`lunardate`, e.g. the three 观音 festivals at 普陀山 on lunar 2/19, 6/19, 9/19), and staff-entered
events (停航 …)."""

import datetime as dt
import re
from functools import lru_cache

from lunardate import LunarDate

from jidu.worktime.models import Holiday

# chinesecalendar stores English names; the grading reasons speak Chinese.
HOLIDAY_LABELS = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明",
    "Labour Day": "五一",
    "Dragon Boat Festival": "端午",
    "Mid-autumn Festival": "中秋",
    "National Day": "国庆",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
# Other spellings people type into a criterion, mapped to the label above.
_ALIASES = {"元旦节": "元旦", "春节": "春节", "清明节": "清明", "劳动节": "五一", "五一劳动节": "五一",
            "端午节": "端午", "中秋节": "中秋", "国庆节": "国庆"}

_SPLIT = re.compile(r"[\s,，、;；/]+")


def split_words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text or "") if w]


def holiday_label(name: str) -> str:
    """Chinese short label of a holiday name as stored (English from chinesecalendar, or Chinese)."""
    name = (name or "").strip()
    label = HOLIDAY_LABELS.get(name, name)
    return _ALIASES.get(label, label)


def wanted_holidays(text: str) -> set[str]:
    return {holiday_label(w) for w in split_words(text)}


def _holiday_names(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    return dict(Holiday.objects.filter(date__range=(start, end), kind=Holiday.Kind.HOLIDAY)
                .values_list("date", "name"))


class HolidayLookup:
    """Caches the holiday table for the dates of one grading run."""

    def __init__(self):
        self._days: dict[dt.date, str] = {}
        self._years: set[int] = set()

    def _ensure(self, day: dt.date):
        for year in (day.year - 1, day.year, day.year + 1):
            if year not in self._years:
                self._days.update(_holiday_names(dt.date(year, 1, 1), dt.date(year, 12, 31)))
                self._years.add(year)

    def holiday(self, day: dt.date) -> str:
        """The holiday's Chinese label if `day` is a statutory holiday (rest day), else ""."""
        self._ensure(day)
        name = self._days.get(day)
        return holiday_label(name) if name is not None else ""

    def eve_of(self, day: dt.date) -> str:
        """If `day` is the eve (前一天) of a holiday period, that holiday's label, else ""."""
        if self.holiday(day):
            return ""
        return self.holiday(day + dt.timedelta(days=1))


def is_holiday(day: dt.date) -> str:
    return HolidayLookup().holiday(day)


def holiday_eve(day: dt.date) -> str:
    return HolidayLookup().eve_of(day)


def parse_date_ranges(text: str) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """Lines like "07-01~08-31 暑期旺季" → [((7, 1), (8, 31), "暑期旺季")]. Ranges may wrap the new year."""
    ranges = []
    for line in (text or "").splitlines():
        m = re.match(r"\s*(\d{1,2})[-/.月](\d{1,2})日?\s*[~～至到—-]+\s*(\d{1,2})[-/.月](\d{1,2})日?\s*(.*)$", line)
        if m:
            a, b, c, d, label = m.groups()
            ranges.append(((int(a), int(b)), (int(c), int(d)), label.strip()))
    return ranges


def in_date_range(day: dt.date, ranges) -> str | None:
    """The label of the first range containing `day` (the label may be empty), or None."""
    md = (day.month, day.day)
    for start, end, label in ranges:
        inside = start <= md <= end if start <= end else (md >= start or md <= end)
        if inside:
            return label
    return None


def parse_lunar_dates(text: str) -> list[tuple[int, int, str]]:
    """Lines like "2-19 观音诞辰日" → [(2, 19, "观音诞辰日")]."""
    out = []
    for line in (text or "").splitlines():
        m = re.match(r"\s*(?:农历)?(\d{1,2})[-/.月](\d{1,2})日?\s*(.*)$", line)
        if m:
            out.append((int(m.group(1)), int(m.group(2)), m.group(3).strip()))
    return out


@lru_cache(maxsize=512)
def lunar_to_solar(year: int, month: int, day: int) -> dt.date | None:
    """The solar date of lunar month/day in lunar year `year` (the regular, non-leap month)."""
    try:
        return LunarDate(year, month, day).to_solar_date()
    except (ValueError, AttributeError):
        try:
            return LunarDate(year, month, day).toSolarDate()
        except ValueError:
            return None


def lunar_festival_dates(year: int, lunar_dates=((2, 19), (6, 19), (9, 19))) -> list[dt.date]:
    """Solar dates in solar `year` of the given lunar days (default: the three 观音 festivals)."""
    found = []
    for lunar_year in (year - 1, year):
        for month, day in lunar_dates:
            solar = lunar_to_solar(lunar_year, month, day)
            if solar and solar.year == year:
                found.append(solar)
    return sorted(found)


def lunar_festival(day: dt.date, entries, days_around: int = 0) -> str | None:
    """The label of the lunar festival `day` falls on (± days_around), or None."""
    for lunar_year in (day.year - 1, day.year):
        for month, mday, label in entries:
            solar = lunar_to_solar(lunar_year, month, mday)
            if solar and abs((day - solar).days) <= days_around:
                return label or f"农历{month}月{mday}日"
    return None
