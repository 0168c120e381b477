"""What every detector shares: the finding it returns, the calendar of day types, business keys."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from jidu.worktime.models import Holiday


@dataclass
class Finding:
    """One condition a detector saw at ``now``; services.upsert turns it into a Warning."""

    kind: str
    dimension: str
    key: str
    key_label: str
    level: str
    title: str
    summary: str = ""
    evidence: dict = field(default_factory=dict)
    score: float | None = None
    observed: int = 0
    expected: float | None = None
    window_start: dt.datetime | None = None
    window_end: dt.datetime | None = None
    order_ids: list[int] = field(default_factory=list)
    department_ids: set[int] = field(default_factory=set)
    field_ids: set[int] = field(default_factory=set)
    problem_ids: set[int] = field(default_factory=set)


def level_for(thresholds: dict, test) -> str:
    """The highest level whose thresholds ``test(dict) -> bool`` accepts; 'blue' otherwise."""
    for level in ("red", "yellow"):
        t = thresholds.get(level)
        if t and test(t):
            return level
    return "blue"


# --------------------------------------------------------------------------- calendar

DAY_TYPE_LABELS = {"workday": "工作日", "restday": "休息日", "eve": "节前一日", "festival": "节庆日",
                   "holiday": "法定节假日"}
DAY_TYPES = tuple(DAY_TYPE_LABELS)


class DayTypes:
    """Day type of a date: a statutory holiday (the editable worktime.Holiday table), a festival
    day (lunar dates in the configuration such as the three 观音 days, and staff-entered
    grading.CalendarEvent of kind festival), the eve of a holiday, a rest day (weekend not made a
    workday) or a working day (including make-up workdays). Years nobody entered fall back to
    weekends (the detector must not stop for a missing year; the evidence says so)."""

    def __init__(self, start: dt.date, end: dt.date, lunar_festivals=()):
        from jidu.worktime.models import CalendarYear

        self.kinds = dict(Holiday.objects.filter(date__range=(start, end + dt.timedelta(days=1)))
                          .values_list("date", "kind"))
        self.years = set(CalendarYear.objects.values_list("year", flat=True))
        self.missing_years: set[int] = set()
        self.festivals: set[dt.date] = set()
        if lunar_festivals:
            from jidu.grading.calendar import lunar_festival_dates

            pairs = [tuple(int(x) for x in str(item).split("-")) for item in lunar_festivals]
            for year in range(start.year - 1, end.year + 1):
                self.festivals.update(lunar_festival_dates(year, pairs))
        cal_event = model_or_none("grading.CalendarEvent")
        if cal_event is not None:
            for a, b in cal_event.objects.filter(kind="festival", start__date__lte=end, end__date__gte=start) \
                    .values_list("start", "end"):
                d = local_date(a)
                while d <= local_date(b):
                    self.festivals.add(d)
                    d += dt.timedelta(days=1)
        self._cache: dict[dt.date, str] = {}

    def _base(self, day: dt.date) -> str:
        kind = self.kinds.get(day)
        if kind == Holiday.Kind.HOLIDAY:
            return "holiday"
        if kind == Holiday.Kind.WORKDAY:
            return "workday"
        return "restday" if day.weekday() >= 5 else "workday"

    def of(self, day: dt.date) -> str:
        t = self._cache.get(day)
        if t is None:
            if day.year not in self.years:
                self.missing_years.add(day.year)
            t = self._base(day)
            if t != "holiday":
                if day in self.festivals:
                    t = "festival"
                elif self._base(day + dt.timedelta(days=1)) == "holiday":
                    t = "eve"
            self._cache[day] = t
        return t


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def in_ranges(day: dt.date, ranges: list) -> float:
    """Multiplicative season factor of a day from [["07-01", "08-31", 1.2], …] (MM-DD, inclusive)."""
    md = day.strftime("%m-%d")
    f = 1.0
    for item in ranges or ():
        start, end, factor = item[0], item[1], float(item[2])
        inside = start <= md <= end if start <= end else (md >= start or md <= end)
        if inside:
            f *= factor
    return f


# --------------------------------------------------------------------------- businesses

_SPACE = re.compile(r"\s+")


def business_key(entity: dict) -> tuple[str, str] | None:
    """(key, label) of a business named in a screening's entities: its credit code when given,
    else its normalised name."""
    uscc = (entity.get("uscc") or "").strip().upper()
    name = _SPACE.sub("", unicodedata.normalize("NFKC", entity.get("name") or ""))
    if uscc:
        return f"uscc:{uscc}", name or uscc
    if len(name) >= 3:
        return f"name:{name}", name
    return None


def order_businesses(entities: dict | None) -> list[tuple[str, str]]:
    out, seen = [], set()
    for b in (entities or {}).get("businesses") or ():
        k = business_key(b) if isinstance(b, dict) else None
        if k and k[0] not in seen:
            seen.add(k[0])
            out.append(k)
    return out


class BusinessIndex:
    """Unifies a business named sometimes by credit code, sometimes only by name: a name seen
    together with a code maps to that code."""

    def __init__(self):
        self.name_to_code: dict[str, str] = {}
        self.labels: dict[str, str] = {}

    def learn(self, entities: dict | None) -> None:
        for b in (entities or {}).get("businesses") or ():
            if isinstance(b, dict) and b.get("uscc") and b.get("name"):
                name = _SPACE.sub("", unicodedata.normalize("NFKC", b["name"]))
                self.name_to_code.setdefault(f"name:{name}", f"uscc:{b['uscc'].strip().upper()}")

    def keys(self, entities: dict | None) -> list[str]:
        out = []
        for key, label in order_businesses(entities):
            key = self.name_to_code.get(key, key)
            self.labels.setdefault(key, label)
            if key not in out:
                out.append(key)
        return out


def order_type_codes(values) -> list[str]:
    """Order types given as codes or Chinese labels (投诉, 举报 …) → codes."""
    from jidu.orders.models import OrderType

    by_label = {label: code for code, label in OrderType.choices}
    return [by_label.get(v, v) for v in values or ()]


def model_or_none(label: str):
    """A model of another app by "app_label.ModelName", or None when that app or model is absent
    (other apps are optional to the warnings)."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}
