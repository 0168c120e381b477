"""Measures read from apps other helpers build (supervision cases, official documents).

Each provider looks its model up at call time and answers "暂无数据" when the model, or a field
it needs, does not exist (yet) — never an error. Registered into `services.MEASURES`."""

from __future__ import annotations

import datetime as dt
import logging

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import Q, Sum
from django.db.utils import DatabaseError

from jidu.measures import services as s

log = logging.getLogger(__name__)


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _has(model, *names: str) -> bool:
    for name in names:
        first = name.split("__")[0]
        try:
            model._meta.get_field(first[:-3] if first.endswith("_id") else first)
        except FieldDoesNotExist:
            return False
    return True


def _period_q(filters: s.Filters, field: str) -> Q:
    start, end = filters.bounds()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _department_q(filters: s.Filters, path: str) -> Q | None:
    """Restrict to the filtered department through `path`; None = this measure cannot be split so."""
    if filters.is_dimensioned:
        return None
    if filters.department is None:
        return Q()
    return Q(**{path: s.Filters._pk(filters.department)})


def _guard(code: str, fn):
    def provider(filters: s.Filters) -> s.MeasureValue:
        m = s.MEASURES[code]
        try:
            result = fn(filters)
        except (FieldError, FieldDoesNotExist, LookupError, AttributeError, DatabaseError) as exc:
            log.info("measure %s unavailable: %s", code, exc)
            result = None
        if result is None:
            return s._not_available(m.code, m.name, m.unit)
        if isinstance(result, str):
            return s._not_available(m.code, m.name, m.unit, result)
        return s.MeasureValue(m.code, m.name, result, None, result, False, m.unit)
    return provider


def _count(label: str, date_field: str, dept_path: str, extra: Q | None = None):
    def fn(filters: s.Filters):
        model = _model(label)
        if model is None or not _has(model, date_field, dept_path):
            return None
        dq = _department_q(filters, dept_path)
        if dq is None:
            return "不按区域/领域/主题分解"
        qs = model.objects.filter(_period_q(filters, date_field), dq)
        if extra is not None:
            qs = qs.filter(extra)
        return qs.values("pk").distinct().count()
    return fn


def _sum(label: str, amount_field: str, date_field: str, dept_path: str):
    def fn(filters: s.Filters):
        model = _model(label)
        if model is None or not _has(model, amount_field, date_field, dept_path):
            return None
        dq = _department_q(filters, dept_path)
        if dq is None:
            return "不按区域/领域/主题分解"
        total = model.objects.filter(_period_q(filters, date_field), dq).aggregate(t=Sum(amount_field))["t"]
        return float(total or 0)
    return fn


def _repeat_avoided(filters: s.Filters):
    """避免重复违法: businesses an intervention was about (the repeat-offender detector's sources —
    supervision cases, 督办单, official documents — as configured in its DetectorConfig) whose
    follow-up period (`MeasureSetting.repeat_followup_days` after the intervention) ended inside the
    period without a repeat-offender warning on them: no new complaint named them in that time.
    Counted per business (its credit code, else its normalised name), once per period."""
    if filters.is_dimensioned or filters.department is not None:
        return "全市指标，不按区域/领域/主题/部门分解"
    try:
        from jidu.warnings.detectors.base import BusinessIndex
        from jidu.warnings.detectors.repeat import source_events
        from jidu.warnings.models import Dimension, Kind, Warning
        from jidu.warnings.services import detector_params
    except ImportError:
        return None
    sources = (detector_params().get("repeat_offender") or {}).get("sources") or []
    if not sources:
        return "重复被投诉预警未配置监督来源"
    window = dt.timedelta(days=s.settings_row().repeat_followup_days)
    start, end = filters.bounds()
    first, last = start - window, end - window  # interventions whose follow-up ends in [start, end)
    bindex = BusinessIndex()
    followed: dict[str, dt.datetime] = {}  # business → its latest intervention in that range
    for source in sources:
        for key, events in source_events(source, first, bindex).items():
            for e in events:
                if first <= e["at"] < last and (key not in followed or e["at"] > followed[key]):
                    followed[key] = e["at"]
    if not followed:
        return 0
    repeated = set()
    for w in Warning.objects.filter(kind=Kind.REPEAT, dimension=Dimension.BUSINESS, key__in=list(followed),
                                    last_detected_at__gt=first).only("key", "first_detected_at", "last_detected_at"):
        at = followed[w.key]
        if w.last_detected_at > at and w.first_detected_at <= at + window:
            repeated.add(w.key)
    return len(followed) - len(repeated)


# Matched to the supervision and documents models as they exist (see docs/MEASURES.md). A source
# whose model is missing answers 暂无数据.
SOURCES = {
    "supervision_opened": ("监督案件立案数", "统计期内立案的执法监督案件数（立案时间）", "件",
                           _count("supervision.SupervisionCase", "opened_at", "departments__id")),
    "supervision_closed": ("监督案件办结数", "统计期内结案的执法监督案件数（结案时间）", "件",
                           _count("supervision.SupervisionCase", "closed_at", "departments__id")),
    "documents_issued": ("监督文书制发数", "统计期内制发的监督文书数（通知书、意见书、建议书、决定书、提醒函、督办单；发文时间）", "件",
                         _count("documents.OfficialDocument", "issued_at", "addressee_id")),
    "rectifications": ("整改完成数", "统计期内复核通过的整改报告数（复核时间）", "项",
                       _count("supervision.Rectification", "reviewed_at", "department_id",
                              Q(outcome="accepted"))),
    "money_recovered": ("挽回经济损失", "统计期内记录的结果运用中“挽回经济损失”金额之和（记录时间）", "元",
                        _sum("supervision.CaseResult", "money_recovered", "at", "case__departments__id")),
    "repeat_avoided": ("避免重复违法", "被立案监督、督办或发文的经营主体中，跟踪期（默认90天，可设置）在统计期内届满、"
                       "期间未再被投诉（未触发“重复被投诉”预警）的主体数；全市指标", "家", _repeat_avoided),
}

for _code, (_name, _formula, _unit, _fn) in SOURCES.items():
    s._register(s.Measure(_code, _name, _formula, "执法监督、监督文书记录（产品定义）", kind="count", unit=_unit,
                          provider=_guard(_code, _fn)))
