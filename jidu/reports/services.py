"""Generating reports: the one entry point `generate_report(kind, period_start, *, by=None, **params)`.

Re-generation policy: the same kind + period + parameters makes a NEW VERSION (version + 1, marked
current); the previous version stays downloadable as superseded. Never two current versions (a
partial unique constraint), and while one is queued or running a second request returns that one
instead of starting another. The scheduled callables skip a period that already has a finished
current report, so a re-run job adds nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from jidu.core import audit
from jidu.reports import compute, render
from jidu.reports.models import Kind, Report, ReportTemplate

KINDS = {k.value for k in Kind}
STALE_AFTER = dt.timedelta(hours=1)  # a queued/running row older than this (worker died) no longer blocks
PARAM_KEYS = ("theme", "field", "problem", "business", "tourism", "area", "department")


class ReportError(ValueError):
    """Bad input for a report (Chinese message)."""


def period_for(kind: str, period_start: dt.date, period_end: dt.date | None = None) -> tuple[dt.date, dt.date]:
    if kind not in KINDS:
        raise ReportError(f"未知的报告类型“{kind}”（应为 daily、monthly 或 topic）")
    if isinstance(period_start, dt.datetime):
        period_start = timezone.localtime(period_start).date() if timezone.is_aware(period_start) else period_start.date()
    if kind == "daily":
        return period_start, period_start
    if kind == "monthly":
        first = period_start.replace(day=1)
        return first, compute.month_end(first)
    end = period_end or compute.month_end(period_start)
    if isinstance(end, dt.datetime):
        end = end.date()
    if end < period_start:
        raise ReportError("截止日期不能早于起始日期")
    if (end - period_start).days > 366:
        raise ReportError("研判报告的时间范围不能超过一年")
    return period_start, end


def clean_params(params: dict) -> dict:
    unknown = set(params) - set(PARAM_KEYS) - {"period_end"}
    if unknown:
        raise ReportError("不支持的研判范围参数：" + "、".join(sorted(unknown)))
    return {k: params[k] for k in PARAM_KEYS if params.get(k) not in (None, "", False)}


def params_key(params: dict) -> str:
    return json.dumps(params, sort_keys=True, ensure_ascii=False, default=str)[:300] if params else ""


def _new_version(kind, start, end, params, by, by_label, status) -> Report:
    """Insert the next version as the current one and supersede the previous (one transaction;
    a concurrent insert loses on the unique constraints and is retried)."""
    key = params_key(params)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                same = Report.objects.select_for_update().filter(kind=kind, period_start=start, period_end=end,
                                                                 params_key=key)
                last = same.order_by("-version").first()
                same.filter(current=True).update(current=False)
                return Report.objects.create(
                    kind=kind, period_start=start, period_end=end, params=params, params_key=key,
                    version=(last.version + 1) if last else 1, current=True, status=status,
                    by=by if by is not None and getattr(by, "is_authenticated", False) else None,
                    by_label=by_label)
        except IntegrityError:
            continue
    raise ReportError("同一报告正在被同时生成，请稍后再试")


def request_report(kind: str, period_start: dt.date, *, by=None, by_label: str = "", **params) -> tuple[Report, bool]:
    """Queue a report (the web form): returns (report, created). A report of the same kind,
    period and parameters already queued or running is returned instead of a second one."""
    start, end = period_for(kind, period_start, params.pop("period_end", None))
    params = clean_params(params)
    compute.resolve_params(params)  # unknown field / department … → ValueError now, not in the worker
    busy = Report.objects.filter(kind=kind, period_start=start, period_end=end, params_key=params_key(params),
                                 status__in=[Report.Status.PENDING, Report.Status.RUNNING],
                                 requested_at__gte=timezone.now() - STALE_AFTER).first()
    if busy is not None:
        return busy, False
    report = _new_version(kind, start, end, params, by, by_label or "页面申请", Report.Status.PENDING)
    from jidu.reports.tasks import generate_report_task

    generate_report_task.enqueue(report.pk)
    return report, True


def generate_report(kind: str, period_start: dt.date, *, by=None, by_label: str = "", **params) -> Report:
    """Generate a report now (synchronously) as a new version and return it (status done). On
    failure the row is kept with status failed and the error, and the exception is raised."""
    start, end = period_for(kind, period_start, params.pop("period_end", None))
    params = clean_params(params)
    compute.resolve_params(params)  # bad input is refused before any row is written
    report = _new_version(kind, start, end, params, by, by_label or ("管理命令/程序调用" if by is None else ""),
                          Report.Status.RUNNING)
    run(report)
    if report.status == Report.Status.FAILED:
        raise ReportError(f"报告生成失败：{report.error}")
    return report


def _progress(report: Report):
    def update(pct: int, message: str):
        Report.objects.filter(pk=report.pk).update(progress=pct, message=message[:200])
    return update


def title_for(report: Report, scope_label: str) -> str:
    city = _city_name()
    if report.kind == Kind.DAILY:
        return f"{city}民情日报（{report.period_label}）"
    if report.kind == Kind.MONTHLY:
        return f"{city}民情月报（{report.period_label}）"
    return f"{city}{scope_label}研判报告（{report.period_label}）"


def _city_name() -> str:
    from jidu.org.models import Area

    city = Area.objects.filter(kind="city").order_by("code").first()
    return city.name if city else ""


def build(report: Report, progress=None) -> tuple[bytes, bytes, dict]:
    """(docx bytes, xlsx bytes, summary figures) of a report row's kind, period and parameters."""
    progress = progress or (lambda pct, msg: None)
    data = compute.collect(report.kind, report.period_start, report.period_end, report.params, progress=progress)
    title = title_for(report, data["scope_label"])
    report.title = title[:200]
    ctx = render.context(data, title, report.period_label)
    sections, all_tables = [], []
    templates = ReportTemplate.objects.filter(kind=report.kind, active=True).order_by("sort", "pk")
    for tpl in templates:
        tables, figures = render.tables_and_figures(tpl.section, data)
        paragraphs = render.render_text(tpl.body, ctx)
        sections.append(render.Section(render.render_text(tpl.heading, ctx)[0] if tpl.heading else
                                       tpl.get_section_display(), paragraphs, tables, figures))
        all_tables.extend(tables)
    if not sections:  # no template rows (not loaded): still say something
        sections.append(render.Section("总体情况", [f"本期受理工单{ctx['total']}件。"]))
    progress(90, "生成 Word 与 Excel 文件")
    generated = timezone.localtime()
    subtitle = f"（{generated:%Y年%m月%d日}生成）"
    docx_bytes = render.build_docx(title, subtitle, sections)
    xlsx_bytes = render.build_xlsx(all_tables)
    summary = {"total": ctx["total"], "change_prev": ctx["change_prev"], "change_year": ctx["change_year"],
               "top_problem": ctx["top_problem"], "top_area": ctx["top_area"], "scope": ctx["scope"],
               "figures": sum(len(s.figures) for s in sections), "tables": len(all_tables),
               "chart_text": "".join(f.text for s in sections for f in s.figures)}
    return docx_bytes, xlsx_bytes, summary


def run(report: Report) -> Report:
    """Compute and store the files of a queued/running report row."""
    began = time.monotonic()
    Report.objects.filter(pk=report.pk).update(status=Report.Status.RUNNING, progress=5, message="开始生成")
    report.status = Report.Status.RUNNING
    try:
        docx_bytes, xlsx_bytes, summary = build(report, _progress(report))
        stem = f"{report.kind}-{report.period_start:%Y%m%d}"
        if report.kind == Kind.TOPIC:
            stem += f"-{report.period_end:%Y%m%d}"
        stem += f"-v{report.version}"
        report.docx.save(f"{stem}.docx", ContentFile(docx_bytes), save=False)
        report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx_bytes), save=False)
        report.docx_sha256 = hashlib.sha256(docx_bytes).hexdigest()
        report.xlsx_sha256 = hashlib.sha256(xlsx_bytes).hexdigest()
        report.figures = summary
        report.status, report.progress, report.message, report.error = Report.Status.DONE, 100, "已完成", ""
    except Exception as exc:  # recorded on the row; generate_report re-raises, the task reports it
        report.status, report.message, report.error = Report.Status.FAILED, "生成失败", f"{type(exc).__name__}: {exc}"
    report.generated_at = timezone.now()
    report.seconds = round(time.monotonic() - began, 3)
    report.save()
    audit.record(audit.AuditLog.Action.CHANGE, user=report.by, actor=report.by_label if report.by is None else "",
                 obj=report, event="report_generated", kind=report.kind, period=report.period_label,
                 version=report.version, status=report.status)
    return report


def scheduled(kind: str, period_start: dt.date) -> str:
    """For periodic jobs: generate unless a finished current report of that period exists."""
    start, end = period_for(kind, period_start)
    existing = Report.objects.filter(kind=kind, period_start=start, period_end=end, params_key="", current=True,
                                     status=Report.Status.DONE).first()
    if existing is not None:
        return f"{existing.title or existing} 已存在（第{existing.version}版），未重复生成"
    report = generate_report(kind, start, by_label="定时任务")
    return f"已生成{report.title}（{report.seconds}秒）"
