"""The leaders' dashboard (领导驾驶舱): panels assembled from the measures, each figure with the link
to the orders behind it. Figures come from the daily pre-aggregation (`jidu.measures`) once it has
been built, else straight from the orders. A department handler's dashboard is forced to their own
department (the lead department of the orders), through `jidu.org.scope`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote_plus, urlencode

from django import forms
from django.apps import apps
from django.contrib.staticfiles import finders
from django.db.models import Sum
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from jidu.measures import services as ms
from jidu.measures.models import DailyProblemCount
from jidu.org import scope
from jidu.org.models import Area, Department, Field

ECHARTS_STATIC = "vendor/echarts/echarts.min.js"
KPI_CODES = ["received", "reply_rate", "completion_rate", "ontime_completion_rate", "first_callback_satisfaction",
             "satisfaction_rate", "resolution_rate", "return_rate", "reopen_rate", "disputes_settled",
             "disputes_within_24h", "supervision_opened", "supervision_closed", "documents_issued",
             "rectifications", "money_recovered", "repeat_avoided"]
TABLE_CODES = ["reply_rate", "completion_rate", "ontime_completion_rate", "first_callback_satisfaction",
               "satisfaction_rate", "resolution_rate", "return_rate", "reopen_rate"]
CLUES = [("red", "红色线索", "clue_red"), ("orange", "橙色线索", "clue_orange"), ("yellow", "黄色线索", "clue_yellow")]
MAX_DAYS = 366 * 3


@lru_cache(maxsize=1)
def echarts_available() -> bool:
    return bool(finders.find(ECHARTS_STATIC))


class FastSelect(forms.Select):
    """A select whose options are written here: Django renders each option through a template
    include (two hundred areas and departments cost more than the rest of the page)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(o["value"])}"{" selected" if o["selected"] else ""}>{escape(o["label"])}</option>'
            for _, group, _ in widget["optgroups"] for o in group)
        html = f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>{options}</select>'
        return mark_safe(html)  # noqa: S308 - every value escaped above


class DashboardForm(forms.Form):
    start = forms.DateField(label="统计期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    area = forms.ModelChoiceField(label="区域", queryset=Area.objects.filter(active=True), required=False,
                                  empty_label="全市", widget=FastSelect)
    field = forms.ModelChoiceField(label="执法领域", queryset=Field.objects.all(), required=False,
                                   empty_label="全部领域", widget=FastSelect)
    department = forms.ModelChoiceField(label="主办单位", queryset=Department.objects.filter(active=True),
                                        required=False, empty_label="全部单位", widget=FastSelect)
    theme = forms.ChoiceField(label="主题", choices=[("", "全部"), *ms.THEMES.items()], required=False,
                              widget=FastSelect)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not scope.is_city_wide(user):
            self.fields["department"].queryset = Department.objects.filter(pk__in=scope.department_ids(user))

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=29)
        if start > end:
            raise forms.ValidationError("统计期的开始日期不能晚于结束日期")
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError("统计期最长三年，请缩短统计期")
        data["start"], data["end"] = start, end
        return data


def filters_for(user, data: dict) -> ms.Filters:
    """The measures' filters for this user: a department handler only ever sees their department."""
    department = data.get("department")
    if not scope.is_city_wide(user):
        own = scope.department_ids(user)
        if not own:
            raise PermissionError("您的账号未关联部门，无法查看驾驶舱")
        department = own[0]
    return ms.Filters(data["start"], data["end"], area=data.get("area"), department=department,
                      field=data.get("field"), theme=data.get("theme") or None)


# ------------------------------------------------------------------------------------------ links
def orders_link(f: ms.Filters, *, anchor: str = "received", **extra) -> str:
    """The order queue showing the orders behind a figure."""
    return reverse("orders:queue") + "?" + urlencode(_link_params(f, anchor=anchor, **extra))


def _links(f: ms.Filters, keys: list, vary: dict[str, str], **fixed) -> list[str]:
    """`orders_link` for many figures that differ in one value (a day, a department): the rest is
    encoded once. vary: {parameter: "{}" template}; each key is put in every template."""
    params = _link_params(f, **fixed)
    for name in vary:
        params.pop(name, None)
    prefix = reverse("orders:queue") + "?" + urlencode(params)
    return [prefix + "".join(f"&{name}={quote_plus(t.format(k))}" for name, t in vary.items()) for k in keys]


def _link_params(f: ms.Filters, *, anchor: str = "received", **extra) -> dict[str, object]:
    params: dict[str, object] = {"queue": "all"}
    first, last = f.days() or (timezone.localdate(f.bounds()[0]), timezone.localdate(f.bounds()[1]))
    if anchor == "due":
        params.update(due_from=first.isoformat(), due_to=last.isoformat())
    else:
        params.update(date_from=first.isoformat(), date_to=last.isoformat())
    if f.area is not None:
        params["area"] = ms.Filters._pk(f.area)
    if f.department is not None:
        params.update(department=ms.Filters._pk(f.department), lead_only=1)
    if f.field is not None:
        params["field"] = ms.Filters._pk(f.field)
    if f.theme:
        params["theme"] = f.theme
    params.update({k: v for k, v in extra.items() if v is not None})
    if "day" in params:
        day = params.pop("day")
        params.update(date_from=day, date_to=day)
    return params


def _anchor(code: str) -> str:
    m = ms.MEASURES[code]
    return ms.COUNTERS[m.denominator].anchor if m.denominator else "received"


def measure_link(f: ms.Filters, code: str) -> str:
    m = ms.MEASURES[code]
    if not m.is_order_measure:
        if code.startswith("disputes"):
            return reverse("jurisdiction:disputes")
        return ""
    return orders_link(f, anchor=_anchor(code))


# ------------------------------------------------------------------------------------------ panels
@dataclass
class Figure:
    label: str
    value: object
    display: str
    link: str = ""
    note: str = ""
    small_sample: bool = False
    extra: dict = field(default_factory=dict)


def kpis(f: ms.Filters, rollup: bool) -> list[Figure]:
    values = ms.compute_many(KPI_CODES, f, rollup=rollup)
    out = []
    for code in KPI_CODES:
        v = values[code]
        note = v.note
        if v.denominator is not None and v.value is not None:
            note = f"{v.numerator}/{v.denominator}"
        out.append(Figure(v.name, v.value, v.display, measure_link(f, code), note, v.small_sample,
                          {"code": code, "formula": ms.MEASURES[code].formula}))
    return out


def _holidays(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    from jidu.worktime.models import Holiday

    return dict(Holiday.objects.filter(date__gte=first, date__lte=last, kind=Holiday.Kind.HOLIDAY)
                .values_list("date", "name"))


def trend(f: ms.Filters, rollup: bool) -> list[Figure]:
    rows = {r.key: r.received for r in ms.table(f, "day", codes=["received"], rollup=rollup)}
    first, last = f.days()
    holidays = _holidays(first, last)
    days = [(first + dt.timedelta(days=i)) for i in range((last - first).days + 1)]
    isos = [d.isoformat() for d in days]
    links = _links(f, isos, {"date_from": "{}", "date_to": "{}"})
    return [Figure(iso, rows.get(day, 0), str(rows.get(day, 0)), link, holidays.get(day, ""),
                   extra={"weekend": day.weekday() >= 5}) for day, iso, link in zip(days, isos, links, strict=True)]


def by_group(f: ms.Filters, group_by: str, rollup: bool) -> list[Figure]:
    out = []
    for r in ms.table(f, group_by, codes=["received"], rollup=rollup):
        if not r.received:
            continue
        link = ""
        if group_by == "field" and r.key is not None:
            link = orders_link(f, field=r.key)
        elif group_by == "area" and r.key is not None and not isinstance(r.key, tuple):
            link = orders_link(f, area=r.key)
        out.append(Figure(r.label, r.received, str(r.received), link))
    return out


def problems(f: ms.Filters, rollup: bool, limit: int = 12) -> list[Figure]:
    from jidu.org.models import ProblemType

    if rollup:
        rows = (DailyProblemCount.objects.filter(ms.problem_rows_q(f))
                .values("problem_id").annotate(n=Sum("received")).order_by("-n")[:limit])
        counts = [(r["problem_id"], r["n"]) for r in rows]
    else:
        from django.db.models import Count

        from jidu.screening.models import OrderProblem

        rows = (OrderProblem.objects.filter(screening__order__in=ms.orders_in(f).values("pk"),
                                            state__in=ms.ROLLUP_PROBLEM_STATES)
                .values("problem_id").annotate(n=Count("screening__order_id", distinct=True)).order_by("-n")[:limit])
        counts = [(r["problem_id"], r["n"]) for r in rows]
    names = dict(ProblemType.objects.values_list("pk", "name"))
    return [Figure(names.get(pk, "?"), n, str(n), orders_link(f, problem=pk)) for pk, n in counts]


def clues(f: ms.Filters, rollup: bool) -> list[Figure]:
    names = [c for _, _, c in CLUES]
    counts = ms.rollup_counts(f, names) if rollup else ms.live_counts(f, names)
    return [Figure(label, counts[c], str(counts[c]), orders_link(f, colour=colour), extra={"colour": colour})
            for colour, label, c in CLUES]


def departments(f: ms.Filters, rollup: bool) -> list[ms.Row]:
    rows = ms.table(f, "department", codes=TABLE_CODES, rollup=rollup)
    keys = [r.key for r in rows if r.key is not None]
    links = dict(zip(keys, _links(f, keys, {"department": "{}", "lead_only": "1"}), strict=True))
    for r in rows:
        r.link = links.get(r.key, "")
        r.cells_html = mark_safe("".join(_cell(r.values[c], r.ranks.get(c)) for c in TABLE_CODES))  # noqa: S308
    return rows


def _cell(v: ms.MeasureValue, rank: int | None) -> str:
    """One table cell, built here rather than in the template (a hundred departments × eight
    measures); every value is escaped."""
    if v.small_sample and v.value is not None:
        suffix = " <small>样本过少</small>"
    elif rank:
        suffix = f' <small class="muted">#{int(rank)}</small>'
    else:
        suffix = ""
    title = escape(f"{v.numerator}/{v.denominator if v.denominator is not None else ''}")
    return f'<td class="{"small" if v.small_sample else ""}" title="{title}">{escape(v.display)}{suffix}</td>'


def open_disputes(user, limit: int = 15) -> list[dict]:
    from jidu.jurisdiction.models import Dispute

    now = timezone.now()
    qs = scope.restrict(user, Dispute.objects.filter(state__in=Dispute.UNSETTLED)
                        .select_related("order", "returning_department")).order_by("due_at")
    out = []
    for d in qs[:limit]:
        left = d.due_at - now
        hours = left.total_seconds() / 3600
        out.append({"dispute": d, "overdue": hours < 0,
                    "left": f"已超时 {abs(hours):.1f} 小时" if hours < 0 else f"剩余 {hours:.1f} 小时",
                    "link": reverse("jurisdiction:dispute", args=[d.pk])})
    return out, qs.count()


def warnings_panel(user, f: ms.Filters, limit: int = 10):
    """Open warnings (not closed), newest first, if the warnings app has its model — guarded: a
    missing or changing model shows 暂无数据 instead of breaking the dashboard."""
    try:
        model = apps.get_model("warnings", "Warning")
    except LookupError:
        return None
    try:
        qs = scope.restrict(user, model.objects.all())
        names = {x.name for x in model._meta.get_fields()}
        if "state" in names:
            qs = qs.exclude(state="closed")
        order = "-first_detected_at" if "first_detected_at" in names else "-pk"
        total = qs.count()
        items = []
        for w in qs.order_by(order)[:limit]:
            try:
                link = reverse("warnings:detail", args=[w.pk])
            except Exception:  # noqa: BLE001
                link = ""
            level = w.get_level_display() if hasattr(w, "get_level_display") else ""
            state = w.get_state_display() if hasattr(w, "get_state_display") else ""
            items.append({"title": getattr(w, "title", str(w)), "level": level, "code": getattr(w, "level", ""),
                          "state": state, "link": link})
    except Exception:  # noqa: BLE001 - another helper's model mid-change must not break the dashboard
        return None
    try:
        link = reverse("warnings:list")
    except Exception:  # noqa: BLE001
        link = ""
    return {"items": items, "total": total, "link": link}


def build(user, data: dict) -> dict:
    with ms.no_jit():  # PostgreSQL would JIT-compile the larger sums: slower than running them
        return _build(user, data)


def _build(user, data: dict) -> dict:
    f = filters_for(user, data)
    rollup = ms.use_rollup(f)
    state = ms.rollup_state() if rollup else None
    dispute_rows, dispute_total = open_disputes(user)
    trend_rows = trend(f, rollup)
    fields_rows, areas_rows, problem_rows, clue_rows = (by_group(f, "field", rollup), by_group(f, "area", rollup),
                                                        problems(f, rollup), clues(f, rollup))
    return {
        "filters": f,
        "rollup": rollup,
        "rollup_state": state,
        "kpis": kpis(f, rollup),
        "trend": trend_rows,
        "fields": fields_rows,
        "areas": areas_rows,
        "problems": problem_rows,
        "clues": clue_rows,
        "departments": departments(f, rollup),
        "table_codes": [(c, ms.MEASURES[c].name) for c in TABLE_CODES],
        "disputes": dispute_rows,
        "disputes_total": dispute_total,
        "warnings": warnings_panel(user, f),
        "threshold": ms.settings_row().small_sample_threshold,
        "all_link": orders_link(f),
        "chart_data": {
            "trend": [{"day": x.label, "n": x.value, "holiday": x.note, "link": x.link} for x in trend_rows],
            "fields": [{"name": x.label, "n": x.value, "link": x.link} for x in fields_rows],
            "areas": [{"name": x.label, "n": x.value, "link": x.link} for x in areas_rows],
            "problems": [{"name": x.label, "n": x.value, "link": x.link} for x in problem_rows],
            "clues": [{"name": x.label, "n": x.value, "link": x.link, "colour": x.extra["colour"]} for x in clue_rows],
        },
    }
