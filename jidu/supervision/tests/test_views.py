import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jidu.core.models import AuditLog
from jidu.documents.services import documents_for
from jidu.supervision import services
from jidu.supervision.models import SupervisionCase
from jidu.supervision.workflow import Action, State

pytestmark = pytest.mark.django_db


def test_red_clue_page_has_the_button_and_the_supervisor_opens_a_case(client, red_clue, people, dept):
    order = red_clue("S-0101")
    client.force_login(people["sup"])
    html = client.get(f"/clues/{order.pk}/").content.decode()
    assert f"/supervision/new/?clue={order.pk}" in html and "立案督办" in html
    form = client.get(f"/supervision/new/?clue={order.pk}").content.decode()
    assert "沈家门海鲜排档短斤少两" in form and "24小时内同一商户3起" in form
    r = client.post("/supervision/new/", {"clue": order.pk, "subject": "短斤少两投诉处置不力",
                                          "summary": "三起投诉", "departments": [dept("PT_SCJG").pk]})
    case = SupervisionCase.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supervision/{case.pk}/"
    assert list(case.orders.all()) == [order]
    page = client.get(f"/supervision/{case.pk}/").content.decode()
    assert "S-0101" in page and "开始调查" in page and "立案" in page


def test_yellow_clue_and_handlers_get_no_button(client, red_clue, people):
    yellow = red_clue("S-0102", colour="yellow")
    red = red_clue("S-0103")
    client.force_login(people["sup"])
    assert "立案督办" not in client.get(f"/clues/{yellow.pk}/").content.decode()
    client.force_login(people["pt"])
    assert "立案督办" not in client.get(f"/clues/{red.pk}/").content.decode()
    assert client.get(f"/supervision/new/?clue={red.pk}").status_code == 403


def test_opening_without_department_shows_a_chinese_error(client, people):
    client.force_login(people["sup"])
    r = client.post("/supervision/new/", {"subject": "人工立案"})
    assert r.status_code == 200 and "请至少选择一个被监督单位" in r.content.decode()
    assert not SupervisionCase.objects.exists()


def test_supervisor_issues_a_notice_from_the_page_and_downloads_it(client, case, people):
    c = case("S-0104")
    client.force_login(people["sup"])
    client.post(f"/supervision/{c.pk}/do/investigate/", {"note": "调阅案卷"})
    r = client.post(f"/supervision/{c.pk}/issue/", {"doc_type": "notice", "addressee": c.departments.get().pk,
                                                    "deadline": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
                                                    "extra": ""}, follow=True)
    html = r.content.decode()
    assert "已制发行政执法监督通知书：舟司执监〔" in html
    doc = documents_for(c).get()
    assert f"/documents/{doc.pk}/download/" in html
    c.refresh_from_db()
    assert c.state == State.DOCUMENT_ISSUED


def test_handler_sees_only_own_department_cases_and_gets_404_with_audit(client, case, people):
    c = case("S-0105")
    client.force_login(people["pt"])
    assert c.number in client.get("/supervision/").content.decode()
    assert client.get(f"/supervision/{c.pk}/").status_code == 200
    client.force_login(people["dh"])
    assert c.number not in client.get("/supervision/").content.decode()
    assert client.get(f"/supervision/{c.pk}/").status_code == 404
    assert AuditLog.objects.filter(action="denied", object_type="supervision.supervisioncase",
                                   object_id=str(c.pk)).exists()
    assert client.post(f"/supervision/{c.pk}/rectify/", {"text": "x"}).status_code == 404


def test_department_answers_in_the_system_and_supervisor_reviews(client, case, people, dept):
    c = case("S-0106")
    services.advance(c, Action.INVESTIGATE, by=people["sup"])
    services.issue_case_document(c, "notice", by=people["sup"], addressee=dept("PT_SCJG"))
    client.force_login(people["pt"])
    page = client.get(f"/supervision/{c.pk}/").content.decode()
    assert "签收并开始整改" in page and "制发并编号" not in page
    client.post(f"/supervision/{c.pk}/do/deliver/", {"note": ""})
    evidence = SimpleUploadedFile("处罚决定书.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = client.post(f"/supervision/{c.pk}/rectify/", {"text": "已立案查处", "files": [evidence]}, follow=True)
    assert "整改报告已提交" in r.content.decode()
    c.refresh_from_db()
    assert c.state == State.REVIEWING
    att = c.attachments.get()
    r = client.get(f"/supervision/attachments/{att.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 test"
    assert AuditLog.objects.filter(action="export", object_type="supervision.caseattachment").exists()
    client.force_login(people["dh"])
    assert client.get(f"/supervision/attachments/{att.pk}/").status_code == 404
    client.force_login(people["sup"])
    r = client.post(f"/supervision/{c.pk}/review/", {"decision": "return", "note": ""}, follow=True)
    assert "退回继续整改时请写明复核意见" in r.content.decode()
    client.post(f"/supervision/{c.pk}/review/", {"decision": "accept", "note": "整改到位"})
    c.refresh_from_db()
    assert c.state == State.CLOSED
    r = client.post(f"/supervision/{c.pk}/result/", {"score": "-1", "money_recovered": "300",
                                                     "rule_change": "完善清单"}, follow=True)
    assert "已记录结果运用" in r.content.decode() and "300" in r.content.decode()


def test_invalid_transition_through_the_page_is_refused(client, case, people):
    c = case("S-0107")
    client.force_login(people["sup"])
    client.post(f"/supervision/{c.pk}/do/investigate/", {})
    r = client.post(f"/supervision/{c.pk}/do/investigate/", {}, follow=True)
    assert "不能重复" in r.content.decode()
    r = client.post(f"/supervision/{c.pk}/do/deliver/", {}, follow=True)
    assert "不能跳过中间步骤" in r.content.decode()


def test_leader_reads_but_cannot_act(client, case, people):
    c = case("S-0108")
    client.force_login(people["leader"])
    page = client.get(f"/supervision/{c.pk}/").content.decode()
    assert c.subject in page and "开始调查</button>" not in page
    assert client.post(f"/supervision/{c.pk}/do/investigate/", {}).status_code == 403
    assert client.get("/supervision/new/").status_code == 403
    c.refresh_from_db()
    assert c.state == State.FILED


def test_list_filters_overdue_and_state(client, case, people):
    late, fresh = case("S-0109"), case("S-0110")
    SupervisionCase.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(people["sup"])
    html = client.get("/supervision/?overdue=on").content.decode()
    assert late.number in html and fresh.number not in html
    assert "已超期" in html
    assert fresh.number not in client.get("/supervision/?state=closed").content.decode()


def test_deadline_in_a_year_missing_from_the_calendar_is_a_clear_error(client, case, people):
    c = case("S-0111")
    client.force_login(people["sup"])
    client.post(f"/supervision/{c.pk}/do/investigate/", {})
    r = client.post(f"/supervision/{c.pk}/issue/", {"doc_type": "notice", "addressee": c.departments.get().pk,
                                                    "deadline": "2099-10-03"}, follow=True)
    assert "2099年的节假日安排尚未录入工作日历" in r.content.decode()
    c.refresh_from_db()
    assert c.state == State.INVESTIGATING and not documents_for(c).exists()
