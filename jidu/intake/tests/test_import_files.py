"""File import end to end: encodings, headers, bad rows and files, idempotence, the report."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from jidu.intake.importing import run_import, write_issue_report
from jidu.intake.models import HeaderSynonym, ImportBatch
from jidu.orders.models import WorkOrder

pytestmark = pytest.mark.django_db

HEADER = "工单号,受理时间,诉求内容,诉求类型,承办单位,所属区域,联系电话"
ROWS = [
    "ZS1,2026-09-01 09:00,朱家尖民宿因停航拒不退款,投诉,舟山市文化和广电旅游体育局,普陀区,13812345678",
    "ZS2,2026/9/2 10:30,沈家门海鲜排档短斤少两,投诉,舟山市市场监督管理局,普陀区,13900001111",
]


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def run(tmp_path, source, name, content, encoding="utf-8"):
    path = write(tmp_path, name, content, encoding)
    batch = ImportBatch.objects.create(source=source, kind="file", filename=name)
    return run_import(batch, path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_hotline_encoding_imports_with_mapped_headers(tmp_path, source, encoding):
    batch = run(tmp_path, source, "orders.csv", "\n".join([HEADER, *ROWS]) + "\n", encoding)
    assert batch.state == "done" and batch.created == 2 and batch.errors == 0, batch.message
    order = WorkOrder.objects.get(order_no="ZS1")
    assert order.content == "朱家尖民宿因停航拒不退款" and order.lead_department.code == "WGLT"


def test_reimporting_the_same_file_updates_nothing_and_duplicates_nothing(tmp_path, source):
    text = "\n".join([HEADER, *ROWS])
    run(tmp_path, source, "a.csv", text)
    again = run(tmp_path, source, "b.csv", text)
    assert (again.created, again.unchanged) == (0, 2)
    assert WorkOrder.objects.count() == 2


def test_missing_required_column_fails_the_file_with_a_clear_message(tmp_path, source):
    batch = run(tmp_path, source, "x.csv", "工单号,诉求内容\nZS1,内容\n")
    assert batch.state == "failed"
    assert "缺少必需的列" in batch.message and "受理时间" in batch.message
    assert not WorkOrder.objects.exists()


def test_empty_file_is_refused_clearly(tmp_path, source):
    batch = run(tmp_path, source, "empty.csv", "")
    assert batch.state == "failed" and "空" in batch.message


def test_binary_file_named_xlsx_is_refused_clearly(tmp_path, source):
    batch = run(tmp_path, source, "fake.xlsx", bytes(range(256)) * 40)
    assert batch.state == "failed" and "fake.xlsx" in batch.message
    assert not WorkOrder.objects.exists()


def test_malformed_date_is_a_row_error_and_other_rows_are_kept(tmp_path, source):
    rows = [ROWS[0], "ZS3,2026年13月45日,内容,投诉,,普陀区,", ROWS[1]]
    batch = run(tmp_path, source, "d.csv", "\n".join([HEADER, *rows]))
    assert (batch.created, batch.errors) == (2, 1)
    issue = batch.issues.get(level="error")
    assert (issue.row, issue.column, issue.value) == (3, "受理时间", "2026年13月45日")


def test_same_order_twice_in_a_file_last_row_wins_and_is_reported(tmp_path, source):
    rows = [ROWS[0], ROWS[0].replace("拒不退款", "仍未退款")]
    batch = run(tmp_path, source, "dup.csv", "\n".join([HEADER, *rows]))
    assert WorkOrder.objects.get(order_no="ZS1").content == "朱家尖民宿因停航仍未退款"
    warning = batch.issues.get(level="warning", row=3)
    assert "重复" in warning.reason and "第2行" in warning.reason


def test_same_order_in_different_chunks_is_reported_too(tmp_path, source, settings):
    settings.JIDU_IMPORT_CHUNK = 2
    rows = [ROWS[0], ROWS[1], "ZS9,2026-09-03 09:00,其他,咨询,,,", ROWS[0].replace("拒不退款", "仍未退款")]
    batch = run(tmp_path, source, "dup.csv", "\n".join([HEADER, *rows]))
    assert WorkOrder.objects.get(order_no="ZS1").content == "朱家尖民宿因停航仍未退款"
    assert "第2行" in batch.issues.get(level="warning", row=5).reason


def test_unknown_department_is_kept_flagged_and_reported(tmp_path, source):
    rows = ["ZS5,2026-09-01 09:00,内容,投诉,舟山市火星局,普陀区,"]
    batch = run(tmp_path, source, "u.csv", "\n".join([HEADER, *rows]))
    assert batch.created == 1
    assert WorkOrder.objects.get(order_no="ZS5").flags[0]["code"] == "unknown_department"
    assert batch.issues.filter(level="warning", value="舟山市火星局").exists()


def test_hundred_thousand_character_content_is_imported(tmp_path, source):
    rows = ["ZS6,2026-09-01 09:00," + "海" * 100_000 + ",投诉,,普陀区,"]
    batch = run(tmp_path, source, "long.csv", "\n".join([HEADER, *rows]))
    assert batch.created == 1, list(batch.issues.values_list("reason", flat=True))
    assert len(WorkOrder.objects.get(order_no="ZS6").content) == 100_000


def test_mixed_encoding_rows_are_decoded_and_noted(tmp_path, source):
    content = ("\n".join([HEADER, ROWS[0]]) + "\n").encode("utf-8") + (ROWS[1] + "\n").encode("gbk")
    batch = run(tmp_path, source, "mixed.csv", content)
    assert batch.created == 2
    assert WorkOrder.objects.get(order_no="ZS2").content == "沈家门海鲜排档短斤少两"
    assert batch.issues.filter(level="warning").exists()


def test_formula_cells_are_stored_as_text_and_escaped_in_the_report(tmp_path, source):
    rows = ['ZS7,2026-09-01 09:00,"=HYPERLINK(""http://x"",""点我"")",投诉,,普陀区,',
            "ZS8,不是日期,+1+1,投诉,,普陀区,"]
    batch = run(tmp_path, source, "f.csv", "\n".join([HEADER, *rows]))
    assert WorkOrder.objects.get(order_no="ZS7").content.startswith("=HYPERLINK")
    buffer = io.BytesIO()
    write_issue_report(batch, buffer)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    header = [c.value for c in next(sheet.iter_rows())]
    assert header[:4] == ["行号", "列", "值", "原因"]


def test_xlsx_with_numbers_and_dates_imports(tmp_path, source):
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工单编号", "来电时间", "主要内容", "工单类型"])
    ws.append([20260901001, dt.datetime(2026, 9, 1, 9, 0), "花鸟岛民宿虚假宣传海景房", "投诉"])
    path = tmp_path / "o.xlsx"
    wb.save(path)
    batch = ImportBatch.objects.create(source=source, kind="file", filename="o.xlsx")
    batch = run_import(batch, path)
    assert batch.created == 1, batch.message
    assert WorkOrder.objects.get().order_no == "20260901001"


def test_header_synonym_added_by_an_administrator_is_used(tmp_path, source):
    HeaderSynonym.objects.create(field="content", header="群众心声")
    batch = run(tmp_path, source, "s.csv", "工单号,受理时间,群众心声\nZS1,2026-09-01 09:00,内容在此\n")
    assert batch.created == 1 and WorkOrder.objects.get().content == "内容在此"


def test_command_imports_and_writes_the_report(tmp_path, source):
    path = write(tmp_path, "cmd.csv", "\n".join([HEADER, ROWS[0], "ZS3,坏日期,x,投诉,,,"]))
    report = tmp_path / "report.xlsx"
    out = io.StringIO()
    call_command("import_orders", str(path), "--report", str(report), stdout=out)
    assert "新增1" in out.getvalue() and "错误1行" in out.getvalue()
    assert openpyxl.load_workbook(report).active.max_row == 2


def test_web_upload_imports_shows_progress_and_offers_the_report(make_user, source):
    client = Client()
    client.force_login(make_user("d", "dispatcher"))
    upload = SimpleUploadedFile("web.csv", "\n".join([HEADER, ROWS[0], "ZS3,坏日期,x,投诉,,,"]).encode("gbk"))
    res = client.post("/intake/import/", {"source": source.pk, "file": upload})
    assert res.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.state == "done" and batch.created == 1 and batch.created_by.username == "d"
    progress = client.get(f"/intake/batches/{batch.pk}/progress/").content.decode()
    assert "100%" in progress and "下载逐行问题报告" in progress
    report = client.get(f"/intake/batches/{batch.pk}/report.xlsx")
    assert report.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(report.content)).active.cell(2, 4).value


def test_web_upload_refuses_other_extensions(make_user, source):
    client = Client()
    client.force_login(make_user("d", "dispatcher"))
    res = client.post("/intake/import/", {"source": source.pk, "file": SimpleUploadedFile("x.pdf", b"%PDF")})
    assert res.status_code == 200 and "只支持" in res.content.decode()
    assert not ImportBatch.objects.exists()


def test_department_handler_cannot_see_import_batches(make_user, source, tmp_path):
    batch = run(tmp_path, source, "a.csv", "\n".join([HEADER, *ROWS]))
    client = Client()
    client.force_login(make_user("h", "handler", "SCJG"))
    assert client.get(f"/intake/batches/{batch.pk}/").status_code in (403, 404)
    assert client.get(f"/intake/batches/{batch.pk}/report.xlsx").status_code in (403, 404)
