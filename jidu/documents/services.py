"""Issuing official documents: `issue_document()` is the contract other apps code against.

Numbering guarantee: the sequence row of (type, year) is locked with SELECT … FOR UPDATE and the
document row is created in the same transaction, so a number is used exactly once and a failed
issuance (bad template, full disk) rolls the number back — no gaps, no repeats, also with
concurrent issuers. The row of a new year is created race-free (get_or_create in a savepoint,
retried when a concurrent creator wins with an IntegrityError)."""

import hashlib
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from jidu.core import audit
from jidu.documents.models import DocumentSequence, DocumentType, OfficialDocument
from jidu.documents.numerals import chinese_date
from jidu.documents.rendering import convert_to_pdf, render_docx
from jidu.documents.templating import TemplateProblem, full_context, render_text

log = logging.getLogger(__name__)


class DocumentError(Exception):
    pass


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq}号"


def _sequence_row(doc_type: DocumentType, year: int) -> DocumentSequence:
    """Lock (creating it if needed) the sequence row; call inside a transaction."""
    for _ in range(5):
        try:
            with transaction.atomic():  # a savepoint: a lost creation race does not break the caller
                DocumentSequence.objects.get_or_create(doc_type=doc_type, year=year)
            break
        except IntegrityError:
            continue
    return DocumentSequence.objects.select_for_update().get(doc_type=doc_type, year=year)


def get_type(type_code: str) -> DocumentType:
    try:
        return DocumentType.objects.get(code=type_code)
    except DocumentType.DoesNotExist:
        raise DocumentError(f"没有代码为“{type_code}”的文书类型，请管理员在“文书类型”中配置") from None


def render_preview(doc_type: DocumentType, context: dict, *, addressee=None) -> tuple[str, str]:
    """(title, body) as they would be issued now — for the admin preview and the issue form."""
    values = full_context(context, doc_type=doc_type, issued_at=timezone.localdate(), addressee=addressee)
    return render_text(doc_type.title_template, values), render_text(doc_type.body_template, values)


def issue_document(type_code: str, *, context: dict, issued_by, addressee=None, obj=None,
                   request=None) -> OfficialDocument:
    """Number, render (.docx, GB/T 9704 layout), store and audit one document."""
    doc_type = get_type(type_code)
    if not doc_type.active:
        raise DocumentError(f"文书类型“{doc_type.name}”已停用")
    issued_at = timezone.now()
    year = timezone.localtime(issued_at).year
    values = full_context(context, doc_type=doc_type, issued_at=timezone.localdate(issued_at), addressee=addressee)
    try:
        title = render_text(doc_type.title_template, values)
        body = render_text(doc_type.body_template, values)
    except TemplateProblem as exc:
        raise DocumentError(f"文书类型“{doc_type.name}”的模板有误：{exc}") from None
    if not title:
        raise DocumentError(f"文书类型“{doc_type.name}”的标题模板渲染结果为空")
    stored = []
    try:
        with transaction.atomic():
            seq_row = _sequence_row(doc_type, year)
            seq_row.last_number += 1
            seq_row.save(update_fields=["last_number"])
            number = format_number(doc_type.prefix, year, seq_row.last_number)
            data = render_docx(mark=doc_type.mark, number=number, title=title,
                               addressee=addressee.name if addressee else "", body=body,
                               authority=doc_type.authority, date_cn=chinese_date(timezone.localdate(issued_at)))
            doc = OfficialDocument(
                number=number, doc_type=doc_type, year=year, seq=seq_row.last_number, title=title,
                addressee=addressee, issued_by=issued_by, issued_at=issued_at, body=body,
                sha256=hashlib.sha256(data).hexdigest())
            if obj is not None:
                doc.content_type = ContentType.objects.get_for_model(obj)
                doc.object_id = str(obj.pk)
            doc.docx.save("document.docx", ContentFile(data), save=False)
            stored.append(doc.docx.name)
            doc.save()
            audit.record(audit.AuditLog.Action.CHANGE, user=issued_by, request=request, obj=doc,
                         event="issue_document", number=number, doc_type=doc_type.code,
                         addressee=addressee.name if addressee else "", sha256=doc.sha256)
            transaction.on_commit(lambda: attach_pdf(doc.pk, data), robust=True)
    except Exception:
        for name in stored:  # the number rolled back: do not leave its file behind
            OfficialDocument._meta.get_field("docx").storage.delete(name)
        raise
    return doc


def attach_pdf(doc_pk: int, docx_bytes: bytes) -> bool:
    """Convert and store the PDF when LibreOffice is installed (after the commit: it is slow)."""
    pdf = convert_to_pdf(docx_bytes)
    if pdf is None:
        return False
    doc = OfficialDocument.objects.get(pk=doc_pk)
    doc.pdf.save("document.pdf", ContentFile(pdf), save=False)
    doc.save(update_fields=["pdf"])
    return True


def documents_for(obj):
    ct = ContentType.objects.get_for_model(obj)
    return OfficialDocument.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related(
        "doc_type", "addressee", "issued_by")
