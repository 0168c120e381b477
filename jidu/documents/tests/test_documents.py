import datetime as dt
import hashlib
import threading

import pytest
from django.db import connection
from docx import Document
from docx.oxml.ns import qn

from jidu.core.models import AuditLog
from jidu.documents.models import DocumentSequence, DocumentType, OfficialDocument
from jidu.documents.numerals import chinese_date
from jidu.documents.rendering import BODY_FONT, TITLE_FONT
from jidu.documents.services import DocumentError, issue_document

pytestmark = pytest.mark.django_db
CASE = {"case": {"subject": "海鲜排档短斤少两投诉处置不力", "summary": "群众反映沈家门某排档短斤少两3起。"},
        "deadline": dt.date(2026, 12, 18)}


@pytest.mark.parametrize("day, text", [
    (dt.date(2026, 11, 27), "二〇二六年十一月二十七日"),
    (dt.date(2030, 1, 1), "二〇三〇年一月一日"),
    (dt.date(2026, 10, 10), "二〇二六年十月十日"),
    (dt.date(2026, 12, 31), "二〇二六年十二月三十一日"),
    (dt.date(2026, 3, 20), "二〇二六年三月二十日"),
])
def test_dates_are_written_in_chinese_numerals(day, text):
    assert chinese_date(day) == text


def test_six_document_types_are_seeded_with_distinct_prefixes():
    codes = set(DocumentType.objects.values_list("code", flat=True))
    assert {"notice", "opinion", "suggestion", "decision", "reminder", "duban"} <= codes
    notice = DocumentType.objects.get(code="notice")
    assert notice.prefix == "舟司执监" and notice.authority == "舟山市司法局"


def test_seeding_again_keeps_an_administrators_edit():
    from io import StringIO

    from django.core.management import call_command

    DocumentType.objects.filter(code="notice").update(title_template="改过的标题")
    call_command("load_document_defaults", stdout=StringIO())
    assert DocumentType.objects.get(code="notice").title_template == "改过的标题"


def test_issued_docx_has_number_title_body_and_official_fonts(make_user, dept):
    user = make_user("sup", "supervisor", "SFJ")
    doc = issue_document("notice", context=CASE, issued_by=user, addressee=dept("PT_SCJG"))
    year = doc.issued_at.year
    assert doc.number == f"舟司执监〔{year}〕1号" and doc.seq == 1
    assert doc.title == "关于海鲜排档短斤少两投诉处置不力的行政执法监督通知书"
    with doc.docx.open("rb") as f:
        data = f.read()
    assert hashlib.sha256(data).hexdigest() == doc.sha256
    word = Document(doc.docx.path)
    texts = [p.text for p in word.paragraphs]
    assert "舟山市司法局" == texts[0]
    assert doc.number in texts
    assert doc.title in texts
    assert "普陀区市场监督管理局：" in texts
    assert any("群众反映沈家门某排档短斤少两3起" in t for t in texts)
    assert any("二〇二六年十二月十八日" in t for t in texts)  # the deadline in Chinese numerals
    title_run = next(p for p in word.paragraphs if p.text == doc.title).runs[0]
    assert title_run.font.size.pt == 22
    assert title_run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == TITLE_FONT
    body_run = next(p for p in word.paragraphs if "群众反映" in p.text).runs[0]
    assert body_run.font.size.pt == 16
    assert body_run._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == BODY_FONT
    mark_run = word.paragraphs[0].runs[0]
    assert str(mark_run.font.color.rgb) == "FF0000"
    section = word.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.bottom_margin.mm) == 35
    assert round(section.left_margin.mm) == 28 and round(section.right_margin.mm) == 26
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "—" in section.footer.paragraphs[0].text
    assert AuditLog.objects.filter(object_type="documents.officialdocument", object_id=str(doc.pk)).exists()


def test_numbers_run_per_type_and_year_without_gaps(make_user, dept):
    user = make_user("sup", "supervisor", "SFJ")
    a = issue_document("notice", context=CASE, issued_by=user, addressee=dept("PT_SCJG"))
    b = issue_document("reminder", context=CASE, issued_by=user, addressee=dept("PT_SCJG"))
    c = issue_document("notice", context=CASE, issued_by=user, addressee=dept("PT_SCJG"))
    assert (a.seq, b.seq, c.seq) == (1, 1, 2)
    assert b.number.startswith("舟司执监提〔")
    assert DocumentSequence.objects.get(doc_type__code="notice", year=a.year).last_number == 2


def test_a_failed_issuance_does_not_use_up_a_number(make_user, dept):
    user = make_user("sup", "supervisor", "SFJ")
    issue_document("notice", context=CASE, issued_by=user, addressee=dept("PT_SCJG"))
    DocumentType.objects.filter(code="notice").update(body_template="{% if %}")
    with pytest.raises(DocumentError, match="模板"):
        issue_document("notice", context=CASE, issued_by=user, addressee=dept("PT_SCJG"))
    DocumentType.objects.filter(code="notice").update(body_template="正文{{ case.subject }}")
    doc = issue_document("notice", context=CASE, issued_by=user, addressee=dept("PT_SCJG"))
    assert doc.seq == 2


def test_unknown_type_is_refused_in_chinese(make_user):
    with pytest.raises(DocumentError, match="没有代码为“nope”的文书类型"):
        issue_document("nope", context={}, issued_by=make_user("s", "supervisor"))


def test_type_with_broken_template_fails_validation():
    from django.core.exceptions import ValidationError

    t = DocumentType.objects.get(code="notice")
    t.body_template = "{% for x in %}"
    with pytest.raises(ValidationError) as info:
        t.full_clean()
    assert "模板语法错误" in str(info.value)


def test_admin_preview_renders_the_template(client, make_user):
    admin = make_user("adm", "admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    t = DocumentType.objects.get(code="notice")
    html = client.get(f"/admin/documents/documenttype/{t.pk}/change/").content.decode()
    assert "关于沈家门海鲜排档短斤少两投诉处置不力的行政执法监督通知书" in html


def test_download_is_scoped_to_the_addressee_and_audited(client, make_user, dept):
    sup = make_user("sup", "supervisor", "SFJ")
    doc = issue_document("notice", context=CASE, issued_by=sup, addressee=dept("PT_SCJG"))
    client.force_login(make_user("pt", "handler", "PT_SCJG"))
    r = client.get(f"/documents/{doc.pk}/download/")
    assert r.status_code == 200 and b"".join(r.streaming_content)[:2] == b"PK"
    assert AuditLog.objects.filter(action="export", object_id=str(doc.pk)).exists()
    assert doc.number in client.get("/documents/").content.decode()
    client.force_login(make_user("dh", "handler", "DH_SCJG"))
    assert client.get(f"/documents/{doc.pk}/download/").status_code == 404
    assert doc.number not in client.get("/documents/").content.decode()
    assert AuditLog.objects.filter(action="denied", object_type="documents.officialdocument").exists()
    client.force_login(make_user("ld", "leader"))
    assert client.get(f"/documents/{doc.pk}/download/").status_code == 200
    assert client.get(f"/documents/{doc.pk}/download/pdf/").status_code == 404  # no LibreOffice here


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuance_numbers_without_gaps_or_repeats(make_user):
    from io import StringIO

    from django.core.management import call_command

    from jidu.org.models import Department

    if not Department.objects.exists():
        call_command("load_reference", stdout=StringIO())
    user = make_user("sup", "supervisor", "SFJ")
    addressee = Department.objects.get(code="PT_SCJG")
    n, barrier, errors = 8, threading.Barrier(8), []

    def run():
        try:
            barrier.wait()
            issue_document("duban", context=CASE, issued_by=user, addressee=addressee)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    seqs = sorted(OfficialDocument.objects.filter(doc_type__code="duban").values_list("seq", flat=True))
    assert seqs == list(range(1, n + 1))


def test_templates_cannot_include_files(make_user):
    DocumentType.objects.filter(code="reminder").update(body_template='{% include "base.html" %}')
    with pytest.raises(DocumentError, match="模板渲染出错"):
        issue_document("reminder", context=CASE, issued_by=make_user("s", "supervisor"))
    assert not OfficialDocument.objects.exists()


def test_notice_without_deadline_names_the_default_period(make_user):
    context = {"case": CASE["case"]}
    doc = issue_document("notice", context=context, issued_by=make_user("s", "supervisor"))
    assert "请于收到本通知书之日起十五个工作日内将整改情况书面报送我局" in doc.body
    assert "二〇" not in doc.body.split("请于")[1].split("将")[0]
