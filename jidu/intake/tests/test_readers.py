"""Tests for jidu.intake.readers (pure Python: run with -p no:django)."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import zipfile

import openpyxl
import pytest
from openpyxl.worksheet._reader import WorkSheetParser

from jidu.intake import readers
from jidu.intake.readers import (
    HeaderMap,
    RawRow,
    ReaderError,
    map_headers,
    normalise_header,
    open_table,
)

HEADER = "工单编号,受理时间,诉求内容\r\n"


@pytest.fixture(autouse=True)
def _isolated_settings():
    """Overrides the project conftest's autouse fixture of the same name, which needs Django
    settings: these tests are pure Python and also run with ``-p no:django``."""
    yield


def read_all(source, filename=None):
    with open_table(source, filename=filename) as table:
        rows = list(table.rows())
    return table, rows


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


class CountingBytesIO(io.BytesIO):
    """A seekable binary stream that records the furthest byte handed out."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.furthest = 0
        self.total = 0

    def _note(self, n):
        self.furthest = max(self.furthest, self.tell())
        self.total += n

    def read(self, size=-1):
        data = super().read(size)
        self._note(len(data))
        return data

    def read1(self, size=-1):
        data = super().read1(size)
        self._note(len(data))
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self._note(len(data))
        return data

    def readinto(self, buffer):
        n = super().readinto(buffer)
        self._note(n)
        return n


class NonSeekable(io.RawIOBase):
    def __init__(self, data: bytes):
        self._inner = io.BytesIO(data)

    def readable(self):
        return True

    def seekable(self):
        return False

    def readinto(self, buffer):
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# ------------------------------------------------------------------------------------------
# Encodings
# ------------------------------------------------------------------------------------------


def test_utf8_without_bom(tmp_path):
    path = write(tmp_path, "orders.csv", (HEADER + "A001,2026-10-01 08:30,海鲜摊缺斤短两\r\n").encode())
    table, rows = read_all(path)
    assert table.kind == "csv"
    assert table.encoding == "utf-8"
    assert table.filename == "orders.csv"
    assert table.headers == ["工单编号", "受理时间", "诉求内容"]
    assert rows == [RawRow(2, {"工单编号": "A001", "受理时间": "2026-10-01 08:30", "诉求内容": "海鲜摊缺斤短两"})]
    assert table.warnings == []


def test_utf8_with_bom(tmp_path):
    path = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + (HEADER + "A001,2026-10-01,民宿退款\r\n").encode())
    table, rows = read_all(path)
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "工单编号"  # BOM not part of the first header
    assert rows[0].values["诉求内容"] == "民宿退款"


def test_gbk(tmp_path):
    text = HEADER + "A001,2026-10-01,定海区渔港路噪音扰民\r\nA002,2026-10-02,普陀山景区排队\r\n"
    table, rows = read_all(write(tmp_path, "gbk.csv", text.encode("gbk")))
    assert table.encoding == "gb18030"
    assert [r.values["诉求内容"] for r in rows] == ["定海区渔港路噪音扰民", "普陀山景区排队"]
    assert all(not r.warnings and r.error is None for r in rows)
    assert table.warnings == []


def test_gb18030_characters_outside_gbk(tmp_path):
    content = "来电人𠀀反映䶮字姓名无法登记"
    with pytest.raises(UnicodeEncodeError):
        content.encode("gbk")
    text = HEADER + f"A001,2026-10-01,{content}\r\nA002,2026-10-02,普通内容\r\n"
    table, rows = read_all(write(tmp_path, "gb18030.csv", text.encode("gb18030")))
    assert table.encoding == "gb18030"
    assert rows[0].values["诉求内容"] == content
    assert rows[0].warnings == []


def test_mixed_utf8_file_with_gbk_lines(tmp_path):
    data = (
        (HEADER + "A001,2026-10-01,沈家门夜排档\r\n").encode("utf-8")
        + "A002,2026-10-02,朱家尖民宿退订\r\n".encode("gbk")
        + "A003,2026-10-03,岱山渡轮停航\r\n".encode()
    )
    table, rows = read_all(write(tmp_path, "mixed.csv", data))
    assert table.encoding == "utf-8"
    assert [r.values["诉求内容"] for r in rows] == ["沈家门夜排档", "朱家尖民宿退订", "岱山渡轮停航"]
    assert [r.number for r in rows] == [2, 3, 4]
    assert rows[0].warnings == [] and rows[2].warnings == []
    assert len(rows[1].warnings) == 1 and "GBK/GB18030" in rows[1].warnings[0]
    assert rows[1].error is None
    assert any("混合编码" in w and "mixed.csv" in w for w in table.warnings)


def test_mixed_gbk_file_with_a_utf8_line_beyond_the_sample(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "SAMPLE_SIZE", 64)
    data = (
        (HEADER + "A001,2026-10-01,嵊泗列岛\r\n" + "A002,2026-10-02,桃花岛\r\n").encode("gbk")
        + "A003,2026-10-03,东极岛轮渡\r\n".encode()
        + "A004,2026-10-04,金塘大桥\r\n".encode("gbk")
    )
    with open_table(io.BytesIO(data), "late.csv") as table:
        assert table.encoding == "gb18030"
        assert table.warnings == []  # the sample alone looked like clean GBK
        rows = list(table.rows())
    assert [r.values["诉求内容"] for r in rows] == ["嵊泗列岛", "桃花岛", "东极岛轮渡", "金塘大桥"]
    assert [bool(r.warnings) for r in rows] == [False, False, True, False]
    assert "UTF-8" in rows[2].warnings[0]
    assert any("混合编码" in w for w in table.warnings)  # added while iterating


def test_line_undecodable_in_any_encoding_is_a_row_error(tmp_path):
    data = (
        (HEADER + "A001,2026-10-01,正常一\r\n").encode()
        + b"A002,2026-10-02,\xff\xfe\x80 broken\r\n"
        + "A003,2026-10-03,正常三\r\n".encode()
    )
    _, rows = read_all(write(tmp_path, "bad.csv", data))
    assert [r.number for r in rows] == [2, 3, 4]
    assert rows[0].error is None and rows[2].error is None
    assert rows[1].error and "无法识别的字符" in rows[1].error
    assert rows[1].values["工单编号"] == "A002"  # still there, for the error report
    assert rows[2].values["诉求内容"] == "正常三"


def test_utf8_character_cut_by_the_sample_boundary(monkeypatch):
    line = ("工单编号,诉求内容\r\n" + "A001," + "中" * 50 + "\r\n").encode()
    header_len = len("工单编号,诉求内容\r\n".encode()) + len(b"A001,")
    size = header_len + 3 * 10 + 1  # one byte into the 11th "中"
    assert line[size - 1 : size] == b"\xe4"
    monkeypatch.setattr(readers, "SAMPLE_SIZE", size)
    with open_table(io.BytesIO(line), "cut.csv") as table:
        assert table.encoding == "utf-8"
        rows = list(table.rows())
    assert table.warnings == []
    assert rows[0].values["诉求内容"] == "中" * 50 and rows[0].warnings == []


def test_ascii_sample_then_gbk_sets_the_encoding_without_warnings(monkeypatch):
    monkeypatch.setattr(readers, "SAMPLE_SIZE", 40)
    data = b"order_no,content\r\n" + b"".join(b"A%03d,plain\r\n" % i for i in range(5)) + "A999,中文内容\r\n".encode(
        "gbk"
    )
    with open_table(io.BytesIO(data), "late-gbk.csv") as table:
        assert table.encoding == "utf-8"  # provisional: nothing but ASCII seen yet
        rows = list(table.rows())
    assert table.encoding == "gb18030"
    assert rows[-1].values["content"] == "中文内容"
    assert all(not r.warnings for r in rows) and table.warnings == []


def test_utf16_with_bom_tab_delimited():
    text = "工单编号\t诉求内容\r\nA001\t海岛旅游投诉\r\n"
    with open_table(io.BytesIO(text.encode("utf-16")), "unicode.txt") as table:
        assert table.encoding == "utf-16" and table.delimiter == "\t"
        rows = list(table.rows())
    assert rows[0].values == {"工单编号": "A001", "诉求内容": "海岛旅游投诉"}


# ------------------------------------------------------------------------------------------
# File-level problems
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \r\n\r\n", b",,,\r\n,,\r\n"])
def test_empty_file(tmp_path, data):
    with pytest.raises(ReaderError) as info:
        open_table(write(tmp_path, "empty.csv", data))
    assert info.value.filename == "empty.csv"
    assert "empty.csv" in info.value.message and "为空" in info.value.message
    assert str(info.value) == info.value.message


def test_header_only_file(tmp_path):
    table, rows = read_all(write(tmp_path, "header.csv", HEADER.encode()))
    assert table.headers == ["工单编号", "受理时间", "诉求内容"]
    assert rows == []
    assert any("只有表头" in w for w in table.warnings)


def test_binary_file_named_xlsx(tmp_path):
    path = write(tmp_path, "orders.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(ReaderError) as info:
        open_table(path)
    assert info.value.message == "文件 orders.xlsx 不是有效的Excel文件（可能是其他格式改了扩展名）"


def test_binary_file_with_nul_bytes_named_csv(tmp_path):
    with pytest.raises(ReaderError) as info:
        open_table(write(tmp_path, "orders.csv", b"abc\x00\x01\x02def"))
    assert "orders.csv" in info.value.message and "二进制" in info.value.message


def test_zip_that_is_not_a_workbook(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    with pytest.raises(ReaderError) as info:
        open_table(write(tmp_path, "fake.xlsx", buffer.getvalue()))
    assert "fake.xlsx" in info.value.message and "不是有效的Excel文件" in info.value.message


def test_legacy_xls_and_html_disguised_as_excel(tmp_path):
    with pytest.raises(ReaderError) as info:
        open_table(write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600))
    assert ".xls" in info.value.message and "另存为" in info.value.message
    with pytest.raises(ReaderError) as info:
        open_table(write(tmp_path, "export.xls", "<html><table><tr><td>工单编号</td></tr></table></html>".encode()))
    assert "HTML" in info.value.message


def test_missing_header_when_first_row_is_data(tmp_path):
    with pytest.raises(ReaderError) as info:
        open_table(write(tmp_path, "noheader.csv", b"2026100100001,2026-10-01 08:30,13800000000\r\n"))
    assert "缺少表头" in info.value.message and "noheader.csv" in info.value.message


def test_missing_file_is_a_reader_error(tmp_path):
    with pytest.raises(ReaderError) as info:
        open_table(tmp_path / "nope.csv")
    assert "nope.csv" in info.value.message


def test_text_file_object_is_rejected():
    with pytest.raises(TypeError):
        open_table(io.StringIO("a,b\n1,2\n"), "x.csv")


# ------------------------------------------------------------------------------------------
# CSV structure
# ------------------------------------------------------------------------------------------


def test_quoted_multiline_field_keeps_row_numbers_right(tmp_path):
    text = (
        HEADER
        + 'A001,2026-10-01,"第一行\r\n第二行\n第三行"\r\n'
        + "\r\n"  # a blank row still counts, as in Excel
        + 'A002,2026-10-02,"引号""内"" 逗号,也在内"\r\n'
        + "A003,2026-10-03,最后\r\n"
    )
    _, rows = read_all(write(tmp_path, "multi.csv", text.encode()))
    assert [r.number for r in rows] == [2, 4, 5]
    assert rows[0].values["诉求内容"] == "第一行\r\n第二行\n第三行"
    assert rows[1].values["诉求内容"] == '引号"内" 逗号,也在内'


def test_hundred_thousand_character_field(tmp_path):
    huge = "海" * 100_000  # 300 KB in UTF-8
    bigger = "岛" * 150_000  # above csv's default 131,072-character limit
    text = HEADER + f'A001,2026-10-01,"{huge}"\r\nA002,2026-10-02,{bigger}\r\nA003,2026-10-03,短\r\n'
    _, rows = read_all(write(tmp_path, "huge.csv", text.encode()))
    assert [len(r.values["诉求内容"]) for r in rows] == [100_000, 150_000, 1]
    assert [r.number for r in rows] == [2, 3, 4]
    assert all(r.error is None for r in rows)


@pytest.mark.parametrize("delimiter", ["\t", ";", ","])
def test_delimiter_detected_from_header(tmp_path, delimiter):
    text = delimiter.join(["工单编号", "受理时间", "诉求内容"]) + "\r\n"
    text += delimiter.join(["A001", "2026-10-01", "内容, 含逗号" if delimiter != "," else "内容"]) + "\r\n"
    table, rows = read_all(write(tmp_path, "d.csv", text.encode()))
    assert table.delimiter == delimiter
    assert rows[0].values["工单编号"] == "A001"
    assert len(rows[0].values) == 3


def test_cells_stripped_empty_to_none_short_and_long_rows(tmp_path):
    text = HEADER + "  A001 ,\u3000,  \r\nA002\r\nA003,2026-10-03,内容,多余1,,多余2\r\n"
    _, rows = read_all(write(tmp_path, "ragged.csv", text.encode()))
    assert rows[0].values == {"工单编号": "A001", "受理时间": None, "诉求内容": None}
    assert rows[1].values == {"工单编号": "A002", "受理时间": None, "诉求内容": None}
    assert rows[1].warnings == []
    assert rows[2].values["诉求内容"] == "内容"
    assert len(rows[2].warnings) == 1 and "多出2个" in rows[2].warnings[0] and "多余1" in rows[2].warnings[0]


def test_unclosed_quote_is_a_row_error(tmp_path):
    text = HEADER + 'A001,2026-10-01,"没有闭合\r\nA002,2026-10-02,x\r\n'
    _, rows = read_all(write(tmp_path, "quote.csv", text.encode()))
    assert len(rows) == 1
    assert rows[0].error and "双引号没有闭合" in rows[0].error


def test_duplicate_identical_headers_get_unique_keys(tmp_path):
    text = "工单编号,备注,备注\r\nA001,甲,乙\r\n"
    table, rows = read_all(write(tmp_path, "dup.csv", text.encode()))
    assert table.headers == ["工单编号", "备注", "备注（第3列）"]
    assert rows[0].values == {"工单编号": "A001", "备注": "甲", "备注（第3列）": "乙"}
    assert any("重复" in w for w in table.warnings)


def test_title_row_above_header_is_skipped(tmp_path):
    text = "舟山市12345热线工单明细（2026年10月）,,\r\n" + HEADER + "A001,2026-10-01,内容\r\n"
    table, rows = read_all(write(tmp_path, "title.csv", text.encode()))
    assert table.header_row == 2
    assert table.headers == ["工单编号", "受理时间", "诉求内容"]
    assert rows[0].number == 3
    assert any("标题行" in w for w in table.warnings)


def test_cr_only_line_endings(tmp_path):
    text = HEADER.replace("\r\n", "\r") + "A001,2026-10-01,老式换行\rA002,2026-10-02,第二行\r"
    _, rows = read_all(write(tmp_path, "mac.csv", text.encode("gbk")))
    assert [r.values["诉求内容"] for r in rows] == ["老式换行", "第二行"]
    assert [r.number for r in rows] == [2, 3]


def test_text_file_named_xlsx_is_read_as_csv(tmp_path):
    table, rows = read_all(write(tmp_path, "really-csv.xlsx", (HEADER + "A001,2026-10-01,x\r\n").encode()))
    assert table.kind == "csv"
    assert rows[0].values["工单编号"] == "A001"
    assert any("按CSV读取" in w for w in table.warnings)


def test_file_object_and_non_seekable_stream():
    data = (HEADER + "A001,2026-10-01,内容\r\n").encode("gbk")
    table, rows = read_all(io.BytesIO(data), "upload.csv")
    assert table.filename == "upload.csv" and rows[0].values["诉求内容"] == "内容"
    table, rows = read_all(NonSeekable(data), "pipe.csv")
    assert rows[0].values["诉求内容"] == "内容"


def test_rows_is_a_lazy_generator_that_does_not_read_the_whole_file():
    line = "A{:06d},2026-10-01 08:30:00,沈家门渔港附近夜间施工噪音扰民，请相关部门尽快处理\r\n"
    data = (HEADER + "".join(line.format(i) for i in range(60_000))).encode()
    assert len(data) > 5_000_000
    stream = CountingBytesIO(data)
    table = open_table(stream, "big.csv")
    rows = table.rows()
    assert inspect.isgenerator(rows)
    first = next(rows)
    assert first.number == 2 and first.values["工单编号"] == "A000000"
    assert stream.furthest < 300_000  # sample + a buffer, nowhere near 5 MB
    assert table.progress is not None and table.progress < 0.1
    second = next(rows)
    assert second.number == 3
    with pytest.raises(RuntimeError):
        table.rows()
    assert sum(1 for _ in rows) == 60_000 - 2
    assert table.progress == 1.0
    table.close()
    assert not stream.closed  # a caller's file object is left open


# ------------------------------------------------------------------------------------------
# XLSX
# ------------------------------------------------------------------------------------------


def make_xlsx(rows, title="工单") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_values_numbers_dates_and_formula_strings(tmp_path):
    received = dt.datetime(2026, 10, 1, 8, 30)
    data = make_xlsx(
        [
            ["工单编号", "受理时间", "诉求内容", "件数", "金额"],
            [2026100100001, received, "  退款纠纷  ", 3.0, 12.5],
            [],  # blank row: skipped but counted
            [2026100100002.0, "2026/10/2 9:00", "=HYPERLINK(\"http://x\")", None, None],
            ["A3", None, "=1+1"],
        ]
    )
    table, rows = read_all(write(tmp_path, "orders.xlsx", data))
    assert table.kind == "xlsx" and table.encoding is None and table.sheet_name == "工单"
    assert table.headers == ["工单编号", "受理时间", "诉求内容", "件数", "金额"]
    assert [r.number for r in rows] == [2, 4, 5]
    first = rows[0].values
    assert first["工单编号"] == 2026100100001 and type(first["工单编号"]) is int
    assert first["受理时间"] == received and isinstance(first["受理时间"], dt.datetime)
    assert first["诉求内容"] == "退款纠纷"
    assert first["件数"] == 3 and type(first["件数"]) is int
    assert first["金额"] == 12.5
    second = rows[1].values
    assert second["工单编号"] == 2026100100002 and type(second["工单编号"]) is int
    assert second["受理时间"] == "2026/10/2 9:00"
    assert second["诉求内容"] == '=HYPERLINK("http://x")'  # returned as text, never evaluated
    assert rows[2].values == {"工单编号": "A3", "受理时间": None, "诉求内容": "=1+1", "件数": None, "金额": None}


def test_xlsx_saved_under_a_csv_name_is_sniffed(tmp_path):
    data = make_xlsx([["工单编号", "诉求内容"], ["A001", "内容"]])
    table, rows = read_all(write(tmp_path, "export.csv", data))
    assert table.kind == "xlsx"
    assert rows[0].values == {"工单编号": "A001", "诉求内容": "内容"}


def test_xlsx_extra_cells_title_row_and_several_sheets(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "明细"
    sheet["A1"] = "舟山市12345工单导出"
    sheet.append(["工单编号", "诉求内容"])
    sheet.append(["A001", "内容", "多出来的"])
    workbook.create_sheet("说明")["A1"] = "说明文字"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table, rows = read_all(io.BytesIO(buffer.getvalue()), "two.xlsx")
    assert table.header_row == 2 and rows[0].number == 3
    assert rows[0].values == {"工单编号": "A001", "诉求内容": "内容"}
    assert rows[0].warnings and "多出来的" in rows[0].warnings[0]
    assert any("2个工作表" in w for w in table.warnings)


def test_xlsx_empty_sheet(tmp_path):
    with pytest.raises(ReaderError) as info:
        open_table(write(tmp_path, "blank.xlsx", make_xlsx([])))
    assert "blank.xlsx" in info.value.message and "为空" in info.value.message


def test_xlsx_header_only(tmp_path):
    table, rows = read_all(write(tmp_path, "h.xlsx", make_xlsx([["工单编号", "诉求内容"]])))
    assert table.headers == ["工单编号", "诉求内容"] and rows == []


def test_xlsx_rows_are_streamed(tmp_path):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("工单")
    sheet.append(["工单编号", "诉求内容"])
    for i in range(20_000):
        sheet.append([f"A{i:06d}", f"第{i}条：{i * 7919 % 100_003}号摊位{i * 104_729 % 999_983}价格不透明"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    size = len(buffer.getvalue())
    stream = CountingBytesIO(buffer.getvalue())
    original = WorkSheetParser.parse_dimensions
    table = open_table(stream, "big.xlsx")
    assert WorkSheetParser.parse_dimensions is original  # the load-time speed-up is scoped
    rows = table.rows()
    assert inspect.isgenerator(rows)
    assert next(rows).values["工单编号"] == "A000000"
    # zip reading touches the central directory at the end, but not the bulk of the sheet data
    assert stream.total < size * 0.3
    assert table.progress is not None and table.progress < 0.3
    assert sum(1 for _ in rows) == 19_999
    assert table.progress > 0.95
    table.close()


# ------------------------------------------------------------------------------------------
# Headers
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("工单编号", "工单编号"),
        ("\ufeff 工单编号 \u3000", "工单编号"),
        ("*工单编号", "工单编号"),
        ("※受理时间：", "受理时间"),
        ("＊ 诉求内容:", "诉求内容"),
        ("来电时间（受理）", "来电时间(受理)"),
        ("工单 编号", "工单编号"),
        ("工单编号\n(必填)", "工单编号"),
        ("Order  No", "Order No"),
        ("ＯＲＤＥＲ＿ＮＯ", "ORDER_NO"),
        (None, ""),
    ],
)
def test_normalise_header(raw, expected):
    assert normalise_header(raw) == expected


SYNONYMS = {
    "order_no": ["工单编号", "工单号", "编号"],
    "received_at": ["来电时间", "受理时间"],
    "content": ["诉求内容", "主要内容", "问题描述"],
}


def test_map_headers_synonyms_unknown_and_duplicates():
    headers = ["*工单号", "受理时间：", "问题描述", "备注", "工单编号", "来电时间（受理）"]
    result = map_headers(headers, SYNONYMS)
    assert isinstance(result, HeaderMap)
    assert result.mapping == {"*工单号": "order_no", "受理时间：": "received_at", "问题描述": "content"}
    assert result.unknown == ["备注", "来电时间（受理）"]
    assert result.duplicates == ["工单编号"]
    assert result.duplicate_of == {"工单编号": "*工单号"}
    assert result.missing(["order_no", "received_at", "content", "area"]) == ["area"]
    assert result.column_for("content") == "问题描述"
    assert result.apply({"*工单号": "A1", "问题描述": "x", "备注": "y"}) == {
        "order_no": "A1",
        "received_at": None,
        "content": "x",
    }
    notes = result.notes({"order_no": "工单编号"})
    assert any("备注" in n for n in notes) and any("只使用第一列" in n for n in notes)


def test_map_headers_latin_canonical_names_case_insensitive():
    result = map_headers(["Order_No", "RECEIVED AT", "content"], SYNONYMS)
    assert result.mapping == {"Order_No": "order_no", "RECEIVED AT": "received_at", "content": "content"}
    assert result.unknown == [] and result.missing(SYNONYMS) == []


def test_map_headers_ambiguous_synonym_maps_to_nothing():
    synonyms = {"order_no": ["编号"], "area_code": ["编号", "区域编码"]}
    result = map_headers(["编号", "区域编码"], synonyms)
    assert result.mapping == {"区域编码": "area_code"}
    assert result.ambiguous == {"编号": ["order_no", "area_code"]}
    assert "编号" in result.unknown
    assert any("无法确定" in n for n in result.notes())


def test_map_headers_on_a_real_table(tmp_path):
    text = "\ufeff*工单号,来电时间（受理）,主要内容,附件\r\nA001,2026-10-01,内容,无\r\n"
    with open_table(write(tmp_path, "real.csv", text.encode())) as table:
        synonyms = dict(SYNONYMS, received_at=["来电时间(受理)"])
        result = map_headers(table.headers, synonyms)
        rows = list(table.rows())
    assert result.missing(["order_no", "received_at", "content"]) == []
    assert result.apply(rows[0].values) == {"order_no": "A001", "received_at": "2026-10-01", "content": "内容"}
    assert result.unknown == ["附件"]


def test_cells_are_stripped_of_every_unicode_space():
    import sys

    from jidu.intake import readers

    assert set(readers._UNICODE_SPACES) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
