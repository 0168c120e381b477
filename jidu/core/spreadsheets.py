"""Spreadsheet exports (.xlsx and CSV) that are safe to open in Excel / WPS / LibreOffice.

Pure Python (no Django). Every export in Jidu (order lists, import error reports, statistics)
goes through here so that no cell can ever be evaluated as a formula (CSV / formula injection):

* :func:`safe_cell` prefixes an apostrophe to a string that starts with = + - @ TAB or CR.
* :func:`write_xlsx` streams with openpyxl's write-only mode, applies :func:`safe_cell` and also
  writes every string cell with the explicit string type (openpyxl would otherwise store a
  string starting with "=" as a formula).
* :func:`write_csv` writes UTF-8 with a BOM (so Excel recognises Chinese text) through
  :func:`safe_cell`.
"""

from __future__ import annotations

import datetime as _dt
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

__all__ = ["FORMULA_TRIGGERS", "XLSX_MAX_CELL_CHARS", "safe_cell", "write_csv", "write_xlsx"]

#: Leading characters that make spreadsheet programs treat a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: Excel's hard limit on characters in one cell; longer text is cut with a visible marker.
XLSX_MAX_CELL_CHARS = 32767
_TRUNCATED = "…（内容过长，已截断）"

#: Integers with more digits than this lose precision as Excel numbers (15 significant digits),
#: so they are written as text: 17-digit order numbers stay exact.
_MAX_EXACT_DIGITS = 15

#: Rows looked at (and held in memory) to size the columns before streaming the rest.
_WIDTH_SAMPLE_ROWS = 200
_MIN_WIDTH, _MAX_WIDTH = 6, 60

_SHANGHAI = _dt.timezone(_dt.timedelta(hours=8), "Asia/Shanghai")
# Control characters that XML 1.0 (and hence .xlsx) cannot contain.
_ILLEGAL_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_SHEET_TITLE_CHARS = re.compile(r"[\[\]:*?/\\]")


def safe_cell(value: Any) -> Any:
    """Neutralise formula injection: a string starting with = + - @ TAB or CR gets a leading
    apostrophe (shown as text, never evaluated). Other values (including None and numbers,
    e.g. a negative int) are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _local_naive(value: _dt.datetime) -> _dt.datetime:
    if value.tzinfo is not None and value.utcoffset() is not None:
        return value.astimezone(_SHANGHAI).replace(tzinfo=None)
    return value


def _xlsx_text(value: str) -> str:
    text = _ILLEGAL_XML_CHARS.sub("\ufffd", safe_cell(value))
    if len(text) > XLSX_MAX_CELL_CHARS:
        text = text[: XLSX_MAX_CELL_CHARS - len(_TRUNCATED)] + _TRUNCATED
    return text


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, _dt.datetime):
        return 19
    if isinstance(value, _dt.date):
        return 10
    text = str(value)
    first_line = max(text.splitlines() or [""], key=len)[:200]
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in first_line)


def write_xlsx(fileobj: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]], sheet_title: str = "Sheet1") -> int:
    """Write ``headers`` (bold, frozen) and ``rows`` to an .xlsx in ``fileobj`` (a path or a
    binary file object); returns the number of data rows written.

    Streams with openpyxl's write-only mode: only the first 200 rows are held, to size the
    columns. Cell handling: strings go through :func:`safe_cell`, get the explicit string type,
    lose XML-illegal control characters (→ U+FFFD) and are cut at Excel's 32,767-character
    limit with a visible marker; tz-aware datetimes are converted to Shanghai time (Excel has no
    time zones); integers beyond 15 digits are written as text so they stay exact; None is an
    empty cell; bool/int/float/Decimal/date/datetime/time stay typed; anything else is str().
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    title = _BAD_SHEET_TITLE_CHARS.sub("_", sheet_title or "Sheet1")[:31] or "Sheet1"
    sheet = workbook.create_sheet(title)

    def cell(value: Any, bold: bool = False) -> Any:
        if isinstance(value, str) or bold:
            result = WriteOnlyCell(sheet, value=_xlsx_text("" if value is None else str(value)))
            result.data_type = "s"  # never a formula ("=…") nor an error code ("#N/A")
            if bold:
                result.font = Font(bold=True)
            return result
        if value is None or isinstance(value, (bool, float, Decimal, _dt.date, _dt.time, _dt.timedelta)):
            if isinstance(value, _dt.datetime):
                return _local_naive(value)
            if isinstance(value, _dt.time) and value.tzinfo is not None:
                return value.replace(tzinfo=None)
            return value
        if isinstance(value, int):
            return value if len(str(abs(value))) <= _MAX_EXACT_DIGITS else cell(str(value))
        return cell(str(value))

    iterator = iter(rows)
    head = list(itertools.islice(iterator, _WIDTH_SAMPLE_ROWS))
    widths = [_display_width(h) for h in headers]
    for row in head:
        for index, value in enumerate(row):
            width = _display_width(value)
            if index >= len(widths):
                widths.append(width)
            elif width > widths[index]:
                widths[index] = width
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(_MAX_WIDTH, max(_MIN_WIDTH, width + 2))
    sheet.freeze_panes = "A2"

    sheet.append([cell(h, bold=True) for h in headers])
    count = 0
    for row in itertools.chain(head, iterator):
        sheet.append([cell(v) for v in row])
        count += 1
    workbook.save(fileobj)
    return count


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):
        return _local_naive(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(safe_cell(value)) if isinstance(value, str) else str(value)


def write_csv(fileobj_text: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a CSV: UTF-8 with BOM (Excel then reads Chinese correctly), CRLF line ends, minimal
    quoting, :func:`safe_cell` on every string; returns the number of data rows written.

    ``fileobj_text`` is a text stream opened with ``encoding="utf-8", newline=""`` (or anything
    with ``write(str)``, e.g. a Django HttpResponse); a binary stream is wrapped (UTF-8) for the
    duration of the call and left open. The BOM is written first, so pass an empty stream.
    Datetimes are written "YYYY-MM-DD HH:MM:SS" (tz-aware ones in Shanghai time), None as "".
    """
    import csv

    binary = isinstance(fileobj_text, (io.RawIOBase, io.BufferedIOBase))
    target = io.TextIOWrapper(fileobj_text, encoding="utf-8", newline="") if binary else fileobj_text
    try:
        target.write("\ufeff")
        writer = csv.writer(target, lineterminator="\r\n")
        writer.writerow([_csv_text(h) for h in headers])
        count = 0
        for row in rows:
            writer.writerow([_csv_text(v) for v in row])
            count += 1
    finally:
        if binary:
            target.flush()
            target.detach()
    return count


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, write) -> "HttpResponse":  # noqa: F821 (Django imported lazily)
    """An attachment response whose body `write(fileobj)` fills; the Chinese file name is
    encoded per RFC 5987 so browsers keep it."""
    import io
    from urllib.parse import quote

    from django.http import HttpResponse

    buffer = io.BytesIO()
    write(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
