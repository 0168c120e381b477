"""Volume spikes by field, problem type, area and business (诉求量异常上升).

Model (see docs/WARNINGS.md): the daily count of a key is negative-binomial with mean
``level × F(day type) × S(season)``:

* ``F`` — the key's own factor for rest days, holiday eves, festival days (观音 lunar dates,
  staff-entered festival events) and statutory holidays relative to working days, estimated over
  the last ``factor_days`` (a year by default, so last year's 国庆 teaches this year's), shrunk
  toward a prior with ``shrink_days`` pseudo-days; the prior mixes the configured civic and
  tourism factors by the key's share of tourism-related orders (screening's 涉旅), so a key that
  has seen no holiday yet still expects tourism complaints to triple on 国庆 and civic ones to halve;
* ``S`` — configured season factors (date ranges such as the summer peak), applied in proportion
  to the key's tourism share;
* ``level`` — the robust (winsorised) mean of the calendar-normalised daily counts over the last
  ``baseline_days`` before the window, floored at ``floor_per_day``.

The expected count of a rolling window (24 h and 72 h by default) sums ``level × F × S`` over the
days it touches, pro rata. The observed count is a spike when the upper-tail probability
``P(X ≥ observed)`` under NB(mean, dispersion) is below ``p_value`` and the observed count is at
least ``min_count`` and ``min_ratio`` × expected.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from functools import lru_cache

from django.db.models import Count
from django.db.models.functions import TruncDate
from scipy import stats

from jidu.orders.models import WorkOrder
from jidu.org.models import Area, Field, ProblemType
from jidu.screening.models import OrderProblem
from jidu.warnings.detectors.base import (
    DAY_TYPE_LABELS, DAY_TYPES, order_type_codes, BusinessIndex, DayTypes, Finding, day_start, in_ranges, level_for, local_date,
)

DIM_LABEL = {"field": "领域", "problem": "问题类型", "area": "区域", "business": "经营主体"}


def nb_sf(observed: int, mean: float, dispersion: float) -> float:
    """P(X ≥ observed) for a negative binomial with the given mean and size (var = μ + μ²/size)."""
    if observed <= 0:
        return 1.0
    mean = max(mean, 1e-9)
    if not dispersion or dispersion <= 0:
        return float(stats.poisson.sf(observed - 1, mean))
    p = dispersion / (dispersion + mean)
    return float(stats.nbinom.sf(observed - 1, dispersion, p))


def robust_mean(values: list[float], mads: float) -> float:
    if not values:
        return 0.0
    xs = sorted(values)
    n = len(xs)
    med = xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])
    dev = sorted(abs(x - med) for x in xs)
    mad = dev[n // 2] if n % 2 else 0.5 * (dev[n // 2 - 1] + dev[n // 2])
    cap = med + mads * max(1.4826 * mad, 1.0)
    return sum(min(x, cap) for x in xs) / n


@lru_cache(maxsize=4096)
def _season_factor(day: dt.date, seasons: tuple) -> float:
    """in_ranges() of a day, remembered (every key of a run asks for the same days)."""
    return in_ranges(day, [list(item) for item in seasons])


class Baseline:
    """Expected counts of one key from its daily series (date → (count, tourism count))."""

    def __init__(self, daily: dict[dt.date, tuple], days: list[dt.date], recent: list[dt.date], cal: DayTypes,
                 params: dict):
        alpha = float(params.get("shrink_days", 3))
        total = sum(v[0] for v in daily.values())
        self.tourism_share = (sum(v[1] for v in daily.values()) / total) if total else 0.0
        s = self.tourism_share
        priors = params.get("prior_factors") or {}
        civic, tour = priors.get("civic") or {}, priors.get("tourism") or {}
        self.priors = {t: (1 - s) * float(civic.get(t, 1.0)) + s * float(tour.get(t, 1.0)) for t in DAY_TYPES}
        self.seasons = params.get("season_ranges") or []
        self.seasons_key = tuple(tuple(item) for item in self.seasons)
        norm = {d: daily.get(d, (0, 0))[0] / self.season(d) for d in days}
        by_type: dict[str, list[float]] = defaultdict(list)
        for d in days:
            by_type[cal.of(d)].append(norm[d])
        work = by_type.get("workday") or []
        m_w = (sum(work) / len(work)) if work else (sum(norm.values()) / max(len(days), 1))
        self.factors = {"workday": 1.0}
        self.type_days = {t: len(v) for t, v in by_type.items()}
        for t in DAY_TYPES[1:]:
            xs = by_type.get(t) or []
            if m_w > 0:
                self.factors[t] = (sum(xs) + alpha * self.priors[t] * m_w) / ((len(xs) + alpha) * m_w)
            else:
                self.factors[t] = self.priors[t]
        normalised = [norm[d] / self.factors[cal.of(d)] for d in recent]
        self.level = max(robust_mean(normalised, float(params.get("winsor_mads", 4))),
                         float(params.get("floor_per_day", 0.2)))
        self.recent_total = sum(daily.get(d, (0, 0))[0] for d in recent)
        self.cal = cal

    def season(self, day: dt.date) -> float:
        """Season factor (configured for tourism), applied in proportion to the key's tourism share."""
        f = _season_factor(day, self.seasons_key)
        return 1.0 + self.tourism_share * (f - 1.0)

    def expected(self, start: dt.datetime, end: dt.datetime) -> tuple[float, list[dict]]:
        total, parts = 0.0, []
        day = local_date(start)
        while day_start(day) < end:
            lo, hi = max(start, day_start(day)), min(end, day_start(day + dt.timedelta(days=1)))
            frac = max((hi - lo).total_seconds(), 0) / 86400
            if frac > 0:
                t = self.cal.of(day)
                rate = self.level * self.factors[t] * self.season(day)
                total += frac * rate
                parts.append({"date": day.isoformat(), "day_type": DAY_TYPE_LABELS[t], "share": round(frac, 3),
                              "per_day": round(rate, 2)})
            day += dt.timedelta(days=1)
        return total, parts


def _window_orders(start: dt.datetime, end: dt.datetime, order_types: list[str]):
    qs = WorkOrder.objects.filter(received_at__gt=start, received_at__lte=end)
    if order_types:
        qs = qs.filter(order_type__in=order_type_codes(order_types))
    return list(qs.values("id", "received_at", "area_id", "screening__field_id", "screening__entities"))


_CACHE: dict = {"stamp": None, "series": {}, "last": {}}


def clear_cache() -> None:
    _CACHE.update(stamp=None, series={}, last={})


def _stamp():
    """Changes when orders are added or removed, or a screening is redone (then the cache of
    closed days is dropped); otherwise an hour at most."""
    from django.db.models import Max
    from django.utils import timezone

    from jidu.screening.models import OrderScreening

    agg = WorkOrder.objects.aggregate(n=Count("id"), m=Max("id"))
    return (agg["n"], agg["m"], OrderScreening.objects.aggregate(m=Max("screened_at"))["m"],
            int(timezone.now().timestamp() // 3600))


def _daily_db(dimension: str, keys: list[int], first: dt.date, last: dt.date, order_types) -> dict[int, dict]:
    """Daily (count, tourism count) per key id between two dates (inclusive), aggregated in the
    database. Closed days are cached per process (see _stamp), so a run every 15 minutes reads
    only the day(s) it has not seen."""
    stamp = (_stamp(), tuple(order_types or ()))
    if _CACHE["stamp"] != stamp:
        clear_cache()
        _CACHE["stamp"] = stamp
    series, seen = _CACHE["series"], _CACHE["last"]
    groups: dict[dt.date, list] = defaultdict(list)
    for k in keys:
        covered = seen.get((dimension, k))
        if covered is None or covered[0] > first:
            groups[first].append(k)
            series[(dimension, k)] = {}
        elif covered[1] < last:
            groups[covered[1] + dt.timedelta(days=1)].append(k)
    field = {"field": "screening__field_id", "area": "area_id", "problem": "screening__problems__problem_id"}[dimension]
    for start, group in groups.items():
        qs = WorkOrder.objects.filter(received_at__gte=day_start(start),
                                      received_at__lt=day_start(last + dt.timedelta(days=1)), **{f"{field}__in": group})
        if order_types:
            qs = qs.filter(order_type__in=order_type_codes(order_types))
        for row in qs.annotate(d=TruncDate("received_at")).values("d", field, "screening__tourism") \
                .annotate(n=Count("id", distinct=True)):
            daily = series.setdefault((dimension, row[field]), {})
            n, t = daily.get(row["d"], (0, 0))
            daily[row["d"]] = (n + row["n"], t + (row["n"] if row["screening__tourism"] else 0))
        for k in group:
            old = seen.get((dimension, k))
            seen[(dimension, k)] = (first if old is None or old[0] > first else old[0], last)
    return {k: series.get((dimension, k), {}) for k in keys}


def rollup_ready(last: dt.date, order_types) -> bool:
    """The measures app's daily pre-aggregation can stand in for the raw orders: it is built and
    was refreshed after ``last`` ended, and the detector counts every order type (the rollup has
    no order-type dimension)."""
    if order_types:
        return False
    try:
        from jidu.measures.models import RollupState
    except ImportError:  # pragma: no cover - the measures app is part of the product
        return False
    refreshed = (RollupState.objects.filter(refreshed_at__isnull=False).order_by("-refreshed_at")
                 .values_list("refreshed_at", flat=True).first())
    return refreshed is not None and refreshed >= day_start(last + dt.timedelta(days=1))


def _daily_rollup(dimension: str, keys: list[int], first: dt.date, last: dt.date) -> dict[int, dict]:
    """The same daily (count, tourism count) per key as :func:`_daily_db`, read from the measures
    app's per-day rows (``DailyCount`` / ``DailyProblemCount``, grain D) with one GROUP BY day, key:
    no order is read and no date converted per order (the cost is the rollup rows of the period,
    one per day and combination of dimensions)."""
    from django.db.models import Q, Sum

    from jidu.measures.models import DailyCount, DailyProblemCount, Grain

    out: dict[int, dict] = {k: {} for k in keys}
    if not keys:
        return out
    sums = {"n": Sum("received"), "t": Sum("received", filter=Q(tourism=True))}
    if dimension == "problem":
        column = "problem_id"
        rows = (DailyProblemCount.objects.filter(grain=Grain.DAY, day__gte=first, day__lte=last, problem_id__in=keys)
                .values("day", column).annotate(**sums).order_by())
    else:
        column = {"field": "field_id", "area": "area_id"}[dimension]
        # every key, filtered below: "key IN (…)" leads the planner to the (grain, key, day) index,
        # whose order jumps around the table (slower than reading the period in day order)
        rows = (DailyCount.objects.filter(grain=Grain.DAY, day__gte=first, day__lte=last, received__gt=0,
                                          **{f"{column}__isnull": False})
                .values("day", column).annotate(**sums).order_by())
    wanted = set(keys)
    for day, key, n, t in rows.values_list("day", column, "n", "t"):
        if n and key in wanted:
            out[key][day] = (n, t or 0)
    if dimension == "problem":  # labels outside the rollup (suggested, pending …): counted from the orders
        from jidu.screening.models import ReviewState

        from jidu.measures.services import ROLLUP_PROBLEM_STATES

        # the rollup counts only applied/confirmed labels; the detector counts every label of an order
        others = [s for s in ReviewState.values if s not in ROLLUP_PROBLEM_STATES]
        lo, hi = day_start(first), day_start(last + dt.timedelta(days=1))
        # Driven by the labels (usually few), each order's local day taken in Python: no date
        # function evaluated for every order of the year.
        seen: set[tuple[int, int]] = set()
        # `wanted` is filtered here, not in SQL: "problem_id IN" would walk that index over every label
        for oid, pid, tour, received in OrderProblem.objects.filter(state__in=others).values_list(
                "screening__order_id", "problem_id", "screening__tourism", "screening__order__received_at"):
            if pid not in wanted or not (lo <= received < hi) or (oid, pid) in seen:
                continue
            seen.add((oid, pid))
            d = local_date(received)
            daily = out.setdefault(pid, {})
            n, t = daily.get(d, (0, 0))
            daily[d] = (n + 1, t + (1 if tour else 0))
    return out


def detect(now: dt.datetime, params: dict) -> list[Finding]:
    windows = sorted({int(h) for h in params.get("window_hours") or [24]})
    dims = params.get("dimensions") or ["field", "problem", "area", "business"]
    order_types = params.get("order_types") or []
    min_count, min_ratio = int(params.get("min_count", 6)), float(params.get("min_ratio", 1.8))
    p_limit, dispersion = float(params.get("p_value", 5e-4)), float(params.get("dispersion", 8))
    baseline_days, factor_days = int(params.get("baseline_days", 56)), int(params.get("factor_days", 364))
    widest = max(windows)
    rows = _window_orders(now - dt.timedelta(hours=widest), now, order_types)
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    problems: dict[int, list[int]] = defaultdict(list)
    for oid, pid in OrderProblem.objects.filter(screening__order_id__in=ids).values_list("screening__order_id", "problem_id"):
        problems[oid].append(pid)
    bindex = BusinessIndex()
    for r in rows:
        bindex.learn(r["screening__entities"])

    def keys_of(r, dim):
        if dim == "field":
            return [r["screening__field_id"]] if r["screening__field_id"] else []
        if dim == "area":
            return [r["area_id"]] if r["area_id"] else []
        if dim == "problem":
            return problems.get(r["id"], [])
        return bindex.keys(r["screening__entities"])

    # observed per (dimension, key, window) with the orders
    observed: dict[tuple, list[int]] = defaultdict(list)
    for r in rows:
        for dim in dims:
            for k in keys_of(r, dim):
                for h in windows:
                    if r["received_at"] > now - dt.timedelta(hours=h):
                        observed[(dim, k, h)].append(r["id"])
    candidates: dict[str, set] = defaultdict(set)
    for (dim, k, h), oids in observed.items():
        if len(oids) >= min_count:
            candidates[dim].add(k)
    if not candidates:
        return []
    # calendar and baseline periods: whole days before the widest window
    last_day = local_date(now - dt.timedelta(hours=widest)) - dt.timedelta(days=1)
    first_factor = last_day - dt.timedelta(days=factor_days - 1)
    first_recent = last_day - dt.timedelta(days=baseline_days - 1)
    # days before the first order ever received are not "zero complaints": they are no data
    from django.db.models import Min

    data_start = WorkOrder.objects.aggregate(m=Min("received_at"))["m"]
    data_start = local_date(data_start) if data_start else last_day
    first_factor, first_recent = max(first_factor, data_start), max(first_recent, data_start)
    if (last_day - first_recent).days + 1 < int(params.get("min_history_days", 14)):
        return []
    factor_days = (last_day - first_factor).days + 1
    cal = DayTypes(first_factor, local_date(now) + dt.timedelta(days=1), params.get("lunar_festivals") or ())
    factor_range = [first_factor + dt.timedelta(days=i) for i in range(factor_days)]
    recent = [d for d in factor_range if d >= first_recent]
    series: dict[tuple, dict] = {}
    daily_of = _daily_rollup if rollup_ready(last_day, order_types) else (
        lambda dim, keys, first, last: _daily_db(dim, keys, first, last, order_types))
    for dim in ("field", "area", "problem"):
        if candidates.get(dim):
            for k, daily in daily_of(dim, list(candidates[dim]), first_factor, last_day).items():
                series[(dim, k)] = daily
    if candidates.get("business"):
        qs = WorkOrder.objects.filter(received_at__gte=day_start(first_recent),
                                      received_at__lt=day_start(last_day + dt.timedelta(days=1)),
                                      screening__entities__isnull=False)
        if order_types:
            qs = qs.filter(order_type__in=order_type_codes(order_types))
        hist = list(qs.values_list("received_at", "screening__entities", "screening__tourism"))
        for _, ent, _tour in hist:
            bindex.learn(ent)
        for t, ent, tour in hist:
            for k in bindex.keys(ent):
                if k in candidates["business"]:
                    daily = series.setdefault(("business", k), {})
                    d = local_date(t)
                    n, nt = daily.get(d, (0, 0))
                    daily[d] = (n + 1, nt + (1 if tour else 0))
    labels = _labels(candidates, bindex)
    findings = []
    for dim, keys in candidates.items():
        for k in keys:
            daily = series.get((dim, k), {})
            base = Baseline(daily, factor_range if dim != "business" else recent, recent, cal, params)
            best = None
            per_window = []
            for h in windows:
                oids = observed.get((dim, k, h), [])
                start = now - dt.timedelta(hours=h)
                exp, parts = base.expected(start, now)
                p = nb_sf(len(oids), exp, dispersion)
                ratio = len(oids) / exp if exp > 0 else math.inf
                item = {"hours": h, "start": start.isoformat(), "end": now.isoformat(), "observed": len(oids),
                        "expected": round(exp, 2), "ratio": round(ratio, 2), "p_value": p, "days": parts}
                per_window.append(item)
                if len(oids) >= min_count and ratio >= min_ratio and p < p_limit:
                    if best is None or p < best[0]["p_value"]:
                        best = (item, oids)
            if best is None:
                continue
            item, oids = best
            p = max(item["p_value"], 1e-300)
            level = level_for(params.get("levels") or {},
                              lambda t: p < float(t.get("p_value", 0)) and item["ratio"] >= float(t.get("ratio", 0)))
            label = labels.get((dim, k), str(k))
            title = (f"{DIM_LABEL[dim]}“{label}”诉求量异常上升：{item['hours']}小时内{item['observed']}件，"
                     f"基线期望{item['expected']:.1f}件")
            f = Finding(
                kind="spike", dimension=dim, key=_key_code(dim, k, labels), key_label=label, level=level, title=title,
                summary=(f"按同类日基线（近{len(recent)}天水平，节假日/节前/节庆/休息日系数取自近{factor_days}天），"
                         f"观测数为期望的{item['ratio']:.1f}倍，负二项上尾概率 p={p:.2g}。"),
                score=round(-math.log10(p), 2), observed=item["observed"], expected=item["expected"],
                window_start=now - dt.timedelta(hours=item["hours"]), window_end=now, order_ids=list(oids),
                evidence={
                    "method": "negative_binomial", "dispersion": dispersion, "p_threshold": p_limit,
                    "windows": per_window, "chosen_hours": item["hours"],
                    "baseline": {"level_per_workday": round(base.level, 3), "baseline_days": len(recent),
                                 "factor_days": factor_days, "recent_total": base.recent_total,
                                 "factors": {DAY_TYPE_LABELS[t]: round(v, 2) for t, v in base.factors.items()},
                                 "type_days": {DAY_TYPE_LABELS[t]: n for t, n in base.type_days.items()},
                                 "tourism_share": round(base.tourism_share, 2),
                                 "recent_daily": [[d.isoformat(), daily.get(d, (0, 0))[0]] for d in recent[-14:]]},
                    "calendar_missing_years": sorted(cal.missing_years),
                },
            )
            if dim == "field":
                f.field_ids.add(k)
            elif dim == "problem":
                f.problem_ids.add(k)
            findings.append(f)
    return findings


def _key_code(dim, k, labels) -> str:
    if dim == "business":
        return k
    return labels.get((dim, k, "code"), str(k))


def _labels(candidates: dict, bindex: BusinessIndex) -> dict:
    out = {}
    for model, dim in ((Field, "field"), (ProblemType, "problem"), (Area, "area")):
        if candidates.get(dim):
            for pk, code, name in model.objects.filter(pk__in=candidates[dim]).values_list("pk", "code", "name"):
                out[(dim, pk)] = name
                out[(dim, pk, "code")] = code
    for k in candidates.get("business", ()):
        out[("business", k)] = bindex.labels.get(k, k.split(":", 1)[-1])
    return out


def counter_of(values) -> Counter:
    return Counter(v for v in values if v)
