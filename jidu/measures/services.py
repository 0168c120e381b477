"""Measures of the mechanism (考核指标, C14): one registry, each measure defined once.

Every order measure is a ratio of two *counters*; a counter is a condition on `WorkOrder` anchored
on a date (the day the order was received, or the day it fell due). `COUNTERS` holds those
conditions once, and both ways of counting read them:

- live: one aggregate SQL query per anchor over `WorkOrder` (exact, used by reports and tests);
- rollup: sums over `DailyCount`, the per-day pre-aggregation the dashboard reads (fast at millions
  of orders; refreshed by `refresh_measures`, see `refresh()`).

The formulas are the product's own (REFERENCES.md: no official formula exists); they are listed in
`docs/MEASURES.md` and in `MEASURES[code].formula`. Terminated orders (终止办理) are left out of every
denominator. Small samples (denominator below `MeasureSetting.small_sample_threshold`) are marked
and never ranked with the rest.

Contract (HELPERS.md): `Filters(start, end, area=None, department=None, field=None, theme=None)`;
`compute(code, filters) -> MeasureValue`; `table(filters, group_by)`; `MEASURES`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from django.db import DatabaseError, connection, transaction
from django.db.models import Count, DateField, Exists, F, Func, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from jidu.core import bulk
from jidu.measures.models import DailyCount, DailyProblemCount, Grain, MeasureSetting, RollupState
from jidu.orders.models import OrderEvent, Resolution, Satisfaction, Status, WorkOrder

log = logging.getLogger(__name__)

THEMES = {"tourism": "涉旅诉求", "enforcement": "涉行政执法"}
GROUPS = {"department": "主办单位", "area": "区域", "field": "执法领域", "day": "日期"}
NO_DATA = "暂无数据"


# ------------------------------------------------------------------------------------------ filters
@dataclass(frozen=True)
class Filters:
    """What to measure. `start`/`end`: local dates, both included; or aware datetimes, [start, end).
    `area`, `department` (the lead department, 主办), `field`: model instances or primary keys;
    `area` includes its sub-areas. `theme`: a key of THEMES."""

    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    area: object = None
    department: object = None
    field: object = None
    theme: str | None = None

    def __post_init__(self):
        if self.theme and self.theme not in THEMES:
            raise ValueError(f"未知主题：{self.theme}")
        if self.bounds()[0] >= self.bounds()[1]:
            raise ValueError("统计期间的结束不能早于开始")

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        s, e = self.start, self.end
        if not isinstance(s, dt.datetime):
            s = dt.datetime.combine(s, dt.time.min, tzinfo=tz)
        if not isinstance(e, dt.datetime):
            e = dt.datetime.combine(e + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return s, e

    def days(self) -> tuple[dt.date, dt.date] | None:
        """The local days [first, last] when the period is whole days (rollup-able), else None."""
        s, e = (timezone.localtime(b) for b in self.bounds())
        if s.time() != dt.time.min or e.time() != dt.time.min:
            return None
        return s.date(), e.date() - dt.timedelta(days=1)

    @cached_property
    def area_ids(self) -> list[int] | None:
        if self.area is None:
            return None
        from jidu.org.models import Area

        area = self.area if isinstance(self.area, Area) else Area.objects.get(pk=self.area)
        return area.descendant_ids()

    @staticmethod
    def _pk(value):
        return getattr(value, "pk", value)

    def order_q(self, prefix: str = "") -> Q:
        """The dimension filters as a Q on WorkOrder (`prefix` when reached through a relation)."""
        q = Q()
        if self.area is not None:
            q &= Q(**{f"{prefix}area_id__in": self.area_ids})
        if self.department is not None:
            q &= Q(**{f"{prefix}lead_department_id": self._pk(self.department)})
        if self.field is not None:
            q &= Q(**{f"{prefix}screening__field_id": self._pk(self.field)})
        if self.theme:
            q &= Q(**{f"{prefix}screening__{self.theme}": True})
        return q

    def rollup_q(self) -> Q:
        q = Q()
        if self.area is not None:
            q &= Q(area_id__in=self.area_ids)
        if self.department is not None:
            q &= Q(department_id=self._pk(self.department))
        if self.field is not None:
            q &= Q(field_id=self._pk(self.field))
        if self.theme:
            q &= Q(**{self.theme: True})
        return q

    @property
    def is_dimensioned(self) -> bool:
        """Filtered by something other than the period and the department."""
        return self.area is not None or self.field is not None or bool(self.theme)


# ------------------------------------------------------------------------------------------ counters
def reopened_q() -> Q:
    """The order was reopened (重办) at some time: its status now, or a status event on its timeline."""
    return Q(status=Status.REOPENED) | Q(Exists(OrderEvent.objects.filter(
        order_id=OuterRef("pk"), kind=OrderEvent.Kind.STATUS, new_value=Status.REOPENED.label)))


def returned_q() -> Q:
    """The order was returned (退单申请) at some time: status now, timeline, or a dispute opened by a return."""
    from jidu.jurisdiction.models import Dispute

    return (Q(status__in=[Status.RETURN_REQUESTED, Status.REDISPATCHED])
            | Q(Exists(OrderEvent.objects.filter(order_id=OuterRef("pk"), kind=OrderEvent.Kind.STATUS,
                                                 new_value__in=[Status.RETURN_REQUESTED.label,
                                                                Status.REDISPATCHED.label])))
            | Q(Exists(Dispute.objects.filter(order_id=OuterRef("pk"), via=Dispute.Via.RETURN))))


NOT_TERMINATED = ~Q(status=Status.TERMINATED)
DISPATCHED = NOT_TERMINATED & ~Q(status=Status.RECEIVED)
REPLIED_IN_TIME = Q(replied_at__isnull=False) & (Q(due_at__isnull=True) | Q(replied_at__lte=F("due_at")))
CLOSED = Q(status__in=[Status.CLOSED, Status.ARCHIVED])


def _called_back() -> Q:
    return NOT_TERMINATED & (Q(callback_at__isnull=False) | reopened_q())


@dataclass(frozen=True)
class Counter:
    anchor: str  # "received" (受理时间) or "due" (办理时限)
    label: str
    q: Callable[[], Q]


COUNTERS: dict[str, Counter] = {
    "received": Counter("received", "受理量", lambda: Q()),
    "dispatched": Counter("received", "已派单（不含终止办理）", lambda: DISPATCHED),
    "replied_in_time": Counter("received", "时限内回复", lambda: DISPATCHED & REPLIED_IN_TIME),
    "called_back": Counter("received", "已回访（含曾重办）", _called_back),
    "first_satisfied": Counter("received", "初次回访满意", lambda: _called_back() & Q(
        callback_satisfaction=Satisfaction.SATISFIED) & ~reopened_q()),
    "first_basic": Counter("received", "初次回访基本满意", lambda: _called_back() & Q(
        callback_satisfaction=Satisfaction.BASIC) & ~reopened_q()),
    "evaluated": Counter("received", "已评价满意度", lambda: NOT_TERMINATED & Q(callback_satisfaction__in=[
        Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED])),
    "satisfied": Counter("received", "满意", lambda: NOT_TERMINATED & Q(callback_satisfaction=Satisfaction.SATISFIED)),
    "basic": Counter("received", "基本满意", lambda: NOT_TERMINATED & Q(callback_satisfaction=Satisfaction.BASIC)),
    "resolution_known": Counter("received", "已评解决情况", lambda: NOT_TERMINATED & Q(callback_resolution__in=[
        Resolution.RESOLVED, Resolution.PARTIAL, Resolution.UNRESOLVED])),
    "resolved": Counter("received", "解决", lambda: NOT_TERMINATED & Q(callback_resolution=Resolution.RESOLVED)),
    "returned": Counter("received", "曾退单", lambda: DISPATCHED & returned_q()),
    "reopened": Counter("received", "曾重办", lambda: NOT_TERMINATED & reopened_q()),
    "clue_red": Counter("received", "红色线索", lambda: Q(grade__colour="red")),
    "clue_orange": Counter("received", "橙色线索", lambda: Q(grade__colour="orange")),
    "clue_yellow": Counter("received", "黄色线索", lambda: Q(grade__colour="yellow")),
    "due": Counter("due", "到期应办结（不含终止办理）", lambda: NOT_TERMINATED),
    "closed": Counter("due", "已办结", lambda: CLOSED),
    "closed_in_time": Counter("due", "时限内办结", lambda: CLOSED & REPLIED_IN_TIME),
}
ANCHOR_FIELD = {"received": "received_at", "due": "due_at"}


# ------------------------------------------------------------------------------------------ registry
@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    formula: str
    source: str
    numerator: tuple[str, ...] = ()
    denominator: str | None = None
    basic_numerator: tuple[str, ...] = ()  # added to the numerator when 基本满意 counts as 满意
    kind: str = "rate"  # rate | count | amount
    unit: str = "%"
    provider: Callable[[Filters], MeasureValue] | None = None  # measures not made of order counters
    link: str = ""  # the order queue parameters that show the orders behind the figure

    @property
    def is_order_measure(self) -> bool:
        return self.provider is None


@dataclass
class MeasureValue:
    code: str
    name: str
    numerator: float | int | None
    denominator: int | None
    value: float | None
    small_sample: bool = False
    unit: str = "%"
    note: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return self.note or "—"
        if self.unit == "%":
            return f"{self.value * 100:.1f}%"
        if self.unit == "元":
            return f"{self.value:,.2f}元"
        return f"{int(self.value)}{self.unit}"


REF = "REFERENCES.md 产品定义（无官方公式）"
MEASURES: dict[str, Measure] = {}


def _register(m: Measure) -> None:
    MEASURES[m.code] = m


for _m in [
    Measure("received", "受理量", "统计期内受理的工单数（按受理时间）", "产品定义", ("received",), None,
            kind="count", unit="件", link="queue=all"),
    Measure("reply_rate", "回复率",
            "时限内回复的工单数 ÷ 统计期内已派单的工单数（按受理时间；不含终止办理、未派单）",
            REF + "：回复率 = 时限内答复 ÷ 期内派单", ("replied_in_time",), "dispatched", link="queue=all"),
    Measure("completion_rate", "办结率",
            "已办结（办结/归档）的工单数 ÷ 办理时限落在统计期内的工单数（不含终止办理）",
            REF + "：办结率 = 已办结 ÷ 期内到期", ("closed",), "due", link="due"),
    Measure("ontime_completion_rate", "按时办结率",
            "时限内办结的工单数（办结/归档且答复时间不晚于办理时限）÷ 办理时限落在统计期内的工单数（不含终止办理）",
            REF + "：按时办结率 = 时限内办结 ÷ 期内到期", ("closed_in_time",), "due", link="due"),
    Measure("first_callback_satisfaction", "回访初次满意率",
            "初次回访评为“满意”（按设置含“基本满意”）且从未重办的工单数 ÷ 已回访（含曾重办）的工单数（按受理时间）",
            REF + "：回访初次满意率 = 初次回访满意（重办前）÷ 有初次回访", ("first_satisfied",), "called_back",
            basic_numerator=("first_basic",), link="queue=all"),
    Measure("satisfaction_rate", "满意率",
            "回访评为“满意”（按设置含“基本满意”）的工单数 ÷ 回访已评价（满意/基本满意/不满意）的工单数",
            REF + "：满意率（产品定义）", ("satisfied",), "evaluated", basic_numerator=("basic",), link="queue=all"),
    Measure("resolution_rate", "解决率",
            "回访评为“解决”的工单数 ÷ 回访已评解决情况（解决/部分解决/未解决）的工单数",
            REF + "：解决率（产品定义）", ("resolved",), "resolution_known", link="queue=all"),
    Measure("return_rate", "退单率",
            "曾申请退单（状态、时间线或退单争议）的工单数 ÷ 统计期内已派单的工单数",
            REF + "：退单率（产品定义）", ("returned",), "dispatched", link="queue=all"),
    Measure("reopen_rate", "重办率",
            "曾重办的工单数 ÷ 已回访（含曾重办）的工单数", REF + "：重办率（产品定义）",
            ("reopened",), "called_back", link="queue=all"),
]:
    _register(_m)


# ------------------------------------------------------------------------------------------ settings
def settings_row() -> MeasureSetting:
    row = MeasureSetting.objects.order_by("pk").first()
    return row or MeasureSetting()


def load_defaults(data: dict) -> bool:
    """Create the settings row from the shipped defaults, never overwriting an existing one."""
    if MeasureSetting.objects.exists():
        return False
    MeasureSetting.objects.create(
        small_sample_threshold=int(data.get("small_sample_threshold", 30)),
        basic_counts_as_satisfied=bool(data.get("basic_counts_as_satisfied", True)),
        note=str(data.get("note", ""))[:200])
    return True


# ------------------------------------------------------------------------------------------ counting
def counter_aggregates(names: Iterable[str]) -> dict[str, dict[str, Count]]:
    """{anchor: {counter: Count(...)}} for the live aggregate queries."""
    out: dict[str, dict[str, Count]] = defaultdict(dict)
    for name in names:
        c = COUNTERS[name]
        out[c.anchor][name] = Count("pk", filter=c.q())
    return out


def orders_in(filters: Filters, anchor: str = "received", base: QuerySet | None = None) -> QuerySet:
    s, e = filters.bounds()
    f = ANCHOR_FIELD[anchor]
    qs = WorkOrder.objects.all() if base is None else base
    return qs.filter(filters.order_q(), **{f"{f}__gte": s, f"{f}__lt": e})


def live_counts(filters: Filters, names: Iterable[str]) -> dict[str, int]:
    result: dict[str, int] = {}
    with no_jit():
        for anchor, aggs in counter_aggregates(names).items():
            result.update(orders_in(filters, anchor).aggregate(**aggs))
    return {k: v or 0 for k, v in result.items()}


def _month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def grain_q(filters: Filters, use: str = "total") -> Q:
    """The rollup rows that cover the period. use="total" (sums) or "daily" (per day): city-wide
    day totals (grain T) when only the period is filtered, else grain D rows (daily) or the cube
    (sums). use="cube": whole months as grain M rows and the days at either edge as grain D rows."""
    first, last = filters.days()
    q = filters.rollup_q()
    if use in ("total", "daily") and not q:
        return Q(grain=Grain.TOTAL, day__gte=first, day__lte=last)
    return q & _span_q(first, last, Grain.DAY, None if use == "daily" else Grain.MONTH)


# The grains (day, month) of the rows holding one dimension alone; T (day) holds none, D/M all.
DIM_GRAINS = {"area": (Grain.AREA_DAY, Grain.AREA_MONTH), "department": (Grain.DEPARTMENT_DAY, Grain.DEPARTMENT_MONTH),
              "field": (Grain.FIELD_DAY, Grain.FIELD_MONTH)}
DAY_GRAINS = [Grain.DAY, Grain.TOTAL, *(d for d, _ in DIM_GRAINS.values())]
MONTH_GRAINS = [Grain.MONTH, *(m for _, m in DIM_GRAINS.values())]


def _whole_months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, m = [], first if first.day == 1 else _month_end(first) + dt.timedelta(days=1)
    while _month_end(m) <= last:
        months.append(m)
        m = _month_end(m) + dt.timedelta(days=1)
    return months


def _span_q(first: dt.date, last: dt.date, day_grain: str, month_grain: str | None) -> Q:
    """The rows of [first, last]: whole months as `month_grain` rows (when given), the days at either
    edge (or all days) as `day_grain` rows."""
    months = _whole_months(first, last) if month_grain else []
    if not months:
        return Q(grain=day_grain, day__gte=first, day__lte=last)
    rows = Q(grain=month_grain, day__in=months)
    if first < months[0]:
        rows |= Q(grain=day_grain, day__gte=first, day__lt=months[0])
    if _month_end(months[-1]) < last:
        rows |= Q(grain=day_grain, day__gt=_month_end(months[-1]), day__lte=last)
    return rows


def rows_q(filters: Filters, group_by: str | None = None, *, daily: bool = False) -> Q:
    """The smallest rollup rows that answer the filters, grouped by `group_by` (None, "day" or a
    dimension): T rows (city-wide day totals) when only the period is filtered and no dimension is
    grouped; the rows of one dimension alone (a/A, u/U, f/F) when the filters and the group name at
    most that one dimension and no theme; else the cube (D/M). Whole months are read as month rows
    unless `daily` (one figure per day wanted)."""
    first, last = filters.days()
    dims = {d for d in DIM_GRAINS if getattr(filters, d) is not None}
    if group_by in DIM_GRAINS:
        dims.add(group_by)
    if filters.theme or len(dims) > 1:
        day_grain, month_grain = Grain.DAY, Grain.MONTH
    elif dims:
        day_grain, month_grain = DIM_GRAINS[dims.pop()]
    else:
        day_grain, month_grain = Grain.TOTAL, None
    return filters.rollup_q() & _span_q(first, last, day_grain, None if daily else month_grain)


def problem_rows_q(filters: Filters) -> Q:
    """The `DailyProblemCount` rows that answer the filters: city-wide day totals (T) when only the
    period is filtered, else whole months as M rows and the edge days as D rows."""
    first, last = filters.days()
    q = filters.rollup_q()
    if not q:
        return _span_q(first, last, Grain.TOTAL, None)
    return q & _span_q(first, last, Grain.DAY, Grain.MONTH)


def rollup_counts(filters: Filters, names: Iterable[str]) -> dict[str, int]:
    row = DailyCount.objects.filter(rows_q(filters)).aggregate(**{n: Sum(n) for n in names})
    return {k: v or 0 for k, v in row.items()}


def needed_counters(codes: Iterable[str]) -> list[str]:
    names: list[str] = []
    for code in codes:
        m = MEASURES[code]
        for n in (*m.numerator, *m.basic_numerator, *([m.denominator] if m.denominator else [])):
            if n not in names:
                names.append(n)
    return names


def value_from_counts(code: str, counts: dict[str, int], setting: MeasureSetting | None = None) -> MeasureValue:
    m = MEASURES[code]
    setting = setting or settings_row()
    num = sum(counts.get(n, 0) for n in m.numerator)
    if setting.basic_counts_as_satisfied:
        num += sum(counts.get(n, 0) for n in m.basic_numerator)
    if m.kind != "rate" or m.denominator is None:
        return MeasureValue(code, m.name, num, None, num, False, m.unit)
    den = counts.get(m.denominator, 0)
    value = round(num / den, 4) if den else None
    return MeasureValue(code, m.name, num, den, value, den < setting.small_sample_threshold, m.unit,
                        "" if den else "无样本")


def use_rollup(filters: Filters) -> bool:
    return filters.days() is not None and RollupState.objects.filter(refreshed_at__isnull=False).exists()


def compute(code: str, filters: Filters, *, rollup: bool = False) -> MeasureValue:
    """One measure for one set of filters. `rollup=True` reads the daily pre-aggregation (when the
    period is whole days and the rollup has been built), else counts the orders directly."""
    if code not in MEASURES:
        raise KeyError(f"未知指标：{code}")
    m = MEASURES[code]
    if m.provider is not None:
        return m.provider(filters)
    names = needed_counters([code])
    counts = rollup_counts(filters, names) if rollup and use_rollup(filters) else live_counts(filters, names)
    return value_from_counts(code, counts)


def compute_many(codes: Iterable[str], filters: Filters, *, rollup: bool = False) -> dict[str, MeasureValue]:
    codes = list(codes)
    order_codes = [c for c in codes if MEASURES[c].is_order_measure]
    names = needed_counters(order_codes)
    counts = (rollup_counts(filters, names) if rollup and use_rollup(filters) else live_counts(filters, names)) \
        if names else {}
    setting = settings_row()
    out = {}
    for c in codes:
        out[c] = value_from_counts(c, counts, setting) if MEASURES[c].is_order_measure else MEASURES[c].provider(filters)
    return out


# ------------------------------------------------------------------------------------------ tables
@dataclass
class Row:
    key: object  # the group's primary key (or date); None = not recorded
    label: str
    values: dict[str, MeasureValue] = field(default_factory=dict)
    ranks: dict[str, int | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def received(self) -> int:
        return self.counts.get("received", 0)


ORDER_GROUP = {"department": "lead_department_id", "area": "area_id", "field": "screening__field_id"}
ROLLUP_GROUP = {"department": "department_id", "area": "area_id", "field": "field_id"}
RATE_CODES = [c for c, m in MEASURES.items() if m.kind == "rate"]


def _grouped_counts(filters: Filters, group_by: str, names: list[str], rollup: bool) -> dict[object, dict[str, int]]:
    groups: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if rollup:
        key = "day" if group_by == "day" else ROLLUP_GROUP[group_by]
        rows = DailyCount.objects.filter(rows_q(filters, group_by, daily=group_by == "day"))
        for row in rows.values(key).annotate(**{n: Sum(n) for n in names}).order_by():
            g = groups[row[key]]
            for n in names:
                g[n] += row[n] or 0
        return groups
    for anchor, aggs in counter_aggregates(names).items():
        if group_by == "day":
            key = "d"
            qs = orders_in(filters, anchor).annotate(
                d=TruncDate(ANCHOR_FIELD[anchor], tzinfo=timezone.get_current_timezone())).values("d")
        else:
            key = ORDER_GROUP[group_by]
            qs = orders_in(filters, anchor).values(key)
        for row in qs.annotate(**aggs).order_by():
            g = groups[row[key]]
            for n in aggs:
                g[n] += row[n] or 0
    return groups


def table(filters: Filters, group_by: str, *, codes: Iterable[str] | None = None, rollup: bool = False) -> list[Row]:
    """Rows per department (lead), area, field or day, each with the order measures, ranked per rate
    measure among the rows that are not small samples (small samples get rank None and go last).
    group_by="area": the sub-areas one level below the filtered area (or below the city), each
    counting its whole subtree; orders of the filtered area itself form a row "（本级）"."""
    if group_by not in GROUPS:
        raise ValueError(f"未知分组：{group_by}")
    codes = [c for c in (codes or [c for c, m in MEASURES.items() if m.is_order_measure])]
    names = needed_counters(codes)
    if "received" not in names:
        names.append("received")
    rollup = rollup and use_rollup(filters)
    groups = _grouped_counts(filters, group_by, names, rollup)
    labels: dict[object, str] = {}
    if group_by == "area":
        groups, labels = _fold_areas(filters, groups)
    elif group_by in ("department", "field"):
        from jidu.org.models import Department, Field

        model = Department if group_by == "department" else Field
        labels = {o.pk: str(o) for o in model.objects.filter(pk__in=[k for k in groups if k is not None])}
    setting = settings_row()
    rows = []
    for key, counts in groups.items():
        label = labels.get(key) or (key.isoformat() if isinstance(key, dt.date) else "未标注")
        row = Row(key, label, counts=dict(counts))
        row.values = {c: value_from_counts(c, counts, setting) for c in codes}
        rows.append(row)
    for code in codes:
        if MEASURES[code].kind != "rate":
            continue
        ranked = sorted((r for r in rows if r.values[code].value is not None and not r.values[code].small_sample),
                        key=lambda r: -r.values[code].value)
        position, previous = 0, None
        for i, r in enumerate(ranked, 1):
            if r.values[code].value != previous:
                position, previous = i, r.values[code].value
            r.ranks[code] = position
        for r in rows:
            r.ranks.setdefault(code, None)
    if group_by == "day":
        rows.sort(key=lambda r: (r.key is None, r.key or dt.date.min))
    else:
        rows.sort(key=lambda r: (r.key is None, -r.received, r.label))
    return rows


def _fold_areas(filters: Filters, groups):
    """Fold per-area counts into the children of the filtered area (or of the city)."""
    from jidu.org.models import Area

    parent_of = dict(Area.objects.values_list("pk", "parent_id"))
    names = dict(Area.objects.values_list("pk", "name"))
    if filters.area is not None:
        top = Filters._pk(filters.area)
    else:
        roots = [pk for pk, parent in parent_of.items() if parent is None]
        top = roots[0] if len(roots) == 1 else None
    folded: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for area_id, counts in groups.items():
        key = area_id
        if area_id is not None and top is not None:
            if area_id == top:
                key = ("self", top)
            else:
                node = area_id
                while node is not None and parent_of.get(node) != top:
                    node = parent_of.get(node)
                key = node if node is not None else area_id
        for n, v in counts.items():
            folded[key][n] += v
    labels = {k: (names.get(k[1], "") + "（本级）" if isinstance(k, tuple) else names.get(k, "未标注区域"))
              for k in folded if k is not None}
    return folded, labels


def rank_rows(rows: list[Row], code: str) -> tuple[list[Row], list[Row]]:
    """(ranked rows best first, small-sample/empty rows) for one measure."""
    ranked = sorted((r for r in rows if r.ranks.get(code)), key=lambda r: r.ranks[code])
    return ranked, [r for r in rows if not r.ranks.get(code)]


# ------------------------------------------------------------------------------------------ rollup
GROUP_DIMS = {"g_area": F("area_id"), "g_department": F("lead_department_id"), "g_field": F("screening__field_id"),
              "g_tourism": Coalesce("screening__tourism", False),
              "g_enforcement": Coalesce("screening__enforcement", False)}
KEY = tuple(GROUP_DIMS)
DIM_FIELDS = ("area_id", "department_id", "field_id", "tourism", "enforcement")


def _day_rows(day: dt.date) -> tuple[list[tuple], list[tuple]]:
    """The grain D rows of one local day: one grouped query per anchor over the day's orders
    (bounded by the day, so no per-row date conversion). The fallback of `_range_rows` (SQLite
    with a time zone that changes its UTC offset), and the reference the tests compare it with."""
    return _grouped_rows(Filters(day, day), None)


def _grouped_rows(f: Filters, day_of: Callable[[str], Func] | None) -> tuple[list[tuple], list[tuple]]:
    """Grain D rows of the filter's period: grouped by the local day computed in SQL by `day_of`, or,
    with `day_of` None, all of them on the period's single day."""
    s, e = f.bounds()
    day = f.days()[0]

    def by_day(qs, field, *names):
        if day_of is None:
            return qs.values(*KEY, *names)
        return qs.annotate(g_day=day_of(field)).values("g_day", *KEY, *names)

    def key(row):
        return (row["g_day"] if day_of else day, *(row[k] for k in KEY))

    merged: dict[tuple, dict[str, int]] = defaultdict(dict)
    for anchor, aggs in counter_aggregates(COUNTERS).items():
        qs = by_day(orders_in(f, anchor).annotate(**GROUP_DIMS), ANCHOR_FIELD[anchor]).annotate(**aggs).order_by()
        for row in qs.iterator(chunk_size=5000):
            merged[key(row)].update({n: row[n] or 0 for n in aggs})
    per_problem: dict[tuple, int] = {}
    qs = by_day(_problem_rows(s, e), "screening__order__received_at", "problem_id").annotate(n=_PROBLEM_N)
    for row in qs.order_by().iterator(chunk_size=5000):
        per_problem[(*key(row), row["problem_id"])] = row["n"]
    return _row_tuples(merged, per_problem)


class LocalDate(Func):
    """The local date of a datetime column on SQLite, for a time zone with one fixed UTC offset over
    the rows read: date(col, '+N seconds'), computed by SQLite itself (Django's TruncDate calls a
    Python function per row there). `local_date()` picks it only when the offset is fixed."""

    output_field = DateField()
    # substr: whole seconds — SQLite reads times in milliseconds, so 23:59:59.9999 would round up
    # to the next day; Django stores UTC as 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
    template = "date(substr(%(expressions)s, 1, 19), %(offset)s)"

    def __init__(self, expression, offset_seconds: int):
        super().__init__(expression)
        self.offset = int(offset_seconds)

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, offset=f"'{self.offset:+d} seconds'", **extra_context)


def fixed_offset(tz: dt.tzinfo, start: dt.datetime, end: dt.datetime) -> int | None:
    """The zone's UTC offset in seconds if it is the same at every moment of [start, end), else None
    (checked at the bounds and every hour between, from the zone database)."""
    offset = start.astimezone(tz).utcoffset()
    moment = start
    while moment < end:
        if moment.astimezone(tz).utcoffset() != offset:
            return None
        moment += dt.timedelta(hours=1)
    if (end - dt.timedelta(microseconds=1)).astimezone(tz).utcoffset() != offset:
        return None
    return int(offset.total_seconds())


def local_date(start: dt.datetime, end: dt.datetime) -> Callable[[str], Func] | None:
    """A maker of SQL expressions giving the local date (current time zone) of a datetime field, for
    rows between start and end; None when SQL cannot do it exactly (SQLite, offset not fixed)."""
    tz = timezone.get_current_timezone()
    if connection.vendor == "sqlite":
        offset = fixed_offset(tz, start, end)
        if offset is None:
            return None
        return lambda name: LocalDate(name, offset)
    return lambda name: TruncDate(name, tzinfo=tz)  # PostgreSQL: (col AT TIME ZONE 'zone')::date


# The problem labels the rollup counts: those a model applied or a person confirmed.
ROLLUP_PROBLEM_STATES = ("applied", "confirmed")


def _problem_rows(s: dt.datetime, e: dt.datetime) -> QuerySet:
    from jidu.screening.models import OrderProblem

    return (OrderProblem.objects.filter(screening__order__received_at__gte=s, screening__order__received_at__lt=e,
                                        state__in=ROLLUP_PROBLEM_STATES)
            .annotate(g_area=F("screening__order__area_id"), g_department=F("screening__order__lead_department_id"),
                      g_field=F("screening__field_id"), g_tourism=Coalesce("screening__tourism", False),
                      g_enforcement=Coalesce("screening__enforcement", False)))


_PROBLEM_N = Count("screening__order_id", distinct=True)


def _range_rows(first: dt.date, last: dt.date) -> tuple[list[tuple], list[tuple]] | None:
    """The grain D rows of the local days [first, last], set-based: one query per anchor grouped by
    the local date computed in SQL, and one for problem types. None when SQL cannot compute the
    local date exactly (see `local_date`)."""
    f = Filters(first, last)
    day_of = local_date(*f.bounds())
    if day_of is None:
        return None
    return _grouped_rows(f, day_of)


COUNT_COLUMNS = ("grain", "day", *DIM_FIELDS, *COUNTERS)
PROBLEM_COLUMNS = ("grain", "day", *DIM_FIELDS, "problem_id", "received")


def _row_tuples(merged: dict[tuple, dict[str, int]], per_problem: dict[tuple, int]) -> tuple[list[tuple], list[tuple]]:
    """Grain D rows as tuples in COUNT_COLUMNS / PROBLEM_COLUMNS order, from counts keyed by
    (day, *KEY) and (day, *KEY, problem)."""
    rows = [(Grain.DAY.value, *key, *(counts.get(n, 0) for n in COUNTERS)) for key, counts in merged.items()]
    problems = [(Grain.DAY.value, *key, n) for key, n in per_problem.items()]
    return rows, problems


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Bulk-insert plain rows (`jidu.core.bulk.insert_rows`: COPY on PostgreSQL, executemany in
    batches elsewhere, where the day is written as Django writes dates). bulk_create spent two
    thirds of a full rebuild preparing model instances and values field by field."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        day, adapt = columns.index("day"), connection.ops.adapt_datefield_value
        rows = [(*r[:day], adapt(r[day]), *r[day + 1:]) for r in rows]
    bulk.insert_rows(model, columns, rows, batch=BATCH)


def _insert_sums(model, grain: str, day: dt.date | None, group: tuple[str, ...], sums: tuple[str, ...],
                 first: dt.date, last: dt.date) -> None:
    """INSERT … SELECT the sums of the grain D rows of [first, last] as rows of `grain`, grouped by
    `group` (day=None: per day, dimensions left empty — the city-wide T rows; else the month's M
    rows, dated `day`)."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    col = lambda n: quote(model._meta.get_field(n).column)  # noqa: E731
    kept = [n for n in group if n != "day"]
    dims = [n for n in DIM_FIELDS if n not in group]
    columns = ["grain", "day", *kept, *dims, *sums]
    select = ["%s", "%s" if day is not None else col("day"), *map(col, kept), *(["%s"] * len(dims)),
              *(f"SUM({col(n)})" for n in sums)]
    adapt = connection.ops.adapt_datefield_value
    params = [grain, *([adapt(day)] if day is not None else []),
              *((False if n in ("tourism", "enforcement") else None) for n in dims),
              Grain.DAY.value, adapt(first), adapt(last)]
    group_by = ([col("day")] if day is None else []) + [col(n) for n in kept]
    sql = (f"INSERT INTO {table} ({', '.join(col(c) for c in columns)}) SELECT {', '.join(select)} FROM {table} "
           f"WHERE {col('grain')} = %s AND {col('day')} >= %s AND {col('day')} <= %s"
           + (f" GROUP BY {', '.join(group_by)}" if group_by else ""))
    with connection.cursor() as c:
        c.execute(sql, params)


def _rebuild_month(first: dt.date) -> None:
    """The grain M rows of a month (counters and problem types), summed in SQL from its D rows."""
    last = _month_end(first)
    DailyCount.objects.filter(grain__in=MONTH_GRAINS, day=first).delete()
    _insert_sums(DailyCount, Grain.MONTH.value, first, DIM_FIELDS, tuple(COUNTERS), first, last)
    for dim, (_, month_grain) in DIM_GRAINS.items():
        _insert_sums(DailyCount, month_grain.value, first, (ROLLUP_GROUP[dim],), tuple(COUNTERS), first, last)
    DailyProblemCount.objects.filter(grain=Grain.MONTH, day=first).delete()
    _insert_sums(DailyProblemCount, Grain.MONTH.value, first, (*DIM_FIELDS, "problem_id"), ("received",), first, last)


BATCH = 2000


def _runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Runs of consecutive days, each within one calendar month: [(first, last), …]."""
    runs: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][1] + dt.timedelta(days=1) and day.month == runs[-1][1].month:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


@contextmanager
def no_jit():
    """PostgreSQL: no JIT compilation for the statements inside. The counters' subqueries make the
    planner's cost estimates large, so PostgreSQL JIT-compiles these grouped queries — about two
    seconds per statement for work that runs in a fraction of that. Elsewhere: nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as c:
        c.execute("SHOW jit")
        previous = c.fetchone()[0]
        c.execute("SET jit = off")
    try:
        yield
    finally:
        try:
            with connection.cursor() as c:
                c.execute("SELECT set_config('jit', %s, false)", [previous])
        except DatabaseError:  # the transaction failed: its rollback restores the setting
            pass


def rebuild_days(days: Iterable[dt.date], *, set_based: bool = True) -> int:
    """Recompute the rollup rows of these local days (and of their months). Returns the grain D
    and T rows written. Per run of consecutive days within a month: the D rows from one grouped
    query per anchor (`_range_rows`; `set_based=False`, or a zone SQLite cannot convert in SQL:
    day by day), inserted in bulk after deleting the run's rows; the T rows (per day) and the
    month's M rows are then summed from the D rows by INSERT … SELECT."""
    with no_jit():
        written = 0
        months = set()
        for first, last in _runs(days):
            built = _range_rows(first, last) if set_based else None
            if built is None:
                built = ([], [])
                for i in range((last - first).days + 1):
                    rows, problems = _day_rows(first + dt.timedelta(days=i))
                    built[0].extend(rows)
                    built[1].extend(problems)
            rows, problems = built
            with transaction.atomic():
                span = Q(day__gte=first, day__lte=last, grain__in=DAY_GRAINS)
                DailyCount.objects.filter(span).delete()
                DailyProblemCount.objects.filter(span).delete()
                _insert(DailyCount, COUNT_COLUMNS, rows)
                _insert(DailyProblemCount, PROBLEM_COLUMNS, problems)
                _insert_sums(DailyCount, Grain.TOTAL.value, None, ("day",), tuple(COUNTERS), first, last)
                for dim, (day_grain, _) in DIM_GRAINS.items():
                    _insert_sums(DailyCount, day_grain.value, None, ("day", ROLLUP_GROUP[dim]), tuple(COUNTERS),
                                 first, last)
                _insert_sums(DailyProblemCount, Grain.TOTAL.value, None, ("day", "problem_id"), ("received",),
                             first, last)
            months.add(first.replace(day=1))
            written += len(rows) + len({r[1] for r in rows})
        for first in sorted(months):
            with transaction.atomic():
                _rebuild_month(first)
    return written


def _order_days(qs: QuerySet) -> set[dt.date]:
    """The local days on which these orders were received or fall due."""
    days: set[dt.date] = set()
    for received, due in qs.values_list("received_at", "due_at").iterator(chunk_size=5000):
        days.add(timezone.localdate(received))
        if due is not None:
            days.add(timezone.localdate(due))
    return days


def _all_days() -> set[dt.date]:
    from django.db.models import Max, Min

    b = WorkOrder.objects.aggregate(r0=Min("received_at"), r1=Max("received_at"), d0=Min("due_at"), d1=Max("due_at"))
    moments = [m for m in b.values() if m is not None]
    if not moments:
        return set()
    first, last = timezone.localdate(min(moments)), timezone.localdate(max(moments))
    return {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}


OVERLAP = dt.timedelta(minutes=5)


def refresh(*, full: bool = False, now: dt.datetime | None = None) -> str:
    """Bring the rollup up to date: a full rebuild the first time (or with full=True), else the days
    (received or due) of the orders that changed since the last run — order fields, screening,
    grades, timeline and disputes. Periodic job; returns a short summary."""
    now = now or timezone.now()
    state, _ = RollupState.objects.get_or_create(pk=1)
    since = state.changes_seen_until
    if full or since is None:
        days = _all_days()
        if days:  # rows outside the orders' days are left from deleted orders
            first, last = min(days), max(days)
            outside = Q(day__lt=first) | Q(day__gt=last)
            outside &= ~Q(grain__in=MONTH_GRAINS, day=first.replace(day=1))
            DailyCount.objects.filter(outside).delete()
            DailyProblemCount.objects.filter(outside).delete()
        else:
            DailyCount.objects.all().delete()
            DailyProblemCount.objects.all().delete()
        state.rebuilt_at = now
        kind = "全量重建"
    else:
        since = since - OVERLAP
        from jidu.grading.models import ClueGrade
        from jidu.jurisdiction.models import Dispute
        from jidu.screening.models import OrderScreening

        changed = WorkOrder.objects.filter(
            Q(updated_at__gte=since)
            | Q(pk__in=OrderEvent.objects.filter(at__gte=since).values("order_id"))
            | Q(pk__in=OrderScreening.objects.filter(screened_at__gte=since).values("order_id"))
            | Q(pk__in=ClueGrade.objects.filter(graded_at__gte=since).values("order_id"))
            | Q(pk__in=Dispute.objects.filter(opened_at__gte=since).values("order_id")))
        days = _order_days(changed)
        kind = "增量刷新"
    rows = rebuild_days(days)
    if kind == "全量重建":  # fresh statistics, so the planner picks the grain/dimension indexes
        with connection.cursor() as c:
            for model in (DailyCount, DailyProblemCount):
                c.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    state.refreshed_at = now
    state.changes_seen_until = now
    state.note = f"{kind}：{len(days)}天，{rows}行"
    state.save()
    return state.note


def rollup_state() -> RollupState | None:
    return RollupState.objects.filter(refreshed_at__isnull=False).first()


# ------------------------------------------------------------------------------------------ other sources
def _not_available(code: str, name: str, unit: str, note: str = NO_DATA) -> MeasureValue:
    return MeasureValue(code, name, None, None, None, False, unit, note)


def _disputes(filters: Filters) -> dict | None:
    """Delegates to jurisdiction's dispute measures (period and department; not split by area/field)."""
    if filters.is_dimensioned:
        return None
    from jidu.jurisdiction.services.measures import measures

    s, e = filters.bounds()
    dept = filters.department
    if dept is not None and not hasattr(dept, "pk"):
        from jidu.org.models import Department

        dept = Department.objects.get(pk=dept)
    return measures(s, e, department=dept)


def disputes_settled(filters: Filters) -> MeasureValue:
    m = MEASURES["disputes_settled"]
    d = _disputes(filters)
    if d is None:
        return _not_available(m.code, m.name, m.unit, "争议不按区域/领域/主题分解")
    return MeasureValue(m.code, m.name, d["decided"], d["opened"], d["decided"], False, m.unit)


def disputes_within_limit(filters: Filters) -> MeasureValue:
    m = MEASURES["disputes_within_24h"]
    d = _disputes(filters)
    if d is None:
        return _not_available(m.code, m.name, m.unit, "争议不按区域/领域/主题分解")
    opened = d["opened"]
    value = d["share_within_limit"]
    return MeasureValue(m.code, m.name, d["decided_within_limit"], opened, value,
                        opened < settings_row().small_sample_threshold, m.unit, "" if opened else "无样本")


_register(Measure("disputes_settled", "派单争议已裁定",
                  "统计期内开启的派单争议中已裁定的件数（分母：期内开启的争议数）",
                  "jidu.jurisdiction.services.measures（decided / opened）", kind="count", unit="件",
                  provider=disputes_settled))
_register(Measure("disputes_within_24h", "争议24小时内裁定率",
                  "统计期内开启的派单争议中在裁定时限（默认24小时）内裁定的件数 ÷ 期内开启的争议数",
                  "jidu.jurisdiction.services.measures（decided_within_limit / opened）；ZHOUSHAN 24小时",
                  provider=disputes_within_limit))

from jidu.measures import external  # noqa: E402,F401  (registers the supervision/document measures)
