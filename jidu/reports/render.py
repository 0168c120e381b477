"""Turning a report's figures into text (the administrator's section templates), tables, charts,
a .docx (official report layout) and an .xlsx (one sheet per table)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.template import Context, Engine

from jidu.core.spreadsheets import safe_cell
from jidu.reports import charts

TITLE_FONT, HEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312"
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = 22, 16, 14, 12  # 二号, 三号, 四号, 小四 (points)
COLOUR_NAMES = {"red": "红色", "orange": "橙色", "yellow": "黄色", "none": "未定级"}

_engine = Engine(autoescape=False, libraries={}, builtins=["django.template.defaulttags",
                                                          "django.template.defaultfilters"])


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


@dataclass
class Figure:
    caption: str
    png: bytes
    text: str = ""  # every label drawn (for the font check)


@dataclass
class Section:
    heading: str
    paragraphs: list[str]
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def pct(value) -> str:
    return "—" if value is None else f"{value:g}%"


def context(data: dict, title: str, period_label: str) -> dict:
    """The variables section templates may use (listed in docs/REPORTS.md)."""
    vol = data["volumes"]
    problems, areas = data["problems"], data["areas"]
    disputes = data.get("disputes") or {}
    tourism = data["tourism"]
    return {
        "title": title, "period": period_label, "scope": data["scope_label"], "empty": vol["total"] == 0,
        "total": vol["total"], "complaints": vol["complaints"], "enforcement": vol["enforcement"],
        "tourism_total": vol["tourism"], "finished": vol["finished"], "open": vol["open"],
        "prev_total": data["volumes_prev"]["total"],
        "year_total": data["volumes_year"]["total"] if data["volumes_year"] else None,
        "change_prev": data["change_prev"]["text"], "change_year": data["change_year"]["text"],
        "enforcement_share": pct(round(vol["enforcement"] * 100.0 / vol["total"], 1) if vol["total"] else None),
        "top_problem": problems[0][0] if problems else "", "top_problem_count": problems[0][1] if problems else 0,
        "top_problems": "、".join(f"{n}（{c}件）" for n, c, _ in problems[:3]),
        "top_area": areas[0][0] if areas else "", "top_area_count": areas[0][1] if areas else 0,
        "top_towns": "、".join(f"{n}（{c}件）" for n, c in data["towns"][:3]),
        "top_business": data["businesses"][0][0] if data["businesses"] else "",
        "top_business_count": data["businesses"][0][1] if data["businesses"] else 0,
        "departments_available": data["departments"]["available"], "departments_note": data["departments"]["note"],
        "disputes_opened": disputes.get("opened", 0), "disputes_decided": disputes.get("decided", 0),
        "disputes_within": disputes.get("decided_within_limit", 0), "disputes_share": pct(disputes.get("share_pct")),
        "disputes_open": disputes.get("open", 0) + disputes.get("escalated", 0),
        "disputes_withdrawn": disputes.get("withdrawn", 0),
        "supervision_available": data.get("supervision") is not None,
        "supervision_cases": next((r[2] for r in data.get("supervision") or [] if r[:2] == ("监督案件", "新立案")), 0),
        "supervision_closed": next((r[2] for r in data.get("supervision") or [] if r[:2] == ("监督案件", "结案")), 0),
        "supervision_documents": sum(r[2] for r in data.get("supervision") or [] if r[0] == "监督文书"),
        "warnings_available": data.get("warnings") is not None,
        "warnings_total": sum(r[2] for r in data.get("warnings") or [] if r[0] == "预警等级"),
        "warnings_red": next((r[2] for r in data.get("warnings") or [] if r[0] == "预警等级" and "红" in r[1]), 0),
        "red": tourism["red"], "orange": tourism["orange"], "yellow": tourism["yellow"],
        "clues_total": tourism["red"] + tourism["orange"] + tourism["yellow"],
    }


def render_text(template_text: str, ctx: dict) -> list[str]:
    """Render a section template; blank lines separate paragraphs."""
    text = _engine.from_string(template_text or "").render(Context(ctx))
    paragraphs, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("".join(current))
            current = []
    if current:
        paragraphs.append("".join(current))
    return paragraphs


def _fmt_day(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def tables_and_figures(section: str, data: dict) -> tuple[list[Table], list[Figure]]:
    vol, prev, year = data["volumes"], data["volumes_prev"], data["volumes_year"]
    from jidu.reports.compute import change

    tables: list[Table] = []
    figures: list[Figure] = []
    empty = vol["total"] == 0

    if section == "overview":
        labels = [("total", "受理总量"), ("complaints", "投诉举报"), ("enforcement", "涉行政执法"), ("tourism", "涉旅"),
                  ("finished", "已办结"), ("open", "办理中")]
        rows = []
        for key, label in labels:
            rows.append([label, vol[key], prev[key] if data["prev_has_data"] else None,
                         change(vol[key], prev[key] if data["prev_has_data"] else None)["text"],
                         year[key] if year else None, change(vol[key], year[key] if year else None)["text"]])
        tables.append(Table("总体情况", ["指标", "本期", "上期", "环比", "上年同期", "同比"], rows))
        tables.append(Table("工单类型", ["类型", "件数", "占比"],
                            [[t, n, pct(round(n * 100.0 / vol["total"], 1))] for t, n in data["by_type"]]))
    elif section == "trends":
        trend = data["trend"]
        prev_values = data.get("trend_prev")
        headers = ["日期", "件数"] + (["上期同序日"] if prev_values else [])
        rows = [[d, n] + ([prev_values[i] if i < len(prev_values) else None] if prev_values else [])
                for i, (d, n) in enumerate(trend)]
        tables.append(Table("每日受理量", headers, rows))
        if any(n for _, n in trend):
            labels = [_fmt_day(d) for d, _ in trend]
            series = {"本期": [n for _, n in trend]}
            if prev_values:
                series["上期"] = prev_values
            title = "近30日受理量走势" if data["kind"] == "daily" else "每日受理量走势"
            figures.append(Figure(title, charts.line_chart(title, labels, series),
                                  title + "".join(labels) + "".join(series) + "件数"))
    elif section == "top":
        tables.append(Table("问题类型前十", ["问题类型", "本期件数", "上期件数", "环比"],
                            [[n, c, p, change(c, p)["text"]] for n, c, p in data["problems"]]))
        tables.append(Table("执法领域", ["执法领域", "件数"], [list(r) for r in data["fields"]]))
        tables.append(Table("热线分类前十", ["热线分类", "件数"], [list(r) for r in data["categories"]]))
        tables.append(Table("被反映较多的经营主体", ["经营主体", "件数"], [list(r) for r in data["businesses"]]))
        tables.append(Table("被反映较多的地点", ["地点", "件数"], [list(r) for r in data["places"]]))
        if data["problems"]:
            labels = [n for n, _, _ in data["problems"]]
            title = "问题类型前十"
            figures.append(Figure(title, charts.bar_chart(title, labels, [c for _, c, _ in data["problems"]]),
                                  title + "".join(labels)))
    elif section == "areas":
        tables.append(Table("区域分布", ["区域", "件数", "占比", "上期件数", "环比"],
                            [[n, c, pct(s), p, change(c, p)["text"]] for n, c, s, p in data["areas"]]))
        if not empty:
            labels = [n for n, *_ in data["areas"]]
            title = "各区域受理量"
            figures.append(Figure(title, charts.bar_chart(title, labels, [c for _, c, *_ in data["areas"]]),
                                  title + "".join(labels)))
    elif section == "departments":
        depts = data["departments"]
        if depts["available"] and depts["rows"]:
            tables.append(Table("部门办理情况", depts["headers"], depts["rows"]))
    elif section == "disputes" and data.get("disputes"):
        d = data["disputes"]
        tables.append(Table("派单争议", ["指标", "数值"], [
            ["新发生争议", d["opened"]], ["已裁定", d["decided"]], ["时限内裁定", d["decided_within_limit"]],
            ["时限内裁定率", pct(d["share_pct"])], ["尚未裁定", d["open"] + d["escalated"]],
            ["已撤回（热线自行改派）", d.get("withdrawn", 0)],
            ["裁定平均用时中位数（小时）", d["median_hours_to_decision"]]]))
        if d["by_department"]:
            tables.append(Table("退单较多的单位", ["单位", "争议件数"], [list(r) for r in d["by_department"]]))
    elif section == "supervision" and data.get("supervision"):
        tables.append(Table("执法监督", ["类别", "分项", "件数"], [list(r) for r in data["supervision"]]))
    elif section == "warnings" and data.get("warnings"):
        tables.append(Table("预警", ["类别", "分项", "件数"], [list(r) for r in data["warnings"]]))
    elif section == "tourism":
        t = data["tourism"]
        tables.append(Table("涉旅线索分级", ["颜色", "件数"],
                            [[COLOUR_NAMES[k], t[k]] for k in ("red", "orange", "yellow", "none")]))
    return tables, figures


# ----------------------------------------------------------------------------- .docx
def _set_font(run, name: str, size: float | None = None, bold: bool | None = None):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def _paragraph(doc, text, font=BODY_FONT, size=SIZE_3, bold=None, align=None, indent=True):
    from docx.shared import Pt

    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.line_spacing = Pt(28)
    _set_font(p.add_run(text), font, size, bold)
    return p


def _cell_text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def build_docx(title: str, subtitle: str, sections: list[Section]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    for s in doc.sections:
        s.top_margin, s.bottom_margin = Cm(3.7), Cm(3.5)
        s.left_margin, s.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(SIZE_3)
    from docx.oxml.ns import qn

    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    _paragraph(doc, title, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, subtitle, BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    numerals = "一二三四五六七八九十"
    for n, section in enumerate(sections):
        heading = f"{numerals[n] if n < len(numerals) else n + 1}、{section.heading}"
        _paragraph(doc, heading, HEADING_FONT, SIZE_3, indent=True)
        for text in section.paragraphs:
            _paragraph(doc, text)
        for fig in section.figures:
            doc.add_picture(io.BytesIO(fig.png), width=Cm(15))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _paragraph(doc, f"图：{fig.caption}", BODY_FONT, SIZE_SMALL_4, align=WD_ALIGN_PARAGRAPH.CENTER,
                       indent=False)
        for table in section.tables:
            _paragraph(doc, f"表：{table.title}", HEADING_FONT, SIZE_SMALL_4, align=WD_ALIGN_PARAGRAPH.CENTER,
                       indent=False)
            if not table.rows:
                _paragraph(doc, "本期无数据。", BODY_FONT, SIZE_SMALL_4, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
                continue
            grid = doc.add_table(rows=1, cols=len(table.headers))
            grid.style = "Table Grid"
            for cell, header in zip(grid.rows[0].cells, table.headers):
                cell.text = ""
                _set_font(cell.paragraphs[0].add_run(str(header)), HEADING_FONT, SIZE_SMALL_4 - 1.5)
            for row in table.rows[:60]:
                cells = grid.add_row().cells
                for cell, value in zip(cells, row):
                    _set_font(cell.paragraphs[0].add_run(_cell_text(value)), BODY_FONT, SIZE_SMALL_4 - 1.5)
            if len(table.rows) > 60:
                _paragraph(doc, f"（共{len(table.rows)}行，完整数据见 Excel 附表）", BODY_FONT, SIZE_SMALL_4,
                           indent=False)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- .xlsx
def build_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table; strings go through spreadsheets.safe_cell and are stored as text (never
    a formula), like every other export."""
    import re

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        base = re.sub(r"[\[\]:*?/\\]", "_", table.title)[:28] or "表"
        name, n = base, 2
        while name in used:
            name, n = f"{base[:26]}{n}", n + 1
        used.add(name)
        sheet = workbook.create_sheet(name)

        def cell(value, bold=False):
            if isinstance(value, str) or bold:
                c = WriteOnlyCell(sheet, value=safe_cell("" if value is None else str(value)))
                c.data_type = "s"
                if bold:
                    c.font = Font(bold=True)
                return c
            return value

        sheet.append([cell(h, bold=True) for h in table.headers])
        for row in table.rows:
            sheet.append([cell(v) for v in row])
        if not table.rows:
            sheet.append([cell("本期无数据")])
    if not tables:
        workbook.create_sheet("说明").append(["本报告无表格"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
