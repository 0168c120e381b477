"""File layer of intake: open a CSV or .xlsx export of hotline work orders and stream its rows.

Pure Python (no Django): the Django side maps the rows onto orders and upserts them.

* ``open_table(path_or_fileobj, filename=None) -> Table`` sniffs the content (a zip is .xlsx,
  anything else must be text) rather than trusting the extension, reads the header row and
  returns a :class:`Table` whose ``rows()`` is a generator of :class:`RawRow` that reads the file
  as it goes (constant memory).
* CSV encodings: UTF-8 (with or without BOM), GBK / GB18030 (GB18030 is a superset of GBK and is
  always used to decode them) and, if there is a BOM, UTF-16 (Excel's "Unicode text").
  Files mixing UTF-8 and GBK lines are decoded line by line (see ``_CsvTable._decode``).
* ``normalise_header`` / ``map_headers`` map the varying header texts of different hotline
  systems onto canonical field names through a synonym table.

All messages meant for users are Simplified Chinese; every file-level message names the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import itertools
import math
import os
import re
import tempfile
import threading
import unicodedata
import warnings as _warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, BinaryIO, Self

__all__ = [
    "FIELD_SIZE_LIMIT",
    "SAMPLE_SIZE",
    "HeaderMap",
    "RawRow",
    "ReaderError",
    "Table",
    "map_headers",
    "normalise_header",
    "open_table",
]

#: Bytes read up front to sniff the file type and the CSV encoding / delimiter.
SAMPLE_SIZE = 64 * 1024

#: csv.field_size_limit counts *characters* and defaults to 131,072. Hotline exports carry long
#: free-text fields (content, reply, full call notes); a 100,000-character content field (300 KB
#: in UTF-8) must parse, and some systems emit longer ones. 16 M characters is far above any real
#: field yet still a ceiling, so a stray unclosed quote that swallows the rest of a file ends in a
#: row error instead of unbounded memory use. The limit is process-global in the csv module; we
#: only ever raise it (never lower a larger value set by someone else).
FIELD_SIZE_LIMIT = 16 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))

#: A physical line longer than this is treated as a corrupt file (protects memory).
MAX_LINE_BYTES = 4 * FIELD_SIZE_LIMIT

#: At most this many one-cell title rows ("舟山市12345工单明细表") are skipped above the header.
MAX_TITLE_ROWS = 3

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, or an encrypted .xlsx
_UTF8_BOM = codecs.BOM_UTF8
_ENCODING_LABELS = {"utf-8": "UTF-8", "gb18030": "GBK/GB18030"}
_CANDIDATE_DELIMITERS = (",", "\t", ";")

# Characters stripped from both ends of every cell: all Unicode whitespace (incl. the full-width
# space U+3000 and NBSP) plus BOM and zero-width characters, which str.strip() keeps.
# (Written out: scanning all 1.1 million code points for str.isspace() took 0.1 s per process;
# a test checks the list against that scan.)
_UNICODE_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_STRIP_CHARS = _UNICODE_SPACES + "\ufeff\u200b\u200c\u200d\u2060"

# A header row whose every non-empty cell looks like this is data, not column names.
_DATA_LIKE = re.compile(r"[\d\s.,:/+\-年月日时分秒T]*\d[\d\s.,:/+\-年月日时分秒T]*")


# --------------------------------------------------------------------------------------------
# Public types
# --------------------------------------------------------------------------------------------


class ReaderError(Exception):
    """A problem with the whole file (not one row). ``message`` is Chinese and names the file."""

    def __init__(self, filename: str, message: str):
        super().__init__(message)
        self.filename = filename
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass
class RawRow:
    """One data row as read from the file.

    ``number`` is the row number a person sees in a spreadsheet program (header = row 1 unless
    title rows precede it; blank rows count but are not yielded; a CSV record with a quoted
    multi-line field is one row). ``values`` is keyed by the original header text (stripped).
    ``warnings`` are row-level notes (e.g. decoded from a different encoding); ``error`` is set
    when the row cannot be imported at all (undecodable bytes, broken CSV quoting) and the
    caller should report it as a row error and go on with the next row.
    """

    number: int
    values: dict[str, object]
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


class Table:
    """An opened CSV or .xlsx table. Use as a context manager or call :meth:`close`.

    Attributes: ``filename``, ``kind`` ("csv" / "xlsx"), ``encoding`` (CSV: "utf-8",
    "utf-8-sig", "gb18030" or "utf-16"; None for xlsx), ``delimiter`` (CSV), ``sheet_name``
    (xlsx), ``header_row`` (row number of the header), ``headers`` (column keys in order: the
    header texts, stripped; a repeated header text gets a "（第N列）" suffix so keys stay
    unique), ``warnings`` (file-level notes; more may be appended while ``rows()`` runs, e.g.
    the first time a line in another encoding is met, so read it again afterwards).
    """

    kind: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheet_name: str | None = None

    def __init__(self, filename: str):
        self.filename = filename
        self.headers: list[str] = []
        self.header_row = 1
        self.warnings: list[str] = []
        self.rows_read = 0
        self._columns: list[tuple[int, str]] = []  # (cell index, header key)
        self._width = 0  # number of cells covered by the header (incl. interior empty headers)
        self._headerless: set[int] = set()
        self._warned_headerless: set[int] = set()
        self._records: _Lookahead | None = None
        self._rows_started = False
        self._closers: list[Any] = []

    # -- public --------------------------------------------------------------------------------

    def rows(self) -> Iterator[RawRow]:
        """Yield the data rows lazily (a generator); blank rows are skipped. Single pass."""
        if self._rows_started:
            raise RuntimeError("Table.rows() can only be iterated once")
        self._rows_started = True
        return self._iter_rows()

    @property
    def progress(self) -> float | None:
        """Fraction (0–1) of the file consumed so far, or None if unknown."""
        return None

    def add_warning(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def close(self) -> None:
        while self._closers:
            closer = self._closers.pop()
            try:
                closer()
            except Exception:  # noqa: BLE001, S110 - closing is best effort  # pragma: no cover
                pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.filename!r} kind={self.kind} headers={len(self.headers)}>"

    # -- shared machinery ------------------------------------------------------------------------

    def _iter_raw_records(self) -> Iterator[tuple[int, list[object], list[str], str | None]]:
        """(row number, cleaned cells, row warnings, row error), blank rows included."""
        raise NotImplementedError

    def _init_header(self) -> None:
        """Read up to the header row. Called once by open_table."""
        self._records = _Lookahead(r for r in self._iter_raw_records() if not _is_blank(r))
        first = self._records.next()
        if first is None:
            raise ReaderError(self.filename, self._empty_message())
        titles: list[str] = []
        while _count_filled(first[1]) == 1 and len(titles) < MAX_TITLE_ROWS:
            following = self._records.peek()
            if following is None or _count_filled(following[1]) < 2:
                break
            titles.append(f"第{first[0]}行（“{_preview(_first_filled(first[1]))}”）")
            first = self._records.next()
        if titles:
            self.add_warning(
                f"文件 {self.filename} 表头上方的标题行已跳过：{'、'.join(titles)}；表头取第{first[0]}行"
            )
        number, cells, row_warnings, error = first
        if error:
            raise ReaderError(self.filename, f"文件 {self.filename} 的表头（第{number}行）无法读取：{error}")
        for note in row_warnings:
            self.add_warning(f"表头（第{number}行）：{note}")
        self.header_row = number
        self._set_headers(cells)

    def _set_headers(self, cells: Sequence[object]) -> None:
        texts = [_header_text(c) for c in cells]
        while texts and not texts[-1]:
            texts.pop()
        filled = [(i, c) for i, c in enumerate(cells) if i < len(texts) and texts[i]]
        if filled and all(_looks_like_data(c) for _, c in filled):
            sample = "、".join(f"“{_preview(texts[i], 12)}”" for i, _ in filled[:3])
            raise ReaderError(
                self.filename,
                f"文件 {self.filename} 缺少表头：第{self.header_row}行是数据（{sample}）而不是列名，"
                f"第一行应为“工单编号”“受理时间”等列名",
            )
        seen: dict[str, int] = {}
        for index, text in enumerate(texts):
            if not text:
                self._headerless.add(index)
                continue
            key = text
            if text in seen:
                key = f"{text}（第{index + 1}列）"
                self.add_warning(
                    f"文件 {self.filename} 的表头“{text}”重复出现（第{seen[text] + 1}列和第{index + 1}列），"
                    f"第{index + 1}列改称“{key}”"
                )
            else:
                seen[text] = index
            self._columns.append((index, key))
            self.headers.append(key)
        self._width = len(texts)
        if not self.headers:  # pragma: no cover - a non-blank header row has a filled cell
            raise ReaderError(self.filename, f"文件 {self.filename} 缺少表头")

    def _iter_rows(self) -> Iterator[RawRow]:
        assert self._records is not None
        count = 0
        for number, cells, row_warnings, error in self._records:
            count += 1
            self.rows_read = count
            yield self._make_row(number, cells, row_warnings, error)
        if count == 0:
            self.add_warning(f"文件 {self.filename} 只有表头，没有数据行")

    def _make_row(self, number: int, cells: list[object], row_warnings: list[str], error: str | None) -> RawRow:
        values: dict[str, object] = {}
        n = len(cells)
        for index, key in self._columns:
            values[key] = cells[index] if index < n else None
        for index in self._headerless:
            if index < n and cells[index] is not None and index not in self._warned_headerless:
                self._warned_headerless.add(index)
                self.add_warning(f"文件 {self.filename} 第{index + 1}列没有表头，该列内容已忽略")
        if n > self._width:
            extra = [c for c in cells[self._width:] if c is not None]
            if extra:
                shown = "、".join(f"‘{_preview(c)}’" for c in extra[:3])
                more = "等" if len(extra) > 3 else ""
                row_warnings = [
                    *row_warnings,
                    (
                        f"该行比表头多出{len(extra)}个有内容的单元格，已忽略：{shown}{more}"
                        "（CSV中可能是内容里的逗号没有加引号）"
                    ),
                ]
        return RawRow(number=number, values=values, warnings=list(row_warnings), error=error)

    def _empty_message(self) -> str:
        return f"文件 {self.filename} 为空（没有任何内容）"


# --------------------------------------------------------------------------------------------
# open_table and sniffing
# --------------------------------------------------------------------------------------------


def open_table(path_or_fileobj: str | os.PathLike[str] | BinaryIO, filename: str | None = None) -> Table:
    """Open a CSV or .xlsx file (path or binary file object) and read its header row.

    The kind is decided by content, not by extension: a zip (``PK\\x03\\x04``) is opened as
    .xlsx, text is read as CSV, anything else (NUL bytes, legacy .xls, HTML …) raises
    :class:`ReaderError`. File objects must be binary; a non-seekable one is first spooled to a
    temporary file (memory stays bounded). A file object passed in is not closed by
    ``Table.close()``; a file opened here from a path is.
    """
    closers: list[Any] = []
    if isinstance(path_or_fileobj, (str, os.PathLike)):
        path = os.fspath(path_or_fileobj)
        name = filename or os.path.basename(path)
        try:
            stream: Any = open(path, "rb")  # noqa: SIM115 - owned and closed by the Table
        except OSError as exc:
            raise ReaderError(name, f"文件 {name} 无法打开：{exc.strerror or exc}") from exc
        closers.append(stream.close)
    else:
        stream = path_or_fileobj
        name = filename or _name_of(stream)
        if isinstance(stream, io.TextIOBase):
            raise TypeError("open_table() needs a binary file object (open the file with 'rb')")
        if isinstance(stream, io.RawIOBase):
            stream = io.BufferedReader(stream)
        if not _is_seekable(stream):
            spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by the Table
            while True:
                chunk = stream.read(1024 * 1024)
                if not chunk:
                    break
                if not isinstance(chunk, bytes):
                    raise TypeError("open_table() needs a binary file object (open the file with 'rb')")
                spool.write(chunk)
            spool.seek(0)
            stream = spool
            closers.append(spool.close)
    try:
        table = _open_stream(stream, name)
    except BaseException:
        for closer in reversed(closers):
            closer()
        raise
    table._closers[:0] = closers
    return table


def _open_stream(stream: Any, name: str) -> Table:
    start = stream.tell()
    sample = stream.read(SAMPLE_SIZE)
    if not isinstance(sample, bytes):
        raise TypeError("open_table() needs a binary file object (open the file with 'rb')")
    at_eof = len(sample) < SAMPLE_SIZE
    stream.seek(start)
    lower = name.lower()

    if not sample or not sample.strip(b" \t\r\n\x0b\x0c" + _UTF8_BOM):
        raise ReaderError(name, f"文件 {name} 为空（没有任何内容）")
    if sample.startswith(_ZIP_MAGIC):
        if b"mimetypeapplication/vnd.oasis.opendocument" in sample[:200]:
            raise ReaderError(name, f"文件 {name} 是OpenDocument表格（.ods），请用Excel或WPS另存为.xlsx后再导入")
        return _XlsxTable(stream, name)
    if sample.startswith(_OLE_MAGIC):
        raise ReaderError(
            name,
            f"文件 {name} 是旧版Excel（.xls）格式或加密的Excel文件，不能直接导入；"
            "请用Excel或WPS打开后另存为.xlsx（不设密码）或CSV再导入",
        )
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _CsvTable(stream, name, sample, at_eof, utf16=True)
    if b"\x00" in sample:
        if lower.endswith((".xlsx", ".xlsm", ".xls")):
            raise ReaderError(name, f"文件 {name} 不是有效的Excel文件（可能是其他格式改了扩展名）")
        raise ReaderError(name, f"文件 {name} 不是文本格式的CSV文件，也不是Excel文件（含有二进制内容）")
    head = sample.lstrip(_UTF8_BOM + b" \t\r\n")[:64].lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head")):
        raise ReaderError(
            name,
            f"文件 {name} 是网页（HTML）或XML格式的表格，不是真正的Excel或CSV文件；"
            "请用Excel或WPS打开后另存为.xlsx再导入",
        )
    table = _CsvTable(stream, name, sample, at_eof)
    if lower.endswith((".xlsx", ".xlsm", ".xls")):
        table.add_warning(f"文件 {name} 的扩展名是Excel，但内容是文本，已按CSV读取")
    return table


def _name_of(stream: Any) -> str:
    name = getattr(stream, "name", None)
    if isinstance(name, str) and name:
        return os.path.basename(name)
    return "上传的文件"


def _is_seekable(stream: Any) -> bool:
    try:
        if hasattr(stream, "seekable") and not stream.seekable():
            return False
        stream.tell()
        return True
    except (OSError, AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------


class _CsvTable(Table):
    kind = "csv"

    def __init__(self, stream: Any, filename: str, sample: bytes, at_eof: bool, utf16: bool = False):
        super().__init__(filename)
        self._stream = stream
        self._start = stream.tell()
        self._total = _remaining_size(stream)
        self._bytes_read = 0
        self._utf16 = utf16
        self._main: str | None = None  # main encoding; None while only ASCII has been seen
        self._mixed_warned = False
        # per-record bookkeeping, filled by _feed while csv.reader pulls lines
        self._pending_warnings: list[str] = []
        self._pending_error: str | None = None
        self._lines_in_record = 0
        self._unterminated = False

        if utf16:
            self.encoding = "utf-16"
            self._cr_only = False
        else:
            self._cr_only = b"\n" not in sample and b"\r" in sample
            self._detect_encoding(sample, at_eof)
        try:
            lines = self._decoded_lines()
            buffered, self.delimiter = self._detect_delimiter(lines)
            self._source = itertools.chain(buffered, lines)
            self._init_header()
        except BaseException:
            self.close()
            raise

    @property
    def progress(self) -> float | None:
        if not self._total:
            return None
        return min(1.0, self._bytes_read / self._total)

    # -- encoding ------------------------------------------------------------------------------

    def _detect_encoding(self, sample: bytes, at_eof: bool) -> None:
        """Vote line by line over the sample: UTF-8 (strict) first, else GB18030.

        Only lines with non-ASCII bytes vote; the last line of a sample that stops mid-file is
        decoded incrementally (``final=False``) so a multibyte character cut by the sample
        boundary does not count against UTF-8. The majority (ties → UTF-8) becomes the main
        encoding; if both voted, the file is reported as mixed straight away.
        """
        bom = sample.startswith(_UTF8_BOM)
        if bom:
            sample = sample[len(_UTF8_BOM):]
        separator = b"\r" if self._cr_only else b"\n"
        lines = sample.split(separator)
        votes = {"utf-8": 0, "gb18030": 0}
        for i, line in enumerate(lines):
            final = at_eof or i < len(lines) - 1
            kind = _classify(line, final)
            if kind in votes:
                votes[kind] += 1
        if bom:
            self._main = "utf-8"
        elif votes["utf-8"] or votes["gb18030"]:
            self._main = "utf-8" if votes["utf-8"] >= votes["gb18030"] else "gb18030"
        self.encoding = "utf-8-sig" if bom else (self._main or "utf-8")
        if votes["utf-8"] and votes["gb18030"]:
            self._warn_mixed("gb18030" if self._main == "utf-8" else "utf-8")

    def _warn_mixed(self, other: str) -> None:
        if self._mixed_warned:
            return
        self._mixed_warned = True
        main = _ENCODING_LABELS[self._main or "utf-8"]
        self.add_warning(
            f"文件 {self.filename} 检测到混合编码：主体为{main}，部分行为{_ENCODING_LABELS[other]}，"
            "已逐行识别解码，这些行带有提示，请核对其内容"
        )

    def _decode(self, raw: bytes) -> tuple[str, str | None, str | None]:
        """Decode one physical line → (text, row warning, row error).

        Every non-ASCII line is tried as strict UTF-8 first and then as GB18030, whatever the
        main encoding: GB18030 accepts most UTF-8 byte sequences (yielding mojibake without an
        error), while GBK text is practically never valid UTF-8, so this order is the reliable
        one. A line decoded with the non-main encoding gets a row warning (and the file a
        "mixed encoding" warning once). A line neither decodes is decoded with replacement
        characters so the CSV structure survives, and its row gets an error.
        """
        if raw.isascii():
            return raw.decode("ascii"), None, None
        for encoding in ("utf-8", "gb18030"):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            if self._main is None:
                self._main = encoding
                if self.encoding != "utf-8-sig":
                    self.encoding = encoding
                return text, None, None
            if encoding != self._main:
                self._warn_mixed(encoding)
                return text, (
                    f"该行不是文件主体的{_ENCODING_LABELS[self._main]}编码，已按{_ENCODING_LABELS[encoding]}解码，"
                    "请核对内容"
                ), None
            return text, None, None
        text = raw.decode(self._main or "utf-8", errors="replace")
        return text, None, "该行含有无法识别的字符（既不是UTF-8也不是GBK/GB18030编码），无法导入，请检查文件编码"

    # -- lines ----------------------------------------------------------------------------------

    def _raw_lines(self) -> Iterator[bytes]:
        stream = self._stream
        if self._cr_only:
            tail = b""
            while True:
                chunk = stream.read(256 * 1024)
                if not chunk:
                    break
                parts = (tail + chunk).split(b"\r")
                tail = parts.pop()
                for part in parts:
                    yield part + b"\r"
                if len(tail) > MAX_LINE_BYTES:
                    raise ReaderError(self.filename, self._too_long())
            if tail:
                yield tail
            return
        while True:
            line = stream.readline(MAX_LINE_BYTES)
            if not line:
                return
            if len(line) >= MAX_LINE_BYTES and not line.endswith(b"\n"):
                raise ReaderError(self.filename, self._too_long())
            yield line

    def _too_long(self) -> str:
        return f"文件 {self.filename} 中有一行超过{MAX_LINE_BYTES // (1024 * 1024)}MB，文件可能已损坏"

    def _decoded_lines(self) -> Iterator[tuple[str, str | None, str | None]]:
        if self._utf16:
            yield from self._utf16_lines()
            return
        first = True
        for raw in self._raw_lines():
            self._bytes_read += len(raw)
            if first:
                first = False
                raw = raw.removeprefix(_UTF8_BOM)
            yield self._decode(raw)

    def _utf16_lines(self) -> Iterator[tuple[str, str | None, str | None]]:
        text = io.TextIOWrapper(self._stream, encoding="utf-16", newline="")
        # Detach on close so the wrapper never closes the caller's stream; keep a reference so it
        # is not garbage-collected (which would close the stream) while the table is alive.
        self._text_wrapper = text
        self._closers.append(text.detach)
        while True:
            try:
                line = text.readline()
            except UnicodeDecodeError as exc:
                raise ReaderError(self.filename, f"文件 {self.filename} 的UTF-16编码内容已损坏：{exc.reason}") from exc
            if not line:
                return
            self._bytes_read += len(line.encode("utf-16-le"))
            yield line, None, None

    def _detect_delimiter(
        self, lines: Iterator[tuple[str, str | None, str | None]]
    ) -> tuple[list[tuple[str, str | None, str | None]], str]:
        """Pick , or TAB or ; from the first line (of the first 10 non-blank) that has one."""
        buffered: list[tuple[str, str | None, str | None]] = []
        checked = 0
        for item in lines:
            buffered.append(item)
            text = item[0]
            if not text.strip(_STRIP_CHARS):
                continue
            counts = _count_outside_quotes(text, _CANDIDATE_DELIMITERS)
            best = max(_CANDIDATE_DELIMITERS, key=lambda d: counts[d])  # ties → order above
            if counts[best]:
                return buffered, best
            checked += 1
            if checked >= 10:
                break
        return buffered, ","

    def _feed(self) -> Iterator[str]:
        """Lines for csv.reader; records which lines (warnings, errors) belong to the record."""
        for text, warning, error in self._source:
            self._lines_in_record += 1
            if warning and warning not in self._pending_warnings:
                self._pending_warnings.append(warning)
            if error and not self._pending_error:
                self._pending_error = error
            yield text
        if self._lines_in_record:
            # csv.reader asked for more input in the middle of a record: an unclosed quote.
            self._unterminated = True

    def _take_pending(self) -> tuple[list[str], str | None, int]:
        result = (self._pending_warnings, self._pending_error, self._lines_in_record)
        self._pending_warnings, self._pending_error, self._lines_in_record = [], None, 0
        return result

    def _iter_raw_records(self) -> Iterator[tuple[int, list[object], list[str], str | None]]:
        reader = csv.reader(self._feed(), delimiter=self.delimiter or ",")
        number = 0
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                row_warnings, error, _ = self._take_pending()
                yield number, [], row_warnings, error or _csv_error_reason(exc)
                continue
            number += 1
            row_warnings, error, lines = self._take_pending()
            if self._unterminated and not error:
                error = (
                    f"该行的双引号没有闭合，从这一行到文件末尾的{lines}行内容被当作一个单元格读入，"
                    "这些行都未导入；请检查该行内容中的引号"
                )
            cells: list[object] = []
            nul = False
            for text in fields:
                if "\x00" in text:
                    nul = True
                    text = text.replace("\x00", "")
                cells.append(text.strip(_STRIP_CHARS) or None)
            if nul:
                row_warnings = [*row_warnings, "该行含有空字符（NUL），已删除"]
            yield number, cells, row_warnings, error


def _classify(line: bytes, final: bool) -> str | None:
    if line.isascii():
        return "ascii"
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(line, final)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _remaining_size(stream: Any) -> int | None:
    try:
        pos = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(pos)
        return max(0, end - pos)
    except (OSError, AttributeError, ValueError):
        return None


def _count_outside_quotes(text: str, candidates: Iterable[str]) -> dict[str, int]:
    counts = {c: 0 for c in candidates}
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    return counts


def _csv_error_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return (
            f"该行有单元格超过{FIELD_SIZE_LIMIT:,}个字符，无法导入"
            "（通常是内容中的双引号没有闭合，后面若干行被并入了这一行）"
        )
    return f"CSV格式错误，该行无法解析：{text}"


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------


class _XlsxTable(Table):
    kind = "xlsx"

    def __init__(self, stream: Any, filename: str):
        super().__init__(filename)
        self._stream = stream
        try:
            from openpyxl import load_workbook
        except ImportError as exc:  # pragma: no cover - openpyxl is a pinned dependency
            raise ReaderError(filename, f"无法读取Excel文件 {filename}：服务器未安装openpyxl") from exc
        try:
            with _warnings.catch_warnings(), _fast_dimension_scan():
                _warnings.simplefilter("ignore")  # openpyxl warns about styles/extensions it skips
                workbook = load_workbook(stream, read_only=True, data_only=False)
        except Exception as exc:
            raise ReaderError(
                filename, f"文件 {filename} 不是有效的Excel文件（可能是其他格式改了扩展名，或文件已损坏）"
            ) from exc
        self._workbook = workbook
        self._closers.append(workbook.close)
        sheets = list(workbook.worksheets)
        if not sheets:
            self.close()
            raise ReaderError(filename, f"文件 {filename} 中没有工作表")
        active = workbook.active
        sheet = active if active in sheets else sheets[0]
        self._sheet = sheet
        self.sheet_name = sheet.title
        if len(sheets) > 1:
            self.add_warning(f"文件 {filename} 共有{len(sheets)}个工作表，只读取了“{sheet.title}”")
        # The stored dimension is only a hint (some exporters write a wrong one, which would make
        # openpyxl stop early); keep it for progress, then read without it.
        self._max_row_hint = sheet.max_row if isinstance(sheet.max_row, int) else None
        sheet.reset_dimensions()
        self._last_number = 0
        try:
            self._init_header()
        except BaseException:
            self.close()
            raise

    @property
    def progress(self) -> float | None:
        # Bytes of the sheet's compressed zip member consumed so far (the zip reader seeks the
        # shared stream to its own position before each read); else the stored row count.
        try:
            info = self._workbook._archive.getinfo(self._sheet._worksheet_path)
            start = info.header_offset
            size = info.compress_size + 30 + len(info.filename.encode()) + len(info.extra)
            position = self._stream.tell()
            if start <= position <= start + size + 1024:
                return min(1.0, (position - start) / size)
        except (AttributeError, KeyError, OSError, ValueError):  # private openpyxl/zip details
            pass
        if not self._max_row_hint:
            return None
        return min(1.0, self._last_number / self._max_row_hint)

    def _empty_message(self) -> str:
        return f"文件 {self.filename} 的工作表“{self.sheet_name}”为空（没有任何内容）"

    def _iter_raw_records(self) -> Iterator[tuple[int, list[object], list[str], str | None]]:
        number = 0
        rows = self._sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise ReaderError(
                    self.filename, f"文件 {self.filename} 在第{number + 1}行附近已损坏，无法继续读取（{exc}）"
                ) from exc
            number += 1
            self._last_number = number
            yield number, [_xlsx_value(v) for v in row], [], None


_LOAD_LOCK = threading.Lock()


class _fast_dimension_scan:
    """While loading, make openpyxl look for <dimension> only *before* <sheetData>.

    openpyxl's read-only mode calls ``WorkSheetParser.parse_dimensions`` for every sheet at
    load time. It iterates "end" events and stops at the end of <sheetData>, so for a sheet
    without a <dimension> element (openpyxl's own write-only output, several other exporters)
    it parses the whole sheet once before we read a single row, and keeps every (cleared)
    <row> element in memory meanwhile. <dimension> always precedes <sheetData> in the schema,
    so stopping at its *start* gives the same answer. The swap is scoped to the load and
    serialised by a lock; if openpyxl's internals differ, nothing is patched.
    """

    def __enter__(self) -> None:
        _LOAD_LOCK.acquire()
        self._patched = None
        try:
            from openpyxl.worksheet import _reader
            from openpyxl.worksheet.dimensions import SheetDimension
            from openpyxl.xml.functions import iterparse

            dimension_tag, data_tag = _reader.DIMENSION_TAG, _reader.DATA_TAG
            original = _reader.WorkSheetParser.parse_dimensions
        except (ImportError, AttributeError):  # pragma: no cover - other openpyxl versions
            return

        def parse_dimensions(parser: Any) -> Any:
            for _event, element in iterparse(parser.source, events=("start",)):
                if element.tag == dimension_tag:
                    return SheetDimension.from_tree(element).boundaries
                if element.tag == data_tag:
                    return None
            return None

        _reader.WorkSheetParser.parse_dimensions = parse_dimensions
        self._patched = (_reader.WorkSheetParser, original)

    def __exit__(self, *exc: object) -> None:
        try:
            if self._patched:
                cls, original = self._patched
                cls.parse_dimensions = original
        finally:
            _LOAD_LOCK.release()


def _xlsx_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip(_STRIP_CHARS) or None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)  # order numbers and counts exported as numbers
        return value
    if isinstance(value, (int, Decimal, _dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
        return value
    text = getattr(value, "text", None)  # openpyxl ArrayFormula: keep the formula text
    if isinstance(text, str):
        return text.strip(_STRIP_CHARS) or None
    return str(value).strip(_STRIP_CHARS) or None


# --------------------------------------------------------------------------------------------
# Helpers shared by both kinds
# --------------------------------------------------------------------------------------------


class _Lookahead:
    """An iterator with one item of lookahead; ``next``/``peek`` return None at the end."""

    _END = object()

    def __init__(self, iterable: Iterable[Any]):
        self._it = iter(iterable)
        self._peeked: Any = self._END

    def peek(self) -> Any:
        if self._peeked is self._END:
            self._peeked = next(self._it, self._END)
        return None if self._peeked is self._END else self._peeked

    def next(self) -> Any:
        item = self.peek()
        self._peeked = self._END
        return item

    def __iter__(self) -> Iterator[Any]:
        while True:
            if self._peeked is not self._END:
                item, self._peeked = self._peeked, self._END
                yield item
                continue
            item = next(self._it, self._END)
            if item is self._END:
                return
            yield item


def _is_blank(record: tuple[int, list[object], list[str], str | None]) -> bool:
    return record[3] is None and all(c is None for c in record[1])


def _count_filled(cells: Sequence[object]) -> int:
    return sum(1 for c in cells if c is not None)


def _first_filled(cells: Sequence[object]) -> object:
    return next((c for c in cells if c is not None), "")


def _header_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip(_STRIP_CHARS)
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (_dt.datetime, _dt.date, _dt.time)):
        return cell.isoformat(sep=" ") if isinstance(cell, _dt.datetime) else cell.isoformat()
    return str(cell).strip(_STRIP_CHARS)


def _looks_like_data(cell: object) -> bool:
    if isinstance(cell, (int, float, Decimal, _dt.date, _dt.time, _dt.timedelta)):
        return True
    return isinstance(cell, str) and _DATA_LIKE.fullmatch(cell) is not None


def _preview(value: object, limit: int = 30) -> str:
    text = str(value).replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# Header names
# --------------------------------------------------------------------------------------------

_REQUIRED_SUFFIX = re.compile(r"\((?:必填|必须|必需|选填|可选|非必填|可不填)\)$")
_SPACE_NEXT_TO_WIDE = re.compile(r" (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) ")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"))
_MARKERS = "*※★☆"


def normalise_header(text: object) -> str:
    """Canonical spelling of a header cell for matching.

    NFKC (full-width letters, digits, parentheses "（）" and colon "：" become half-width; the
    full-width space becomes a space), BOM / zero-width characters removed, whitespace runs
    collapsed and dropped next to Chinese characters ("工单 编号" → "工单编号", "Order  No" →
    "Order No"), then repeatedly stripped of leading "*" / "※" / "★" required-field markers,
    trailing ":" / "*" and a trailing "(必填)" / "(选填)". Case is kept (matching is
    case-insensitive, see :func:`map_headers`).
    """
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).translate(_ZERO_WIDTH)
    s = " ".join(s.split())
    s = _SPACE_NEXT_TO_WIDE.sub("", s)
    previous = None
    while s != previous:
        previous = s
        s = s.strip().lstrip(_MARKERS).rstrip(":" + _MARKERS)
        s = _REQUIRED_SUFFIX.sub("", s)
    return s


def _match_key(text: object) -> str:
    """normalise_header + case-insensitive + space/underscore/hyphen equivalent (Latin names)."""
    return re.sub(r"[\s_\-]+", "_", normalise_header(text).casefold()).strip("_")


@dataclass
class HeaderMap:
    """Result of :func:`map_headers`.

    ``mapping``: original header → canonical field (only the first header of each field).
    ``unknown``: headers that match no field (ignored; report them).
    ``duplicates``: headers ignored because an earlier column already maps to the same field,
    in column order; ``duplicate_of`` gives, for each, the header that is used instead.
    ``ambiguous``: headers whose text the synonym table lists under several fields (not mapped,
    also listed in ``unknown``) → those fields.
    """

    mapping: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    duplicate_of: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)

    def missing(self, required: Iterable[str]) -> list[str]:
        """Required canonical fields that no header maps to, in the order given."""
        present = set(self.mapping.values())
        return [name for name in required if name not in present]

    def column_for(self, canonical: str) -> str | None:
        """The original header used for a canonical field (for row/column error reports)."""
        for header, name in self.mapping.items():
            if name == canonical:
                return header
        return None

    def apply(self, values: Mapping[str, object]) -> dict[str, object]:
        """A row's values keyed by canonical field instead of original header."""
        return {name: values.get(header) for header, name in self.mapping.items()}

    def notes(self, labels: Mapping[str, str] | None = None) -> list[str]:
        """Chinese notes about unknown, ambiguous and duplicate headers."""
        labels = labels or {}
        result: list[str] = []
        plain_unknown = [h for h in self.unknown if h not in self.ambiguous]
        if plain_unknown:
            result.append("未识别的列（已忽略）：" + "、".join(f"“{h}”" for h in plain_unknown))
        for header, names in self.ambiguous.items():
            fields = "、".join(f"“{labels.get(n, n)}”" for n in names)
            result.append(f"列“{header}”在表头同义词中同时对应{fields}，无法确定，已忽略")
        for header in self.duplicates:
            kept = self.duplicate_of[header]
            name = self.mapping[kept]
            result.append(f"列“{header}”与列“{kept}”都对应字段“{labels.get(name, name)}”，只使用第一列“{kept}”")
        return result


def map_headers(headers: list[str], synonyms: Mapping[str, Iterable[str]]) -> HeaderMap:
    """Map original headers to canonical names through ``synonyms`` (canonical → variants).

    Matching uses :func:`normalise_header`, case-insensitively, treating spaces, "_" and "-" as
    the same, and each canonical name is itself an accepted header. A variant listed under two
    fields is ambiguous: a canonical name wins over a synonym, otherwise a header with that text
    maps to nothing and is reported in ``ambiguous`` (an admin-edited synonym table must never
    silently route a column into the wrong field, nor break every import).
    """
    canonical_keys: dict[str, str] = {}
    lookup: dict[str, list[str]] = {}
    for canonical, variants in synonyms.items():
        if isinstance(variants, str):
            variants = [variants]
        key = _match_key(canonical)
        if key:
            canonical_keys.setdefault(key, canonical)
        for variant in itertools.chain([canonical], variants):
            key = _match_key(variant)
            if not key:
                continue
            names = lookup.setdefault(key, [])
            if canonical not in names:
                names.append(canonical)

    result = HeaderMap()
    kept: dict[str, str] = {}  # canonical → header used
    for header in headers:
        key = _match_key(header)
        if key in canonical_keys:
            canonical = canonical_keys[key]
        else:
            names = lookup.get(key, [])
            if len(names) > 1:
                result.ambiguous[header] = list(names)
                result.unknown.append(header)
                continue
            if not names:
                result.unknown.append(header)
                continue
            canonical = names[0]
        if canonical in kept:
            result.duplicates.append(header)
            result.duplicate_of[header] = kept[canonical]
            continue
        kept[canonical] = header
        result.mapping[header] = canonical
    return result
