"""The figures of a report, computed with aggregate SQL (COUNT … GROUP BY); no order is loaded.

`collect(kind, start, end, params)` returns a plain dict (JSON-serialisable apart from dates) that
the .docx and .xlsx writers and the section templates read. Every comparison divides only by a
non-zero base; an empty period gives zeros and "无可比数据", never an exception."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from jidu.orders.models import FINISHED_STATUSES, OPEN_STATUSES, OrderType, WorkOrder

TOP_N = 10
DISTRICT_KINDS = {"district", "county", "zone"}
UNKNOWN_AREA = "未识别区域"


# ----------------------------------------------------------------------------- periods
def local_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) in the configured time zone (end inclusive)."""
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def previous_period(kind: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    if kind == "monthly":
        prev_end = start - dt.timedelta(days=1)
        return prev_end.replace(day=1), prev_end
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def same_period_last_year(kind: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    def back(d: dt.date) -> dt.date:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:  # 29 February
            return d.replace(year=d.year - 1, day=28)
    if kind == "monthly":
        first = back(start.replace(day=1))
        return first, month_end(first)
    return back(start), back(end)


def change(current: int, base: int | None) -> dict:
    """{"pct": float|None, "text": "上升12.5%"|"下降3.0%"|"持平"|"无可比数据"}."""
    if not base:
        return {"pct": None, "text": "无可比数据"}
    pct = round((current - base) * 100.0 / base, 1)
    if pct > 0:
        return {"pct": pct, "text": f"上升{pct:g}%"}
    if pct < 0:
        return {"pct": pct, "text": f"下降{-pct:g}%"}
    return {"pct": 0.0, "text": "持平"}


def share(part: int, whole: int) -> float | None:
    return round(part * 100.0 / whole, 1) if whole else None


# ----------------------------------------------------------------------------- scope of a topic
def resolve_params(params: dict) -> dict:
    """Look up the topic's field / problem type / area / department by code or name; a value that
    names nothing is a ValueError with a Chinese message."""
    from jidu.org.models import Area, Department, Field, ProblemType

    out: dict = {}
    for key, model in (("field", Field), ("problem", ProblemType), ("department", Department), ("area", Area)):
        value = (params.get(key) or "").strip() if isinstance(params.get(key), str) else params.get(key)
        if not value:
            continue
        obj = model.objects.filter(code=value).first() or model.objects.filter(name=value).first()
        if obj is None:
            raise ValueError(f"未找到{model._meta.verbose_name}“{value}”")
        out[key] = obj
    if params.get("business"):
        out["business"] = str(params["business"]).strip()
    if params.get("tourism"):
        out["tourism"] = True
    if params.get("theme"):
        themes = _themes()
        value = str(params["theme"]).strip()
        key = value if value in themes else next((k for k, v in themes.items() if v == value), None)
        if key is None:
            raise ValueError(f"未知主题“{value}”（可选：{'、'.join(f'{k}（{v}）' for k, v in themes.items())}）")
        out["theme"] = key
    return out


def _themes() -> dict[str, str]:
    try:
        from jidu.measures.services import THEMES
    except ImportError:
        THEMES = {"tourism": "涉旅诉求", "enforcement": "涉行政执法"}
    return dict(THEMES)


def scope_label(scope: dict) -> str:
    parts = []
    if scope.get("theme"):
        parts.append(_themes().get(scope["theme"], scope["theme"]))
    if scope.get("field"):
        parts.append(f"{scope['field'].name}领域")
    if scope.get("problem"):
        parts.append(f"“{scope['problem'].name}”类问题")
    if scope.get("business"):
        parts.append(f"涉“{scope['business']}”")
    if scope.get("tourism"):
        parts.append("涉旅")
    if scope.get("area"):
        parts.append(scope["area"].name)
    if scope.get("department"):
        parts.append(scope["department"].name)
    return "、".join(parts) or "全市"


def order_filter(scope: dict) -> Q:
    """Q on WorkOrder selecting the topic's orders (empty Q for the whole city)."""
    q = Q()
    if scope.get("theme"):  # the measures app's themes: a yes/no screening label (tourism, enforcement)
        q &= Q(**{f"screening__{scope['theme']}": True})
    if scope.get("field"):
        q &= Q(screening__field=scope["field"])
    if scope.get("problem"):
        from jidu.screening.models import OrderProblem

        q &= Q(Exists(OrderProblem.objects.filter(screening__order_id=OuterRef("pk"), problem=scope["problem"])))
    if scope.get("tourism"):
        q &= Q(screening__tourism=True)
    if scope.get("area"):
        q &= Q(area_id__in=scope["area"].descendant_ids())
    if scope.get("department"):
        q &= Q(lead_department=scope["department"])
    if scope.get("business"):
        from jidu.grading.models import ClusterKey
        from jidu.grading.services import normalise_name

        keys = ["b:n:" + normalise_name(scope["business"]), "b:u:" + scope["business"].upper()]
        q &= Q(Exists(ClusterKey.objects.filter(order_id=OuterRef("pk"), key__in=keys)))
    return q


class Period:
    """Orders of one date range, optionally narrowed to a topic."""

    def __init__(self, start: dt.date, end: dt.date, scope: dict):
        self.start, self.end, self.scope = start, end, scope
        self.lo, self.hi = local_range(start, end)
        self.topic_q = order_filter(scope)
        self.orders = WorkOrder.objects.filter(received_at__gte=self.lo, received_at__lt=self.hi).filter(self.topic_q)
        self.rollup: Rollup | None = None  # set by collect() when the pre-aggregation may answer

    def related(self, model, path: str):
        """Rows of ``model`` whose order (reached by ``path``) is in this period and topic."""
        if self.topic_q:
            return model.objects.filter(**{f"{path}__in": self.orders.values("pk")})
        prefix = path[:-3] if path.endswith("_id") else path
        return model.objects.filter(**{f"{prefix}__received_at__gte": self.lo, f"{prefix}__received_at__lt": self.hi})


class Rollup:
    """The measures app's daily pre-aggregation (``DailyCount``) for a city-wide period: whole
    months read as one row per combination of dimensions (grain M), days as grain D/T rows: no
    join of the month's orders with their screening.

    Used only when it agrees with the orders: :func:`open_rollup` checks that the rollup's 受理量
    of the period equals the live count (from the grouped scan of the period's orders), otherwise
    the report counts live.
    The rollup is refreshed every 5 minutes (``refresh_measures``), so a figure can lag an edit of
    an order's area/field/flags by that much; counts of orders never differ."""

    def __init__(self, start: dt.date, end: dt.date):
        self.start, self.end = start, end

    def rows(self, use: str = "cube"):
        """``DailyCount`` rows of the period: "cube" — every combination of dimensions (whole
        months as grain M rows, the days at either edge as grain D rows); "days" — the city-wide
        total of each day (grain T). The measures app's own selection (`grain_q`)."""
        from jidu.measures import services as ms
        from jidu.measures.models import DailyCount

        return DailyCount.objects.filter(ms.grain_q(ms.Filters(self.start, self.end),
                                                    "total" if use == "days" else "cube"))


def open_rollup(period: Period, live_total: int) -> Rollup | None:
    """A :class:`Rollup` for a city-wide period when the rollup is built and its total for the
    period equals ``live_total`` (the orders counted directly); else None."""
    if period.scope:
        return None
    try:
        from jidu.measures import services as ms
    except ImportError:  # pragma: no cover - the measures app is part of the product
        return None
    try:
        if not ms.use_rollup(ms.Filters(period.start, period.end)):  # built at least once
            return None
        rollup = Rollup(period.start, period.end)
        total = rollup.rows("days").aggregate(n=Sum("received"))["n"] or 0
    except Exception:  # noqa: BLE001 - the rollup is an optimisation: on any doubt count live
        return None
    return rollup if total == live_total else None


# ----------------------------------------------------------------------------- figures
def _order_groups(period: Period, categories: bool = False) -> list[dict]:
    """Orders of the period grouped by type and status (and hotline category): one indexed range
    scan of the orders table, no join."""
    fields = ["order_type", "status"] + (["hotline_category"] if categories else [])
    return list(period.orders.values(*fields).annotate(n=Count("pk")).order_by())


def volumes(period: Period, groups: list[dict] | None = None) -> dict:
    """Totals of the period. Type and status come from the orders (one grouped query); the
    enforcement/tourism flags from the rollup when the period has one (else a join with screening)."""
    if period.rollup is None and groups is None:
        agg = period.orders.aggregate(
            total=Count("pk"),
            complaints=Count("pk", filter=Q(order_type__in=[OrderType.COMPLAINT, OrderType.REPORT])),
            enforcement=Count("pk", filter=Q(screening__enforcement=True)),
            tourism=Count("pk", filter=Q(screening__tourism=True)),
            finished=Count("pk", filter=Q(status__in=FINISHED_STATUSES)),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        )
        return {k: int(v or 0) for k, v in agg.items()}
    groups = _order_groups(period) if groups is None else groups
    complaint_types = {OrderType.COMPLAINT, OrderType.REPORT}
    out = {"total": sum(g["n"] for g in groups),
           "complaints": sum(g["n"] for g in groups if g["order_type"] in complaint_types)}
    if period.rollup is not None:
        flags = period.rollup.rows().aggregate(enforcement=Sum("received", filter=Q(enforcement=True)),
                                               tourism=Sum("received", filter=Q(tourism=True)))
    else:
        flags = period.orders.aggregate(enforcement=Count("pk", filter=Q(screening__enforcement=True)),
                                        tourism=Count("pk", filter=Q(screening__tourism=True)))
    out["enforcement"], out["tourism"] = int(flags["enforcement"] or 0), int(flags["tourism"] or 0)
    out["finished"] = sum(g["n"] for g in groups if g["status"] in FINISHED_STATUSES)
    out["open"] = sum(g["n"] for g in groups if g["status"] in OPEN_STATUSES)
    return out


def by_type(period: Period, groups: list[dict] | None = None) -> list[tuple[str, int]]:
    labels = dict(OrderType.choices)
    if groups is None:
        rows = period.orders.values("order_type").annotate(n=Count("pk")).order_by("-n")
        return [(labels.get(r["order_type"], r["order_type"]), r["n"]) for r in rows]
    counts: dict[str, int] = defaultdict(int)
    for g in groups:
        counts[g["order_type"]] += g["n"]
    return [(labels.get(t, t), n) for t, n in sorted(counts.items(), key=lambda kv: -kv[1])]


def daily_counts(period: Period) -> dict[dt.date, int]:
    """Orders per local day. PostgreSQL truncates natively; SQLite's TruncDate calls a Python
    function per row, so there a short period is counted with one conditional COUNT per day
    (one index range scan, no per-row Python)."""
    from django.db import connection

    days = (period.end - period.start).days + 1
    if period.rollup is not None:  # city-wide day totals (grain T): one row per day
        return {day: n for day, n in period.rollup.rows("days").values_list("day", "received") if n}
    if connection.vendor == "sqlite" and days <= 62:
        aggs = {}
        for i in range(days):
            lo, hi = local_range(period.start + dt.timedelta(days=i), period.start + dt.timedelta(days=i))
            aggs[f"d{i}"] = Count("pk", filter=Q(received_at__gte=lo, received_at__lt=hi))
        row = period.orders.aggregate(**aggs)
        return {period.start + dt.timedelta(days=i): row[f"d{i}"] or 0 for i in range(days)}
    tz = timezone.get_current_timezone()
    rows = period.orders.annotate(day=TruncDate("received_at", tzinfo=tz)).values("day").annotate(n=Count("pk"))
    return {r["day"]: r["n"] for r in rows}


def top_problems(period: Period, n=TOP_N) -> list[tuple[str, int]]:
    from jidu.screening.models import OrderProblem, ReviewState

    qs = period.related(OrderProblem, "screening__order_id").exclude(state=ReviewState.PENDING)
    rows = qs.values("problem__name").annotate(n=Count("pk")).order_by("-n", "problem__name")[:n]
    return [(r["problem__name"], r["n"]) for r in rows]


def top_fields(period: Period, n=TOP_N) -> list[tuple[str, int]]:
    if period.rollup is not None:
        from jidu.org.models import Field

        names = dict(Field.objects.values_list("pk", "name"))
        counts: dict[str, int] = defaultdict(int)
        for r in period.rollup.rows().filter(field__isnull=False).values("field_id").annotate(n=Sum("received")) \
                .order_by():
            if r["n"]:
                counts[names.get(r["field_id"], str(r["field_id"]))] += r["n"]
        return sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:n]
    rows = (period.orders.filter(screening__field__isnull=False).values("screening__field__name")
            .annotate(n=Count("pk")).order_by("-n", "screening__field__name")[:n])
    return [(r["screening__field__name"], r["n"]) for r in rows]


def top_categories(period: Period, n=TOP_N, groups: list[dict] | None = None) -> list[tuple[str, int]]:
    if groups is not None:  # from _order_groups(period, categories=True)
        counts: dict[str, int] = defaultdict(int)
        for g in groups:
            if g["hotline_category"]:
                counts[g["hotline_category"]] += g["n"]
        return sorted(counts.items(), key=lambda t: (-t[1], t[0]))[:n]
    rows = (period.orders.exclude(hotline_category="").values("hotline_category").annotate(n=Count("pk"))
            .order_by("-n", "hotline_category")[:n])
    return [(r["hotline_category"], r["n"]) for r in rows]


def top_keys(period: Period, prefix: str, n=TOP_N) -> list[tuple[str, int]]:
    """Businesses (prefix "b:n:") or specific places ("p:") named most often — from grading's
    cluster-key index, which holds one row per order and normalised name."""
    from jidu.grading.models import ClusterKey

    qs = period.related(ClusterKey, "order_id").filter(key__startswith=prefix)
    rows = qs.values("key").annotate(n=Count("pk")).order_by("-n", "key")[:n]
    return [(r["key"][len(prefix):], r["n"]) for r in rows]


def _district_of() -> dict[int, str]:
    from jidu.org.models import Area

    areas = {a.pk: a for a in Area.objects.only("pk", "name", "kind", "parent_id")}
    out = {}
    for pk, area in areas.items():
        node = area
        while node is not None and node.kind not in DISTRICT_KINDS:
            node = areas.get(node.parent_id)
        out[pk] = node.name if node is not None else area.name
    return out


def areas(period: Period) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(orders per district/county/zone, top towns/streets)."""
    from jidu.org.models import Area

    if period.rollup is not None:
        rows = [r for r in period.rollup.rows().values("area_id").annotate(n=Sum("received")).order_by() if r["n"]]
    else:
        rows = list(period.orders.values("area_id").annotate(n=Count("pk")))
    district_of = _district_of()
    per_district: dict[str, int] = defaultdict(int)
    for r in rows:
        per_district[district_of.get(r["area_id"], UNKNOWN_AREA) if r["area_id"] else UNKNOWN_AREA] += r["n"]
    small = {a.pk: a.name for a in Area.objects.filter(kind__in=["town", "street"]).only("pk", "name")}
    towns = sorted(((small[r["area_id"]], r["n"]) for r in rows if r["area_id"] in small), key=lambda t: (-t[1], t[0]))
    return sorted(per_district.items(), key=lambda t: (-t[1], t[0])), towns[:5]


def tourism_colours(period: Period) -> dict:
    from jidu.grading.models import ClueGrade, Colour

    qs = period.related(ClueGrade, "order_id").filter(order__screening__tourism=True)
    counts = {r["colour"] or "": r["n"] for r in qs.values("colour").annotate(n=Count("pk"))}
    out = {c.value: counts.get(c.value, 0) for c in Colour}
    out["none"] = counts.get("", 0)
    return out


def departments(start: dt.date, end: dt.date, scope: dict, rollup: bool = False) -> dict:
    """The department measures table from the measures app (its formulas, not ours); read from its
    rollup when ``rollup`` (the period's rollup agreed with the orders, see :func:`open_rollup`)."""
    try:
        from jidu.measures import services as ms
    except ImportError:
        return {"available": False, "note": "部门办理指标暂不可用（考核指标模块未安装）。", "headers": [], "rows": []}
    try:
        filters = ms.Filters(start=start, end=end, area=scope.get("area"), department=scope.get("department"),
                             field=scope.get("field"), theme=scope.get("theme"))
        raw = ms.table(filters, "department", rollup=rollup)
    except Exception as exc:  # a measures failure must not lose the whole report
        return {"available": False, "note": f"部门办理指标计算失败：{exc}", "headers": [], "rows": []}
    return {"available": True, "note": "", **measures_rows(raw, ms)}


def measures_rows(rows, ms) -> dict:
    """measures.table() rows (label, values {code: MeasureValue}) as headers + display cells."""
    rows = list(rows)
    if not rows:
        return {"headers": [], "rows": []}
    codes = list(rows[0].values)
    headers = ["承办单位"] + [ms.MEASURES[c].name if c in ms.MEASURES else c for c in codes]
    out = []
    for row in rows:
        cells = [row.label]
        for code in codes:
            value = row.values[code]
            if value.unit == "%" or value.value is None:
                text = value.display
                if value.small_sample and value.value is not None:
                    text += "（样本不足）"
                cells.append(text)
            else:
                cells.append(value.value)
        out.append(cells)
    return {"headers": headers, "rows": out}


def disputes(start: dt.date, end: dt.date) -> dict:
    from jidu.jurisdiction.models import Dispute
    from jidu.jurisdiction.services.measures import measures

    lo, hi = local_range(start, end)
    m = measures(lo, hi)
    rows = (Dispute.objects.filter(opened_at__gte=lo, opened_at__lt=hi).exclude(returning_department=None)
            .values("returning_department__name").annotate(n=Count("pk")).order_by("-n")[:TOP_N])
    m["by_department"] = [(r["returning_department__name"], r["n"]) for r in rows]
    m["withdrawn"] = Dispute.objects.filter(opened_at__gte=lo, opened_at__lt=hi, state=Dispute.State.WITHDRAWN).count()
    m["share_pct"] = round(m["share_within_limit"] * 100, 1) if m.get("share_within_limit") is not None else None
    return m


def _choice_counts(qs, field_name: str, category: str) -> list[tuple[str, str, int]]:
    labels = dict(qs.model._meta.get_field(field_name).choices or [])
    rows = qs.values(field_name).annotate(n=Count("pk")).order_by(field_name)
    return [(category, str(labels.get(r[field_name], r[field_name] or "未分类")), r["n"]) for r in rows]


def supervision(start: dt.date, end: dt.date) -> list[tuple[str, str, object]] | None:
    """Supervision cases opened / closed, results used, official documents issued in the period
    (rows: category, item, count). None when neither app is available."""
    lo, hi = local_range(start, end)
    rows: list[tuple[str, str, object]] = []
    seen = False
    try:
        from jidu.supervision.models import CaseResult, SupervisionCase
    except ImportError:
        pass
    else:
        seen = True
        opened = SupervisionCase.objects.filter(opened_at__gte=lo, opened_at__lt=hi)
        rows.append(("监督案件", "新立案", opened.count()))
        rows.append(("监督案件", "结案", SupervisionCase.objects.filter(closed_at__gte=lo, closed_at__lt=hi).count()))
        rows.extend(("本期立案案件当前环节", item, n) for _c, item, n in _choice_counts(opened, "state", ""))
        results = CaseResult.objects.filter(at__gte=lo, at__lt=hi).aggregate(
            n=Count("pk"), accountability=Count("pk", filter=Q(accountability=True)), money=Sum("money_recovered"))
        rows.append(("结果运用", "记录结果运用", results["n"]))
        rows.append(("结果运用", "移送追责", results["accountability"]))
        rows.append(("结果运用", "挽回经济损失（元）", float(results["money"] or 0)))
    try:
        from jidu.documents.models import OfficialDocument
    except ImportError:
        pass
    else:
        seen = True
        docs = (OfficialDocument.objects.filter(issued_at__gte=lo, issued_at__lt=hi).values("doc_type__name")
                .annotate(n=Count("pk")).order_by("-n", "doc_type__name"))
        rows.extend(("监督文书", r["doc_type__name"], r["n"]) for r in docs)
    return rows if seen else None


def warnings(start: dt.date, end: dt.date) -> list[tuple[str, str, int]] | None:
    """Warnings first raised in the period by level, kind and handling state."""
    try:
        from jidu.warnings.models import Warning
    except ImportError:
        return None
    lo, hi = local_range(start, end)
    qs = Warning.objects.filter(first_detected_at__gte=lo, first_detected_at__lt=hi)
    return (_choice_counts(qs, "level", "预警等级") + _choice_counts(qs, "kind", "预警类型")
            + _choice_counts(qs, "state", "处置状态"))


# ----------------------------------------------------------------------------- all together
def collect(kind: str, start: dt.date, end: dt.date, params: dict | None = None, progress=None) -> dict:
    progress = progress or (lambda pct, msg: None)
    scope = resolve_params(params or {})
    current = Period(start, end, scope)
    prev_range = previous_period(kind, start, end)
    year_range = same_period_last_year(kind, start, end)
    prev = Period(*prev_range, scope)
    year = Period(*year_range, scope)

    progress(10, "统计受理量")
    # Orders by type/status(/hotline category): one grouped scan of each period's orders (no join);
    # its total decides whether the rollup agrees with the orders (city-wide reports only).
    groups = _order_groups(current, categories=True)
    groups_prev, groups_year = _order_groups(prev), _order_groups(year)
    for period, grp in ((current, groups), (prev, groups_prev), (year, groups_year)):
        period.rollup = open_rollup(period, sum(g["n"] for g in grp))
    vol, vol_prev, vol_year = volumes(current, groups), volumes(prev, groups_prev), volumes(year, groups_year)
    # Same period last year counts only when the database reaches back that far.
    first = WorkOrder.objects.order_by("received_at").values_list("received_at", flat=True).first()
    year_has_data = bool(first and first < year.hi)
    prev_has_data = bool(first and first < prev.hi)

    progress(25, "统计走势")
    if kind == "daily":  # the last 30 days up to the report's day
        trend_period = Period(end - dt.timedelta(days=29), end, scope)
        trend_prev = None
        if current.rollup is not None:
            trend_period.rollup = open_rollup(trend_period, trend_period.orders.count())
    else:
        trend_period, trend_prev = current, prev
    counts = daily_counts(trend_period)
    days = [trend_period.start + dt.timedelta(days=i) for i in range((trend_period.end - trend_period.start).days + 1)]
    trend = [(d, counts.get(d, 0)) for d in days]
    trend_prev_values = None
    if trend_prev is not None:
        pc = daily_counts(trend_prev)
        prev_days = [trend_prev.start + dt.timedelta(days=i) for i in range((trend_prev.end - trend_prev.start).days + 1)]
        trend_prev_values = [pc.get(d, 0) for d in prev_days][: len(days)]

    progress(40, "统计热点诉求")
    problems, problems_prev = top_problems(current), dict(top_problems(prev, n=200))
    district_rows, towns = areas(current)
    district_prev = dict(areas(prev)[0])

    progress(55, "统计部门办理情况")
    depts = departments(start, end, scope, rollup=current.rollup is not None)
    progress(70, "统计争议、监督与预警")
    data = {
        "kind": kind, "start": start, "end": end, "scope_label": scope_label(scope), "is_topic": kind == "topic",
        "volumes": vol, "volumes_prev": vol_prev, "volumes_year": vol_year if year_has_data else None,
        "prev_range": prev_range, "year_range": year_range, "prev_has_data": prev_has_data,
        "year_has_data": year_has_data,
        "change_prev": change(vol["total"], vol_prev["total"] if prev_has_data else None),
        "change_year": change(vol["total"], vol_year["total"] if year_has_data else None),
        "by_type": by_type(current, groups),
        "trend": trend, "trend_prev": trend_prev_values,
        "problems": [(name, n, problems_prev.get(name, 0)) for name, n in problems],
        "fields": top_fields(current),
        "categories": top_categories(current, groups=groups),
        "businesses": top_keys(current, "b:n:"),
        "places": top_keys(current, "p:"),
        "areas": [(name, n, share(n, vol["total"]), district_prev.get(name, 0)) for name, n in district_rows],
        "towns": towns,
        "departments": depts,
        "disputes": disputes(start, end) if not scope else None,
        "supervision": supervision(start, end) if not scope else None,
        "warnings": warnings(start, end) if not scope else None,
        "tourism": tourism_colours(current),
    }
    progress(80, "撰写报告")
    return data
