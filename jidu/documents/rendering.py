"""The .docx in the layout of GB/T 9704-2012 (党政机关公文格式), and an optional PDF.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; red 发文机关标志 centred at the top,
the document number centred under it and a red rule across the type area; the title in
方正小标宋简体 二号 (22 pt); the addressee line and body in 仿宋_GB2312 三号 (16 pt) on a fixed 28 pt
line; headings (一、…) in 黑体; signature (the authority) and date in Chinese numerals on the right;
page numbers “— 1 —” in the footer. Font names are written as East Asian font attributes
(w:rFonts w:eastAsia) so Word on a government PC uses the standard fonts and LibreOffice
substitutes an installed CJK font (Noto CJK) elsewhere.
"""

import io
import logging
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

log = logging.getLogger(__name__)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PAGE_FONT = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
HEADING = re.compile(r"^[一二三四五六七八九十]+、")
PDF_TIMEOUT_SECONDS = 120

__all__ = ["render_docx", "convert_to_pdf", "TITLE_FONT", "BODY_FONT"]


def _font(run, name: str, size_pt: float, *, bold=False, colour=None):
    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    return run


def _paragraph(doc, text="", *, font=BODY_FONT, size=16, align=None, bold=False, colour=None,
               first_indent_chars=0, right_indent_chars=0, line_pt=28, space_before=0, space_after=0):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(space_after)
    if first_indent_chars:
        fmt.first_line_indent = Pt(size * first_indent_chars)
    if right_indent_chars:
        fmt.right_indent = Pt(size * right_indent_chars)
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(text), font, size, bold=bold, colour=colour)
    return p


def _red_rule(paragraph):
    """A red line under the paragraph, as wide as the type area (版头分隔线)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"), ("w:color", "FF0000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _field(paragraph, instruction: str):
    run = paragraph.add_run()
    _font(run, PAGE_FONT, 14)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = "1"
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._element.append(el)


def _page_numbers(section):
    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run("— "), PAGE_FONT, 14)
    _field(p, "PAGE")
    _font(p.add_run(" —"), PAGE_FONT, 14)


def _setup(doc):
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(16)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    _page_numbers(section)


def render_docx(*, mark: str, number: str, title: str, addressee: str, body: str, authority: str,
                date_cn: str) -> bytes:
    doc = Document()
    _setup(doc)
    # 版头：发文机关标志（红色小标宋）、发文字号、红色分隔线
    _paragraph(doc, mark, font=TITLE_FONT, size=36, align=WD_ALIGN_PARAGRAPH.CENTER, colour=RED,
               line_pt=48, space_after=24)
    number_p = _paragraph(doc, number, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=4)
    _red_rule(number_p)
    _paragraph(doc)  # one blank line under the rule
    # 主体：标题、主送机关、正文
    _paragraph(doc, title, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=36)
    _paragraph(doc)
    if addressee:
        _paragraph(doc, f"{addressee}：")
    for line in (body or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if HEADING.match(line):
            _paragraph(doc, line, font=HEADING_FONT, first_indent_chars=2)
        else:
            _paragraph(doc, line, first_indent_chars=2)
    # 落款与成文日期（右空四字）
    _paragraph(doc)
    _paragraph(doc)
    _paragraph(doc, authority, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent_chars=4)
    _paragraph(doc, date_cn, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent_chars=2)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx_bytes: bytes, *, timeout: int = PDF_TIMEOUT_SECONDS) -> bytes | None:
    """PDF through LibreOffice (headless) when installed; None (with a log line) otherwise or on failure."""
    binary = office_binary()
    if not binary:
        log.info("未安装 LibreOffice（soffice），监督文书只生成 Word 文件，不生成 PDF")
        return None
    with tempfile.TemporaryDirectory(prefix="jidu-doc-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx_bytes)
        try:
            subprocess.run([binary, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "pdf", "--outdir", tmp, str(src)],
                           check=True, timeout=timeout, capture_output=True)
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("监督文书转换 PDF 失败：%s", exc)
            return None
        pdf = Path(tmp) / "document.pdf"
        return pdf.read_bytes() if pdf.exists() else None
