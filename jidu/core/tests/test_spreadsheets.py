"""Tests for jidu.core.spreadsheets (pure Python: run with -p no:django)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from jidu.core.spreadsheets import XLSX_MAX_CELL_CHARS, safe_cell, write_csv, write_xlsx


@pytest.fixture(autouse=True)
def _isolated_settings():
    """Overrides the project conftest's autouse fixture of the same name, which needs Django
    settings: these tests are pure Python and also run with ``-p no:django``."""
    yield


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ('=HYPERLINK("http://evil","点我")', '\'=HYPERLINK("http://evil","点我")'),
        ("投诉 = 1", "投诉 = 1"),
        ("", ""),
        ("普通内容", "普通内容"),
        (-5, -5),
        (3.5, 3.5),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def read_back(data: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(data))  # not read-only: data types, fonts, widths
    return workbook.active


def test_write_xlsx_strings_are_never_formulas():
    buffer = io.BytesIO()
    rows = [
        ["ZS001", "=1+1", "#N/A", 12, dt.datetime(2026, 10, 1, 8, 30)],
        ["ZS002", "@cmd", "-3", -3, None],
    ]
    count = write_xlsx(buffer, ["工单编号", "内容", "备注", "数量", "时间"], iter(rows), sheet_title="导入问题")
    assert count == 2
    sheet = read_back(buffer.getvalue())
    assert sheet.title == "导入问题"
    assert [c.value for c in sheet[1]] == ["工单编号", "内容", "备注", "数量", "时间"]
    assert all(c.font.bold for c in sheet[1])
    formula_cell = sheet["B2"]
    assert formula_cell.value == "'=1+1"
    assert formula_cell.data_type == "s"
    assert sheet["C2"].value == "#N/A" and sheet["C2"].data_type == "s"
    assert sheet["D2"].value == 12 and sheet["D2"].data_type == "n"
    assert sheet["E2"].value == dt.datetime(2026, 10, 1, 8, 30)
    assert sheet["B3"].value == "'@cmd" and sheet["C3"].value == "'-3" and sheet["D3"].value == -3
    assert sheet.freeze_panes == "A2"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_write_xlsx_raw_xml_has_no_formula_element(tmp_path):
    import zipfile

    path = tmp_path / "report.xlsx"
    write_xlsx(path, ["值"], [["=SUM(A1:A2)"], ["=1"]])
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert "'=SUM(A1:A2)" in sheet_xml


def test_write_xlsx_odd_values():
    buffer = io.BytesIO()
    aware = dt.datetime(2026, 10, 1, 0, 30, tzinfo=dt.UTC)
    long_text = "海" * 40_000
    write_xlsx(buffer, ["a", "b", "c", "d", "e"], [[aware, 20261001000012345, "坏\x00字\x07符", long_text, True]])
    sheet = read_back(buffer.getvalue())
    assert sheet["A2"].value == dt.datetime(2026, 10, 1, 8, 30)
    assert sheet["B2"].value == "20261001000012345"  # >15 digits: text, stays exact
    assert sheet["C2"].value == "坏\ufffd字\ufffd符"
    assert len(sheet["D2"].value) == XLSX_MAX_CELL_CHARS and sheet["D2"].value.endswith("已截断）")
    assert sheet["E2"].value is True


def test_write_xlsx_column_widths_are_reasonable():
    buffer = io.BytesIO()
    write_xlsx(buffer, ["行号", "原因"], [[2, "无法识别的日期时间格式：‘2026-13-45’"], [3, "x" * 500]])
    sheet = read_back(buffer.getvalue())
    assert 6 <= sheet.column_dimensions["A"].width <= 10
    assert sheet.column_dimensions["B"].width == 60  # capped


def test_write_xlsx_streams_a_generator():
    produced = []

    def rows():
        for i in range(1000):
            produced.append(i)
            yield [i, f"第{i}行"]

    buffer = io.BytesIO()
    assert write_xlsx(buffer, ["n", "text"], rows()) == 1000
    sheet = read_back(buffer.getvalue())
    assert sheet.max_row == 1001 and sheet["B1001"].value == "第999行"


def test_write_csv_bom_and_escaping():
    buffer = io.StringIO(newline="")
    count = write_csv(buffer, ["工单编号", "内容", "时间"], [["ZS001", "=1+1", dt.datetime(2026, 10, 1, 8, 30)],
                                                      ["ZS002", "含,逗号\n换行", None], ["+1", "@x", -1]])
    assert count == 3
    text = buffer.getvalue()
    assert text.startswith("\ufeff工单编号,内容,时间\r\n")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert rows[1] == ["ZS001", "'=1+1", "2026-10-01 08:30:00"]
    assert rows[2] == ["ZS002", "含,逗号\n换行", ""]
    assert rows[3] == ["'+1", "'@x", "-1"]


def test_write_csv_to_a_binary_stream_reads_back_with_open_table():
    from jidu.intake.readers import open_table

    buffer = io.BytesIO()
    write_csv(buffer, ["工单编号", "诉求内容"], [["ZS001", "定海区-噪音"], ["ZS002", "-负号开头"]])
    data = buffer.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    assert not buffer.closed
    with open_table(io.BytesIO(data), "export.csv") as table:
        assert table.encoding == "utf-8-sig"
        rows = list(table.rows())
    assert [r.values["诉求内容"] for r in rows] == ["定海区-噪音", "'-负号开头"]
