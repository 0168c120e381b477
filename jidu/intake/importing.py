"""File imports (CSV and Excel): read a table, map its headers, stream its rows into the Ingestor,
and keep a row-level report. Used by the web upload (as a background task) and by the
`import_orders` management command."""

import logging
from collections.abc import Iterator
from pathlib import Path

from django.utils import timezone

from jidu.core import audit
from jidu.core.spreadsheets import write_xlsx
from jidu.intake.fields import FIELDS, LABELS, REQUIRED
from jidu.intake.models import HeaderSynonym, ImportBatch, ImportIssue
from jidu.intake.readers import ReaderError, map_headers, open_table
from jidu.intake.services import Ingestor, bump_batch

log = logging.getLogger(__name__)


def header_synonyms() -> dict[str, list[str]]:
    """Canonical field → accepted header names: the editable table, plus each field's own
    English name and Chinese label, so an export of Jidu itself always re-imports."""
    synonyms: dict[str, list[str]] = {f.name: [f.name, f.label] for f in FIELDS}
    for field, header in HeaderSynonym.objects.values_list("field", "header"):
        synonyms.setdefault(field, []).append(header)
    return synonyms


def _issue(batch, reason, *, column="", value="", level=ImportIssue.Level.ERROR):
    ImportIssue.objects.create(batch=batch, column=column, value=value, reason=reason, level=level)


def run_import(batch: ImportBatch, path: str | Path | None = None) -> ImportBatch:
    """Import the batch's file (or `path`). File-level problems fail the batch with a message;
    row-level problems are recorded and the other rows are kept."""
    path = Path(path or batch.file.path)
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.RUNNING, started_at=timezone.now(),
                                                   file_size=path.stat().st_size)
    batch.refresh_from_db()
    try:
        with open_table(path, filename=batch.filename or path.name) as table:
            mapping = map_headers(table.headers, header_synonyms())
            missing = mapping.missing(REQUIRED)
            if missing:
                names = "、".join(LABELS[m] for m in missing)
                raise ReaderError(batch.filename, f"文件 {batch.filename} 缺少必需的列：{names}。"
                                  f"请检查表头，或由管理员在“表头同义词”中添加该列的名称。")
            batch.encoding = table.encoding or ""
            batch.save(update_fields=["encoding"])
            for header in mapping.unknown:
                _issue(batch, "未识别的列，已忽略", column=header, level=ImportIssue.Level.WARNING)
            for header in getattr(mapping, "duplicates", []) or []:
                _issue(batch, "多个列对应同一字段，仅使用第一列", column=str(header),
                       level=ImportIssue.Level.WARNING)
            ingestor = Ingestor(batch.source, actor=batch.created_by,
                                actor_label=batch.actor_label or f"文件导入：{batch.filename}", batch=batch)

            def items() -> Iterator[tuple]:
                for row in table.rows():
                    record = {mapping.mapping[h]: v for h, v in row.values.items() if h in mapping.mapping}
                    yield row.number, record, row.warnings, getattr(row, "error", None)

            for outcomes in ingestor.ingest_chunks(items()):
                progress = table.progress
                bump_batch(batch, outcomes,
                           bytes_read=int(progress * batch.file_size) if progress is not None else None)
            for note in table.warnings:  # file-level notes, some found while reading rows
                _issue(batch, note, level=ImportIssue.Level.WARNING)
    except ReaderError as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.FAILED, message=exc.message if hasattr(exc, "message") else str(exc),
            finished_at=timezone.now())
        batch.refresh_from_db()
        return batch
    except Exception as exc:  # keep what was committed, and say what stopped the rest
        log.exception("import %s failed", batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.FAILED, finished_at=timezone.now(),
            message=f"导入中断：{type(exc).__name__}: {exc}。中断前已处理的行已保存，可修正后重新导入（不会重复）。")
        batch.refresh_from_db()
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.DONE, finished_at=timezone.now())
    batch.refresh_from_db()
    audit.record(audit.AuditLog.Action.IMPORT, user=batch.created_by, actor=batch.actor_label, obj=batch,
                 filename=batch.filename, created=batch.created, updated=batch.updated, errors=batch.errors)
    return batch


REPORT_HEADERS = ["行号", "列", "值", "原因", "级别", "工单编号"]


def write_issue_report(batch: ImportBatch, fileobj) -> None:
    """The row-level report as .xlsx: row, column, value, reason (values escaped against formulas)."""
    rows = (
        (i.row or "", i.column, i.value, i.reason, i.get_level_display(), i.order_no)
        for i in batch.issues.order_by("row", "id").iterator(chunk_size=2000)
    )
    write_xlsx(fileobj, REPORT_HEADERS, rows, sheet_title="导入问题")
