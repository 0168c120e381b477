import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from jidu.orders.models import WorkOrder
from jidu.reports import charts, services
from jidu.reports.compute import local_range
from jidu.reports.models import Report, ReportTemplate

pytestmark = pytest.mark.django_db


def _docx(report):
    with report.docx.open("rb") as fh:
        return Document(io.BytesIO(fh.read()))


def _text(doc):
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def _sheets(report):
    with report.xlsx.open("rb") as fh:
        book = load_workbook(io.BytesIO(fh.read()), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _row(sheet, label):
    return next(r for r in sheet if r[0] == label)


def test_monthly_report_docx_has_the_chinese_headings_a_figure_and_the_official_fonts(september):
    report = services.generate_report("monthly", september)
    assert report.status == Report.Status.DONE and report.version == 1 and report.current
    assert report.title == "舟山市民情月报（2026年09月）"
    doc = _docx(report)
    text = _text(doc)
    for heading in ("一、总体情况", "二、受理走势", "三、热点诉求", "四、区域分布", "五、部门办理情况", "六、派单争议",
                    "七、执法监督", "八、预警情况", "九、涉旅线索", "十、研判意见"):
        assert heading in text
    assert "全市共受理群众诉求工单5件" in text
    assert len(doc.inline_shapes) >= 2  # the trend line and the bar charts are inline pictures
    title_run = doc.paragraphs[0].runs[0]
    assert title_run.text == report.title
    assert title_run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title_run.font.size.pt == 22
    heading = next(p for p in doc.paragraphs if p.text == "一、总体情况")
    assert heading.runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    body = next(p for p in doc.paragraphs if p.text.startswith("2026年09月，全市"))
    assert body.runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16
    assert len(report.docx_sha256) == 64 and len(report.xlsx_sha256) == 64


def test_xlsx_tables_carry_the_same_numbers_as_direct_orm_counts(september):
    from jidu.grading.models import ClueGrade
    from jidu.screening.models import OrderProblem

    report = services.generate_report("monthly", september)
    sheets = _sheets(report)
    lo, hi = local_range(dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    month = WorkOrder.objects.filter(received_at__gte=lo, received_at__lt=hi)
    august = WorkOrder.objects.filter(received_at__gte=local_range(dt.date(2026, 8, 1), dt.date(2026, 8, 31))[0],
                                      received_at__lt=lo)
    overview = sheets["总体情况"]
    assert overview[0] == ["指标", "本期", "上期", "环比", "上年同期", "同比"]
    total = _row(overview, "受理总量")
    assert total[1] == month.count() == 5
    assert total[2] == august.count() == 2
    assert total[3] == "上升150%"
    assert total[4] == 1 and total[5] == "上升400%"
    assert _row(overview, "涉旅")[1] == month.filter(screening__tourism=True).count() == 3
    assert _row(overview, "涉行政执法")[1] == month.filter(screening__enforcement=True).count() == 3

    problems = {r[0]: r[1] for r in sheets["问题类型前十"][1:]}
    expected = {}
    for name in OrderProblem.objects.filter(screening__order__in=month).values_list("problem__name", flat=True):
        expected[name] = expected.get(name, 0) + 1
    assert problems == expected == {"短斤少两": 2, "价格违法": 2, "虚假宣传": 1}
    assert _row(sheets["问题类型前十"], "短斤少两")[2] == 1  # August

    areas = {r[0]: r[1] for r in sheets["区域分布"][1:]}
    assert areas == {"普陀区": month.filter(area__name="普陀区").count(), "定海区": 2, "未识别区域": 1}
    colours = {r[0]: r[1] for r in sheets["涉旅线索分级"][1:]}
    assert colours["红色"] == ClueGrade.objects.filter(order__in=month, colour="red").count() == 1
    assert (colours["橙色"], colours["黄色"]) == (1, 1)
    assert _row(sheets["被反映较多的经营主体"], "阿强海鲜排档")[1] == 2
    days = {r[0].date() if hasattr(r[0], "date") else r[0]: r[1] for r in sheets["每日受理量"][1:]}
    assert days[dt.date(2026, 9, 1)] == 2 and days[dt.date(2026, 9, 30)] == 1 and len(days) == 30


def test_department_measures_table_comes_from_the_measures_app(september):
    from jidu.measures import services as ms

    report = services.generate_report("monthly", september)
    sheet = _sheets(report)["部门办理情况"]
    rows = ms.table(ms.Filters(dt.date(2026, 9, 1), dt.date(2026, 9, 30)), "department")
    assert sheet[0][0] == "承办单位" and ms.MEASURES["reply_rate"].name in sheet[0]
    assert [r[0] for r in sheet[1:]] == [r.label for r in rows]


def test_the_chart_font_draws_every_chinese_character_of_the_charts(september):
    try:
        name, path, _index = charts.cjk_font()
    except charts.NoCJKFont as exc:
        pytest.fail(f"{exc}（CI 机器需安装 fonts-noto-cjk）")
    assert "CJK" in name or "Hei" in name or "Han" in name, (name, path)
    report = services.generate_report("monthly", september)
    text = report.figures["chart_text"]
    assert "短斤少两" in text and "普陀区" in text and "每日受理量走势" in text
    assert charts.missing_glyphs(text) == []
    assert charts.missing_glyphs("\U0001F600") == ["\U0001F600"]  # the check can fail


def test_a_report_on_an_empty_period_says_so_without_crashing(september):
    report = services.generate_report("daily", dt.date(2026, 9, 20))
    doc = _docx(report)
    text = _text(doc)
    assert "未受理群众诉求工单，本期无数据" in text
    assert "本期无数据。" in text  # empty tables say so
    overview = _sheets(report)["总体情况"]
    assert _row(overview, "受理总量")[1:4] == [0, 0, "无可比数据"]
    assert report.figures["total"] == 0 and report.figures["change_prev"] == "无可比数据"


def test_empty_database_month_and_no_previous_data(db):
    report = services.generate_report("monthly", dt.date(2020, 2, 1))
    assert report.status == Report.Status.DONE and report.period_end == dt.date(2020, 2, 29)
    assert "无可比数据" in _text(_docx(report))


def test_daily_report_counts_that_day_and_compares_with_the_day_before(september):
    report = services.generate_report("daily", dt.date(2026, 9, 2))
    overview = _sheets(report)["总体情况"]
    assert _row(overview, "受理总量")[1:4] == [1, 2, "下降50%"]
    assert "近30日受理量走势" in report.figures["chart_text"]


def test_topic_report_narrows_every_figure_to_the_topic(september):
    report = services.generate_report("topic", dt.date(2026, 8, 1), period_end=dt.date(2026, 9, 30),
                                      problem="短斤少两")
    assert "“短斤少两”类问题研判报告" in report.title
    sheets = _sheets(report)
    assert _row(sheets["总体情况"], "受理总量")[1] == 3  # T-0001, T-0002 and T-0006
    assert {r[0] for r in sheets["区域分布"][1:]} == {"普陀区"}
    tourism = services.generate_report("topic", dt.date(2026, 9, 1), theme="tourism")
    assert _row(_sheets(tourism)["总体情况"], "受理总量")[1] == 3
    biz = services.generate_report("topic", dt.date(2026, 9, 1), business="阿强海鲜排档")
    assert _row(_sheets(biz)["总体情况"], "受理总量")[1] == 2


def test_bad_parameters_are_refused_with_a_chinese_message(db):
    with pytest.raises(ValueError, match="未知的报告类型"):
        services.generate_report("weekly", dt.date(2026, 9, 1))
    with pytest.raises(ValueError, match="未找到执法领域“天文”"):
        services.generate_report("topic", dt.date(2026, 9, 1), field="天文")
    with pytest.raises(ValueError, match="未知主题"):
        services.generate_report("topic", dt.date(2026, 9, 1), theme="火星")
    with pytest.raises(ValueError, match="截止日期不能早于起始日期"):
        services.generate_report("topic", dt.date(2026, 9, 1), period_end=dt.date(2026, 8, 1))
    with pytest.raises(CommandError, match="日期格式"):
        call_command("generate_report", "daily", "--date", "2026/09/01")
    with pytest.raises(CommandError, match="只用于 topic"):
        call_command("generate_report", "daily", "--date", "2026-09-01", "--field", "文旅")
    assert not Report.objects.exists()  # refused before any row is written


def test_regenerating_makes_a_new_version_and_keeps_the_old_one(september):
    first = services.generate_report("monthly", dt.date(2026, 9, 17))
    second = services.generate_report("monthly", dt.date(2026, 9, 1))
    first.refresh_from_db()
    assert (first.version, first.current, second.version, second.current) == (1, False, 2, True)
    assert first.docx.name != second.docx.name and first.docx.storage.exists(first.docx.name)
    assert Report.objects.filter(kind="monthly", period_start=dt.date(2026, 9, 1), current=True).count() == 1
    other_topic = services.generate_report("topic", dt.date(2026, 9, 1), field="文旅")
    assert other_topic.version == 1  # another scope is another report


def test_scheduled_callables_do_not_duplicate_a_finished_report(september, monkeypatch):
    from django.utils import timezone

    from jidu.reports import tasks

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 10, 1))
    assert "已生成" in tasks.daily_report()
    assert "未重复生成" in tasks.daily_report()
    assert "已生成" in tasks.monthly_report()
    assert "未重复生成" in tasks.monthly_report()
    assert Report.objects.filter(kind="daily", period_start=dt.date(2026, 9, 30)).count() == 1
    assert Report.objects.get(kind="monthly").period_start == dt.date(2026, 9, 1)
    assert Report.objects.get(kind="monthly").by_label == "定时任务"


def test_a_request_while_the_same_report_is_queued_returns_the_queued_one(september, make_user):
    user = make_user("sup1", "supervisor")
    queued = Report.objects.create(kind="daily", period_start=dt.date(2026, 9, 1), period_end=dt.date(2026, 9, 1),
                                   status=Report.Status.PENDING)
    report, created = services.request_report("daily", dt.date(2026, 9, 1), by=user)
    assert (report.pk, created) == (queued.pk, False)
    assert Report.objects.filter(kind="daily").count() == 1


def test_section_templates_are_data_and_the_seed_keeps_an_administrators_edits(september):
    tpl = ReportTemplate.objects.get(kind="daily", section="overview")
    tpl.body = "{{ period }}共{{ total }}件，管理员改写的段落。"
    tpl.save()
    ReportTemplate.objects.filter(kind="daily", section="warnings").update(active=False)
    call_command("load_report_defaults", stdout=io.StringIO())
    tpl.refresh_from_db()
    assert "管理员改写" in tpl.body
    text = _text(_docx(services.generate_report("daily", dt.date(2026, 9, 1))))
    assert "2026年09月01日共2件，管理员改写的段落。" in text
    assert "预警情况" not in text
    call_command("load_report_defaults", "--reset", stdout=io.StringIO())
    assert "管理员改写" not in ReportTemplate.objects.get(kind="daily", section="overview").body


def test_management_command_generates_a_topic_report(september):
    out = io.StringIO()
    call_command("generate_report", "topic", "--date", "2026-09-01", "--end", "2026-09-30", "--field", "市场监管",
                 stdout=out)
    report = Report.objects.get(kind="topic")
    assert "市场监管领域研判报告" in report.title and report.params == {"field": "市场监管"}
    assert "已生成" in out.getvalue()


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice (soffice) 未安装：跳过 .docx → PDF 转换检查")
def test_libreoffice_converts_the_docx_to_pdf(september, tmp_path):
    report = services.generate_report("monthly", september)
    src = tmp_path / "report.docx"
    src.write_bytes(report.docx.open("rb").read())
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([binary, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, timeout=180, capture_output=True)
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.read_bytes()[:4] == b"%PDF"


def test_supervision_and_warning_sections_count_the_period_records(september):
    from django.utils import timezone

    from jidu.supervision.models import SupervisionCase
    from jidu.warnings.models import Warning

    tz = timezone.get_current_timezone()
    inside, outside = dt.datetime(2026, 9, 10, 9, tzinfo=tz), dt.datetime(2026, 10, 2, 9, tzinfo=tz)
    SupervisionCase.objects.create(subject="海鲜排档短斤少两反复投诉", opened_at=inside)
    SupervisionCase.objects.create(subject="十月的案件", opened_at=outside)
    Warning.objects.create(kind="cluster", level="red", title="同一商户聚集投诉", dimension="business", key="x",
                           first_detected_at=inside)
    Warning.objects.create(kind="spike", level="blue", title="十月", dimension="field", key="y",
                           first_detected_at=outside)
    report = services.generate_report("monthly", september)
    sheets = _sheets(report)
    assert _row(sheets["执法监督"], "监督案件")[1:] == ["新立案", 1]
    levels = {r[1]: r[2] for r in sheets["预警"][1:] if r[0] == "预警等级"}
    assert levels == {"严重（红）": 1}
    text = _text(_docx(report))
    assert "本期新立执法监督案件1件" in text and "本期共发出预警1条，其中严重（红色）1条" in text


@pytest.mark.parametrize("kind,day", [("monthly", dt.date(2026, 9, 1)), ("daily", dt.date(2026, 9, 1))])
def test_figures_read_from_the_measures_rollup_equal_the_direct_counts(september, kind, day, monkeypatch):
    """A city-wide report reads totals, flags, areas, fields, the daily trend and the department
    table from the measures app's pre-aggregation when it agrees with the orders; every figure is
    the same as counted directly, and a rollup that lags behind the orders is not used."""
    from django.utils import timezone

    from jidu.measures import services as ms
    from jidu.reports import compute

    start, end = services.period_for(kind, day)
    direct = compute.collect(kind, start, end, {})
    opened = []
    real_open = compute.open_rollup
    monkeypatch.setattr(compute, "open_rollup", lambda p, n: opened.append(real_open(p, n)) or opened[-1])
    ms.refresh(full=True, now=timezone.now())
    rolled = compute.collect(kind, start, end, {})
    assert opened and opened[0] is not None  # the current period was read from the rollup
    assert rolled == direct
    sheets = _sheets(services.generate_report(kind, day))
    lo, hi = local_range(start, end)
    month = WorkOrder.objects.filter(received_at__gte=lo, received_at__lt=hi)
    assert _row(sheets["总体情况"], "受理总量")[1] == month.count()
    assert _row(sheets["总体情况"], "涉旅")[1] == month.filter(screening__tourism=True).count()
    from jidu.orders.models import FINISHED_STATUSES, OPEN_STATUSES

    assert _row(sheets["总体情况"], "投诉举报")[1] == month.filter(order_type__in=["complaint", "report"]).count()
    assert _row(sheets["总体情况"], "已办结")[1] == month.filter(status__in=FINISHED_STATUSES).count()
    assert _row(sheets["总体情况"], "办理中")[1] == month.filter(status__in=OPEN_STATUSES).count()
    assert _row(sheets["总体情况"], "涉行政执法")[1] == month.filter(screening__enforcement=True).count()

    # an order the rollup has not seen yet: the totals disagree, so the report counts live
    order = WorkOrder.objects.get(order_no="T-0004")
    WorkOrder.objects.filter(pk=order.pk).update(received_at=lo + dt.timedelta(hours=12))
    opened.clear()
    again = compute.collect(kind, start, end, {})
    if kind == "daily":
        assert opened[0] is None and again["volumes"]["total"] == direct["volumes"]["total"] + 1
    assert again["volumes"]["total"] == month.count()
