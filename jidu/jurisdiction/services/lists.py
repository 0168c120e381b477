"""Responsibility lists: search, save with version history, .xlsx export and import (same columns
both ways; import is idempotent on the entry code; row-level errors like the intake's)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jidu.core import audit
from jidu.core.spreadsheets import write_xlsx
from jidu.jurisdiction.models import EntrySource, ListEntry, ListType
from jidu.org.models import Department, Field

COLUMNS = ["条目编号", "清单类型", "事项", "事项说明", "关键词", "排除词", "执法领域", "主办部门", "协办部门",
           "按属地落到区县", "法规名称", "条款", "条文要点", "来源", "来源说明", "生效日期", "失效日期", "启用", "备注"]
REQUIRED = ["条目编号", "清单类型", "事项"]
SPLIT = re.compile(r"[、；;，,\n]+")
TRUE = {"是", "true", "1", "yes", "y", "启用", "√"}
FALSE = {"否", "false", "0", "no", "n", "停用", "×", ""}


def split_list(value) -> list[str]:
    return [p.strip() for p in SPLIT.split(str(value or "")) if p.strip()]


def search(qs: QuerySet, data: dict, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    if data.get("q"):
        term = data["q"].strip()
        for word in term.split():
            qs = qs.filter(search_text__icontains=word)
    if data.get("list_type"):
        qs = qs.filter(list_type=data["list_type"])
    if data.get("field"):
        qs = qs.filter(fields=data["field"])
    if data.get("department"):
        dept = data["department"]
        qs = qs.filter(Q(lead_department=dept) | Q(co_departments=dept))
    validity = data.get("validity")
    if validity == "valid":
        qs = qs.filter(active=True).filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    elif validity == "invalid":
        qs = qs.filter(Q(active=False) | Q(valid_from__gt=today) | Q(valid_to__lt=today))
    return qs.distinct()


def row_of(entry: ListEntry) -> list:
    return [entry.code, entry.get_list_type_display(), entry.matter, entry.description, "、".join(entry.keywords or []),
            "、".join(entry.exclude_keywords or []), "、".join(f.name for f in entry.fields.all()),
            entry.lead_department.name if entry.lead_department else "",
            "、".join(d.name for d in entry.co_departments.all()), "是" if entry.resolve_to_district else "否",
            entry.basis_law, entry.basis_article, entry.basis_text, entry.get_source_display(), entry.source_detail,
            entry.valid_from, entry.valid_to, "是" if entry.active else "否", entry.note]


def export_entries(qs: QuerySet, fileobj, *, user=None, request=None) -> int:
    qs = qs.select_related("lead_department").prefetch_related("fields", "co_departments").order_by("list_type", "code")
    count = write_xlsx(fileobj, COLUMNS, (row_of(e) for e in qs.iterator(chunk_size=500)), sheet_title="职责清单")
    audit.record(audit.AuditLog.Action.EXPORT, user=user, request=request, object_type="jurisdiction.listentry",
                 rows=count)
    return count


# ------------------------------------------------------------------------------------------ import
@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


class _Lookups:
    def __init__(self):
        self.depts: dict[str, Department] = {}
        for d in Department.objects.all():
            for name in [d.code, d.name, d.short_name, *(d.aliases or [])]:
                if name:
                    self.depts.setdefault(name.strip(), d)
        self.fields = {f.name: f for f in Field.objects.all()} | {f.code: f for f in Field.objects.all()}
        self.types = {label: value for value, label in ListType.choices} | {v: v for v in ListType.values}
        self.sources = {label: value for value, label in EntrySource.choices} | {v: v for v in EntrySource.values}


def _date(value, column, errors, row):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    match = re.fullmatch(r"(\d{4})[-年](\d{1,2})[-月](\d{1,2})日?", text)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    errors.append(RowError(row, column, str(value), "日期无法识别（应为 2026-01-31 这样的格式）"))
    return None


def parse_row(values: dict, row: int, lk: _Lookups) -> tuple[dict | None, list[RowError]]:
    errors: list[RowError] = []

    def text(col, limit=None):
        v = values.get(col)
        v = "" if v is None else str(v).strip()
        if limit and len(v) > limit:
            errors.append(RowError(row, col, v[:50], f"超过{limit}个字符"))
        return v

    for col in REQUIRED:
        if not text(col):
            errors.append(RowError(row, col, "", "必填"))
    list_type = lk.types.get(text("清单类型"))
    if text("清单类型") and list_type is None:
        errors.append(RowError(row, "清单类型", text("清单类型"), "未知清单类型（" + "、".join(ListType.labels) + "）"))
    source_label = text("来源") or "法律法规"
    source = lk.sources.get(source_label)
    if source is None:
        errors.append(RowError(row, "来源", source_label, "未知来源（" + "、".join(EntrySource.labels) + "）"))
    lead = None
    if text("主办部门"):
        lead = lk.depts.get(text("主办部门"))
        if lead is None:
            errors.append(RowError(row, "主办部门", text("主办部门"), "未知部门"))
    co = []
    for name in split_list(values.get("协办部门")):
        d = lk.depts.get(name)
        if d is None:
            errors.append(RowError(row, "协办部门", name, "未知部门"))
        else:
            co.append(d)
    fields = []
    for name in split_list(values.get("执法领域")):
        f = lk.fields.get(name)
        if f is None:
            errors.append(RowError(row, "执法领域", name, "未知执法领域"))
        else:
            fields.append(f)
    flags = {}
    for col, default in (("按属地落到区县", True), ("启用", True)):
        v = text(col).lower()
        if v == "":
            flags[col] = default
        elif v in TRUE:
            flags[col] = True
        elif v in FALSE:
            flags[col] = False
        else:
            errors.append(RowError(row, col, v, "应为 是/否"))
    valid_from = _date(values.get("生效日期"), "生效日期", errors, row)
    valid_to = _date(values.get("失效日期"), "失效日期", errors, row)
    if valid_from and valid_to and valid_to < valid_from:
        errors.append(RowError(row, "失效日期", str(valid_to), "失效日期早于生效日期"))
    data = {
        "code": text("条目编号", 40), "list_type": list_type, "matter": text("事项", 200),
        "description": text("事项说明"), "keywords": split_list(values.get("关键词")),
        "exclude_keywords": split_list(values.get("排除词")), "lead_department": lead,
        "resolve_to_district": flags.get("按属地落到区县", True), "basis_law": text("法规名称", 200),
        "basis_article": text("条款", 100), "basis_text": text("条文要点"), "source": source,
        "source_detail": text("来源说明", 300), "valid_from": valid_from, "valid_to": valid_to,
        "active": flags.get("启用", True), "note": text("备注"), "_fields": fields, "_co": co,
    }
    return (None if errors else data), errors


SCALAR = ["list_type", "matter", "description", "keywords", "exclude_keywords", "lead_department",
          "resolve_to_district", "basis_law", "basis_article", "basis_text", "source", "source_detail", "valid_from",
          "valid_to", "active", "note"]


def save_entry(data: dict, *, by=None, note: str = "") -> tuple[ListEntry, str]:
    """Create or update the entry with data["code"]; returns (entry, "created"|"updated"|"unchanged").
    A version is written only when something changed."""
    fields, co = data.get("_fields", []), data.get("_co", [])
    with transaction.atomic():
        entry = ListEntry.objects.select_for_update().filter(code=data["code"]).first()
        if entry is None:
            entry = ListEntry(code=data["code"])
            result = "created"
            before = None
        else:
            result = "updated"
            before = entry.snapshot()
        for name in SCALAR:
            if name in data:
                setattr(entry, name, data[name])
        if "from_dispute" in data:
            entry.from_dispute = data["from_dispute"]
        entry.save(versioned=False, version_by=by)
        entry.fields.set(fields)
        entry.co_departments.set(co)
        if before is not None and entry.snapshot() == before:
            return entry, "unchanged"
        entry.write_version(by, note or ("新建" if result == "created" else "修改"))
    return entry, result


def read_rows(fileobj):
    """Yield (row number, {header: value}) from an .xlsx (header = row 1)."""
    from openpyxl import load_workbook

    workbook = load_workbook(fileobj, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ValueError("文件缺少必需的列：" + "、".join(missing))
        for number, cells in enumerate(rows, start=2):
            if not any(c not in (None, "") for c in cells):
                continue
            values = {}
            for h, v in zip(header, cells):
                if h and h not in values:
                    values[h] = v.strip().lstrip("'") if isinstance(v, str) and v.startswith("'") else v
            yield number, values
    finally:
        workbook.close()


def import_entries(fileobj, *, by=None, request=None, filename: str = "") -> ImportReport:
    report = ImportReport()
    lk = _Lookups()
    seen: dict[str, int] = {}
    try:
        rows = list(read_rows(fileobj))
    except ValueError as exc:
        report.errors.append(RowError(1, "", "", str(exc)))
        return report
    except Exception as exc:  # not an .xlsx
        report.errors.append(RowError(0, "", filename, f"无法读取 .xlsx 文件：{exc}"))
        return report
    for number, values in rows:
        data, errors = parse_row(values, number, lk)
        if data and data["code"] in seen:
            errors.append(RowError(number, "条目编号", data["code"], f"与第{seen[data['code']]}行编号重复，未导入"))
            data = None
        if errors:
            report.errors.extend(errors)
            continue
        seen[data["code"]] = number
        _entry, result = save_entry(data, by=by, note=f"导入 {filename}".strip())
        setattr(report, result, getattr(report, result) + 1)
    audit.record(audit.AuditLog.Action.IMPORT, user=by, request=request, object_type="jurisdiction.listentry",
                 filename=filename, created=report.created, updated=report.updated, unchanged=report.unchanged,
                 errors=len(report.errors))
    return report


def report_xlsx(report: ImportReport, fileobj) -> int:
    return write_xlsx(fileobj, ["行号", "列", "值", "原因"],
                      ([e.row, e.column, e.value, e.reason] for e in report.errors), sheet_title="导入问题")


def load_catalogue_data(items: list[dict], *, by=None) -> dict[str, int]:
    """Load entries from the JSON catalogue format (department and field by code or name)."""
    lk = _Lookups()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for item in items:
        values = {
            "条目编号": item["code"], "清单类型": item["list_type"], "事项": item["matter"],
            "事项说明": item.get("description", ""), "关键词": "、".join(item.get("keywords", [])),
            "排除词": "、".join(item.get("exclude_keywords", [])), "执法领域": "、".join(item.get("fields", [])),
            "主办部门": item.get("lead", ""), "协办部门": "、".join(item.get("co", [])),
            "按属地落到区县": "是" if item.get("resolve_to_district", True) else "否",
            "法规名称": item.get("basis_law", ""), "条款": item.get("basis_article", ""),
            "条文要点": item.get("basis_text", ""), "来源": item.get("source", "法律法规"),
            "来源说明": item.get("source_detail", ""), "生效日期": item.get("valid_from"),
            "失效日期": item.get("valid_to"), "启用": "是" if item.get("active", True) else "否",
            "备注": item.get("note", ""),
        }
        data, errors = parse_row(values, 0, lk)
        if errors:
            raise ValueError(f"清单条目 {item.get('code')}：" + "；".join(f"{e.column} {e.value} {e.reason}" for e in errors))
        _entry, result = save_entry(data, by=by, note="载入舟山起步清单")
        counts[result] += 1
    return counts
