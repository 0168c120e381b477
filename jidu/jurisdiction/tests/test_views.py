import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jidu.core.models import AuditLog
from jidu.jurisdiction.models import Dispute, DisputeAttachment, RoutingChoice
from jidu.orders.models import Status

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_handler_sees_only_disputes_it_is_party_to(client, returned, make_user):
    d = returned("V1")
    party = make_user("pt", "handler", "PT_SCJG")
    other = make_user("dh", "handler", "DH_SCJG")
    login(client, party)
    assert f"/jurisdiction/disputes/{d.pk}/" in client.get("/jurisdiction/disputes/").content.decode()
    assert client.get(f"/jurisdiction/disputes/{d.pk}/").status_code == 200
    login(client, other)
    page = client.get("/jurisdiction/disputes/").content.decode()
    assert f"/jurisdiction/disputes/{d.pk}/" not in page
    assert client.get(f"/jurisdiction/disputes/{d.pk}/").status_code == 404
    assert AuditLog.objects.filter(action="denied", object_type="jurisdiction.dispute").exists()


def test_dispute_page_shows_order_clock_advice_and_decide_form(client, returned, make_user):
    d = returned("V2")
    login(client, make_user("sup", "supervisor", "SFJ"))
    html = client.get(f"/jurisdiction/disputes/{d.pk}/").content.decode()
    assert "船班取消" in html and "jd-clock" in html and "剩余" in html and "ZS-PD-013" in html
    assert "裁定并改派" in html
    clock = client.get(f"/jurisdiction/disputes/{d.pk}/clock/")
    assert clock.status_code == 200 and "every 60s" in clock.content.decode()


def test_decide_through_the_ui_and_party_refused(client, returned, make_user, dept):
    d = returned("V3")
    form = {"lead": dept("PT_WGLT").pk, "co": [dept("PT_SCJG").pk], "basis_text": "民宿行业管理", "citation": "x"}
    login(client, make_user("ptsup", "supervisor", "PT_SCJG"))
    r = client.post(f"/jurisdiction/disputes/{d.pk}/decide/", form)
    assert r.status_code == 403 and "当事方" in r.content.decode()
    login(client, make_user("h", "handler", "SFJ"))
    assert client.post(f"/jurisdiction/disputes/{d.pk}/decide/", form).status_code == 403
    login(client, make_user("sup", "supervisor", "SFJ"))
    r = client.post(f"/jurisdiction/disputes/{d.pk}/decide/", form)
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.state == "decided"
    login(client, make_user("sup2", "supervisor", "SFJ"))
    r = client.post(f"/jurisdiction/disputes/{d.pk}/decide/", {**form, "lead": dept("PT_GA").pk})
    assert r.status_code == 409 and "您的裁定未保存" in r.content.decode()


def test_claim_with_attachment_and_permission_checked_download(client, returned, make_user, dept):
    d = returned("V4")
    handler = make_user("wg", "handler", "PT_WGLT")
    login(client, handler)
    # not yet a party: cannot see the dispute
    assert client.get(f"/jurisdiction/disputes/{d.pk}/").status_code == 404
    login(client, make_user("pt", "handler", "PT_SCJG"))
    r = client.post(f"/jurisdiction/disputes/{d.pk}/claim/", {
        "department": dept("PT_SCJG").pk, "position": "not_ours", "suggested_department": dept("PT_WGLT").pk,
        "text": "属民宿行业管理", "files": [SimpleUploadedFile("证据.txt", "退订记录".encode())]})
    assert r.status_code == 302
    att = DisputeAttachment.objects.get(dispute=d)
    r = client.get(f"/jurisdiction/attachments/{att.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content).decode() == "退订记录"
    log = AuditLog.objects.get(action="export", object_type="jurisdiction.disputeattachment")
    assert log.object_id == str(att.pk) and log.detail["dispute"] == d.pk and log.detail["name"] == "证据.txt"
    login(client, make_user("other", "handler", "DH_GA"))
    assert client.get(f"/jurisdiction/attachments/{att.pk}/").status_code == 404
    # a handler may only claim for its own department
    login(client, make_user("pt2", "handler", "PT_SCJG"))
    r = client.post(f"/jurisdiction/disputes/{d.pk}/claim/", {"department": dept("PT_GA").pk, "position": "ours",
                                                               "text": "冒名"})
    assert r.status_code == 400 and "本部门" in r.content.decode()


def test_order_page_panel_flag_and_dispatcher_choice(client, order, make_user, dept):
    o = order("V5", status="受理", lead_department="", title="黄牛", content="码头黄牛揽客强拉游客。", area="普陀区")
    disp = make_user("disp", "dispatcher")
    login(client, disp)
    html = client.get(f"/orders/{o.pk}/").content.decode()
    assert "智能派单建议" in html and "普陀公安分局" in html or "舟山市公安局普陀区分局" in html
    r = client.post(f"/jurisdiction/orders/{o.pk}/route/", {"lead": dept("PT_GA").pk, "co": [dept("PT_JTYS").pk]})
    assert r.status_code == 302
    choice = RoutingChoice.objects.get(order=o)
    assert choice.lead_department == dept("PT_GA") and choice.followed_advice and choice.advice
    o.refresh_from_db()
    assert o.lead_department == dept("PT_GA") and o.status == Status.DISPATCHED
    assert o.events.filter(kind="assigned", actor=disp).exists()
    r = client.post(f"/jurisdiction/orders/{o.pk}/flag/", {"reason": "公安认为属交通", "returning_department":
                                                            dept("PT_GA").pk})
    d = Dispute.objects.get(order=o)
    assert r.status_code == 302 and d.via == "flag" and d.opened_by == disp
    login(client, make_user("h", "handler", "PT_GA"))
    assert client.post(f"/jurisdiction/orders/{o.pk}/route/", {"lead": dept("PT_GA").pk}).status_code == 403


def test_lists_pages_export_import_permissions(client, make_user):
    login(client, make_user("h", "handler", "PT_SCJG"))
    assert client.get("/jurisdiction/lists/?q=短斤少两").status_code == 200
    assert client.get("/jurisdiction/lists/export.xlsx").status_code == 403
    assert client.get("/jurisdiction/lists/import/").status_code == 403
    login(client, make_user("sup", "supervisor", "SFJ"))
    html = client.get("/jurisdiction/lists/?q=短斤少两").content.decode()
    assert "ZS-PD-002" in html and "ZS-PD-029" not in html
    r = client.get("/jurisdiction/lists/export.xlsx?list_type=boundary")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row >= 4 and {row[1] for row in ws.iter_rows(min_row=2, values_only=True)} == {"厘清的职责边界"}
    r = client.post("/jurisdiction/lists/import/", {"file": SimpleUploadedFile("l.xlsx", r.content)})
    assert r.status_code == 200 and "未变" in r.content.decode()
    assert client.get("/jurisdiction/lists/1/").status_code in (200, 404)
    assert client.get("/jurisdiction/precedents/").status_code == 200
    assert client.get("/jurisdiction/disputes/measures/").status_code == 200
    assert client.get("/jurisdiction/notices/").status_code == 200


def test_api_advice_is_scoped(client, order, make_user):
    o = order("V6", title="短斤少两", content="海鲜市场缺斤短两", lead_department="普陀区市场监督管理局", area="普陀区")
    login(client, make_user("pt", "handler", "PT_SCJG"))
    r = client.get(f"/api/v1/orders/{o.pk}/advice")
    assert r.status_code == 200
    body = r.json()
    assert body["departments"][0]["name"] == "普陀区市场监督管理局" and body["entries"]
    login(client, make_user("dh", "handler", "DH_SCJG"))
    assert client.get(f"/api/v1/orders/{o.pk}/advice").status_code == 404
    client.logout()
    assert client.get(f"/api/v1/orders/{o.pk}/advice").status_code == 401


def test_nav_links_by_permission(client, make_user):
    login(client, make_user("sup", "supervisor", "SFJ"))
    html = client.get("/jurisdiction/disputes/").content.decode()
    assert "派单争议" in html and "职责清单" in html
