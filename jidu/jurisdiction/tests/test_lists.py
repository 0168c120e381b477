import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jidu.jurisdiction.models import ListEntry, ListEntryVersion, ListType
from jidu.jurisdiction.services import lists

pytestmark = pytest.mark.django_db
CATALOGUE = Path(__file__).resolve().parents[1] / "data" / "zhoushan_catalogue.json"


def test_starter_catalogue_loaded_with_legal_basis():
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))["entries"]
    assert len(data) >= 40
    assert ListEntry.objects.count() >= 40
    for entry in ListEntry.objects.all():
        assert entry.basis_law and entry.lead_department_id and entry.keywords, entry.code
        assert not any("\\b" in k for k in entry.keywords)
    price = ListEntry.objects.get(code="ZS-PD-001")
    assert "价格法" in price.basis_law and "第十四条" in price.basis_article
    assert price.versions.count() == 1
    types = set(ListEntry.objects.values_list("list_type", flat=True))
    assert types == set(ListType.values)


def test_every_save_writes_a_version(make_user, dept):
    user = make_user("sup", "supervisor")
    entry, result = lists.save_entry({"code": "T-1", "list_type": "catalogue", "matter": "测试事项",
                                      "keywords": ["甲乙"], "lead_department": dept("SCJG")}, by=user)
    assert result == "created"
    entry.matter = "改过的事项"
    entry.save(version_by=user, version_note="手工修改")
    versions = list(entry.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].data["matter"] == "测试事项" and versions[1].data["matter"] == "改过的事项"
    assert versions[1].by == user
    _, again = lists.save_entry({"code": "T-1", "list_type": "catalogue", "matter": "改过的事项",
                                 "keywords": ["甲乙"], "lead_department": dept("SCJG")}, by=user)
    assert again == "unchanged" and entry.versions.count() == 2
    with pytest.raises(Exception):
        versions[0].delete()


def _export(qs) -> bytes:
    buf = io.BytesIO()
    lists.export_entries(qs, buf)
    return buf.getvalue()


def test_export_import_round_trip_with_bad_row(make_user):
    user = make_user("sup", "supervisor")
    qs = ListEntry.objects.filter(code__in=["ZS-PD-001", "ZS-PD-013", "ZS-PD-029"])
    raw = _export(qs)
    wb = load_workbook(io.BytesIO(raw))
    ws = wb.active
    assert [c.value for c in ws[1]] == lists.COLUMNS
    assert ws.max_row == 4
    # re-import unchanged: idempotent, no new versions
    before = ListEntryVersion.objects.count()
    report = lists.import_entries(io.BytesIO(raw), by=user, filename="x.xlsx")
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 3, [])
    assert ListEntryVersion.objects.count() == before
    # edit one row, add a new one, add a bad one
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    rows[1:] = sorted(rows[1:], key=lambda r: r[0] != "ZS-PD-001")
    rows[1][2] = "海鲜排档价格欺诈（修订）"
    new = list(rows[1])
    new[0], new[2] = "NEW-1", "新事项"
    bad = list(rows[1])
    bad[0], bad[7], bad[15] = "BAD-1", "不存在的局", "2026-13-45"
    out = Workbook()
    sheet = out.active
    for r in [rows[0], rows[1], rows[2], rows[3], new, bad]:
        sheet.append(r)
    buf = io.BytesIO()
    out.save(buf)
    buf.seek(0)
    report = lists.import_entries(buf, by=user, filename="edit.xlsx")
    assert (report.created, report.updated, report.unchanged) == (1, 1, 2)
    assert {(e.row, e.column) for e in report.errors} == {(6, "主办部门"), (6, "生效日期")}
    assert not ListEntry.objects.filter(code="BAD-1").exists()
    edited = ListEntry.objects.get(code="ZS-PD-001")
    assert edited.matter == "海鲜排档价格欺诈（修订）" and edited.versions.count() == 2
    assert edited.versions.first().by == user
    copy = ListEntry.objects.get(code="NEW-1")
    assert copy.basis_article == edited.basis_article and set(copy.co_departments.all()) == set(
        edited.co_departments.all())
    report_buf = io.BytesIO()
    assert lists.report_xlsx(report, report_buf) == 2


def test_import_missing_columns_is_a_clear_error():
    out = Workbook()
    out.active.append(["编号", "事项"])
    buf = io.BytesIO()
    out.save(buf)
    buf.seek(0)
    report = lists.import_entries(buf)
    assert "缺少必需的列" in report.errors[0].reason


def test_search_and_filter(dept):
    qs = ListEntry.objects.all()
    assert set(lists.search(qs, {"q": "短斤少两"}).values_list("code", flat=True)) >= {"ZS-PD-002"}
    assert lists.search(qs, {"list_type": "boundary"}).count() >= 3
    assert all(e.lead_department_id == dept("GAJ").pk or dept("GAJ") in e.co_departments.all()
               for e in lists.search(qs, {"department": dept("GAJ")}))
    ListEntry.objects.filter(code="ZS-PD-002").update(valid_to="2020-01-01")
    assert not lists.search(qs, {"validity": "valid"}).filter(code="ZS-PD-002").exists()
    assert lists.search(qs, {"validity": "invalid"}).filter(code="ZS-PD-002").exists()
