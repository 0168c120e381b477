import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jidu.core.models import AuditLog
from jidu.directives import services
from jidu.directives.models import Directive

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_supervisor_queue_lists_proposals_and_issues_one(client, proposal, people):
    d = proposal("T-0200")
    c = login(client, people["supervisor"])
    page = c.get(reverse("directives:proposals"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "T-0200" in html and "签发" in html and "不予督办" in html and "督办单" in html
    r = c.post(reverse("directives:issue", args=[d.pk]), {"next": reverse("directives:proposals")}, follow=True)
    assert r.status_code == 200 and "已签发督办单" in r.content.decode()
    d.refresh_from_db()
    assert d.state == "issued" and d.document_number


def test_dismiss_without_reason_is_refused_in_chinese(client, proposal, people):
    d = proposal("T-0201")
    r = login(client, people["supervisor"]).post(reverse("directives:dismiss", args=[d.pk]), {"reason": ""})
    assert r.status_code == 400 and "请填写不予督办的理由" in r.content.decode()
    assert Directive.objects.get(pk=d.pk).state == "proposed"
    r = client.post(reverse("directives:dismiss", args=[d.pk]), {"reason": "热线中心已督办"})
    assert r.status_code == 302 and Directive.objects.get(pk=d.pk).state == "dismissed"


def test_issuing_twice_answers_409_with_the_current_state(client, proposal, people):
    d = proposal("T-0202")
    c = login(client, people["supervisor"])
    c.post(reverse("directives:issue", args=[d.pk]))
    r = c.post(reverse("directives:issue", args=[d.pk]))
    assert r.status_code == 409 and "当前状态为“已签发待回复”" in r.content.decode()


def test_department_replies_with_attachment_and_supervisor_accepts(client, proposal, people):
    d = proposal("T-0203")
    services.issue(d, by=people["supervisor"])
    c = login(client, people["handler"])
    page = c.get(reverse("directives:detail", args=[d.pk])).content.decode()
    assert "回复督办" in page and "提交回复" in page
    r = c.post(reverse("directives:reply", args=[d.pk]),
               {"text": "已现场核查，责令退款", "attachment": SimpleUploadedFile("核查记录.pdf", b"%PDF-1.4")})
    assert r.status_code == 302
    reply = d.replies.get()
    got = c.get(reverse("directives:attachment", args=[reply.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4"
    log = AuditLog.objects.get(action="export", object_type="directives.directivereply")
    assert log.object_id == str(reply.pk) and log.detail["directive"] == d.pk and log.detail["name"] == "核查记录.pdf"
    s = login(client, people["supervisor"])
    assert "审核回复" in s.get(reverse("directives:detail", args=[d.pk])).content.decode()
    r = s.post(reverse("directives:review", args=[d.pk]), {"decision": "return", "note": ""})
    assert r.status_code == 400 and "请填写退回理由" in r.content.decode()
    s.post(reverse("directives:review", args=[d.pk]), {"decision": "accept", "note": "同意"})
    assert Directive.objects.get(pk=d.pk).state == "accepted"


def test_another_department_gets_404_and_an_audit_record(client, proposal, people):
    d = proposal("T-0204")
    services.issue(d, by=people["supervisor"])
    services.reply(d, by=people["handler"], text="已处理", attachment=SimpleUploadedFile("a.pdf", b"x"))
    c = login(client, people["other"])
    for url in (reverse("directives:detail", args=[d.pk]),
                reverse("directives:attachment", args=[d.replies.get().pk])):
        assert c.get(url).status_code == 404
    denied = AuditLog.objects.filter(action="denied", user=people["other"])
    assert set(denied.values_list("object_type", flat=True)) == {"directives.directive", "directives.directivereply"}
    listing = c.get(reverse("directives:list")).content.decode()
    assert "T-0204" not in listing


def test_departments_never_see_proposals(client, proposal, people):
    d = proposal("T-0205")
    c = login(client, people["handler"])
    assert c.get(reverse("directives:detail", args=[d.pk])).status_code == 404
    assert "T-0205" not in c.get(reverse("directives:list")).content.decode()
    assert c.get(reverse("directives:proposals")).status_code == 403


def test_leader_reads_but_cannot_act(client, proposal, people):
    d = proposal("T-0206")
    services.issue(d, by=people["supervisor"])
    c = login(client, people["leader"])
    page = c.get(reverse("directives:detail", args=[d.pk]))
    assert page.status_code == 200 and "提交回复" not in page.content.decode()
    assert c.post(reverse("directives:reply", args=[d.pk]), {"text": "x"}).status_code == 403
    assert c.post(reverse("directives:dismiss", args=[d.pk]), {"reason": "x"}).status_code == 403


def test_list_filters_and_order_panel(client, proposal, people, order):
    a, b = proposal("T-0207"), proposal("T-0208")
    services.issue(a, by=people["supervisor"])
    c = login(client, people["supervisor"])
    html = c.get(reverse("directives:list"), {"state": "issued"}).content.decode()
    assert "T-0207" in html and "T-0208" not in html
    html = c.get(reverse("directives:list"), {"kind": "red"}).content.decode()
    assert "T-0207" not in html
    html = c.get(reverse("directives:list"), {"overdue": "on"}).content.decode()
    assert "T-0207" not in html  # not yet overdue
    panel = c.get(reverse("orders:detail", args=[b.order_id])).content.decode()
    assert "协查督办" in panel and f"督办单#{b.pk}" in panel
    h = login(client, people["handler"])
    assert f"督办单#{b.pk}" not in h.get(reverse("orders:detail", args=[b.order_id])).content.decode()
    assert f"督办单#{a.pk}" in h.get(reverse("orders:detail", args=[a.order_id])).content.decode()


def test_handler_filtering_by_another_department_is_a_404(client, people, dept):
    c = login(client, people["handler"])
    assert c.get(reverse("directives:list"), {"department": dept("PT_WGLT").pk}).status_code == 404
    assert AuditLog.objects.filter(action="denied", object_type="org.department").exists()


def test_api_lists_the_users_directives_only(client, proposal, people):
    a, b = proposal("T-0210"), proposal("T-0211", lead_department="普陀区文化和广电旅游体育局")
    services.issue(a, by=people["supervisor"])
    services.issue(b, by=people["supervisor"])
    assert client.get("/api/v1/directives").status_code == 401
    rows = login(client, people["handler"]).get("/api/v1/directives", {"state": "issued"}).json()["items"]
    assert [r["order_no"] for r in rows] == ["T-0210"] and rows[0]["kind_label"] == "督办单"
    assert client.get(f"/api/v1/directives/{b.pk}").status_code == 404
    rows = login(client, people["supervisor"]).get("/api/v1/directives", {"state": "issued"}).json()["items"]
    assert {r["order_no"] for r in rows} == {"T-0210", "T-0211"}


def test_supervisor_starts_a_directive_from_the_order_page(client, order, people):
    o = order("T-0220", lead_department="普陀区市场监督管理局")
    c = login(client, people["supervisor"])
    assert reverse("directives:start", args=[o.pk]) in c.get(reverse("orders:detail", args=[o.pk])).content.decode()
    r = c.post(reverse("directives:start", args=[o.pk]), {"kind": "duban", "reason": ""}, follow=True)
    assert "请选择督办类型并填写督办事由" in r.content.decode() and not Directive.objects.filter(order=o).exists()
    r = c.post(reverse("directives:start", args=[o.pk]), {"kind": "duban", "reason": "同一商户多次被投诉"})
    d = Directive.objects.get(order=o)
    assert r.status_code == 302 and d.rule is None and d.proposed_by == people["supervisor"]
    services.issue(d, by=people["supervisor"])
    assert Directive.objects.get(pk=d.pk).document_number.startswith("舟司执监督")
    h = login(client, people["handler"])
    assert reverse("directives:start", args=[o.pk]) not in h.get(reverse("orders:detail", args=[o.pk])).content.decode()
    assert h.post(reverse("directives:start", args=[o.pk]), {"kind": "duban", "reason": "x"}).status_code == 403
