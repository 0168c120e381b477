import pytest
from django.test import Client

from jidu.core.models import AuditLog
from jidu.orders.models import WorkOrder

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_order_page_shows_masked_caller_and_timeline(make_user, ingest, record):
    ingest(record(updated_at="2026-09-01 10:00:00"))
    ingest(record(status="已回复", updated_at="2026-09-02 10:00:00"))
    order = WorkOrder.objects.get()
    html = login(make_user("d", "dispatcher")).get(f"/orders/{order.pk}/").content.decode()
    assert "张*" in html and "138****5678" in html
    assert "13812345678" not in html and "张三" not in html
    assert "工单入库" in html and "已派单 → 已回复" in html


def test_revealing_personal_data_needs_the_permission_and_is_audited(make_user, ingest, record):
    ingest(record())
    order = WorkOrder.objects.get()
    plain = make_user("plain", "supervisor")
    res = login(plain).post(f"/orders/{order.pk}/caller/")
    assert res.status_code == 403
    assert AuditLog.objects.filter(action="denied", user=plain).exists()

    allowed = make_user("allowed", "supervisor", personal=True)
    page = login(allowed).get(f"/orders/{order.pk}/").content.decode()
    assert "13812345678" not in page and "查看完整信息" in page
    res = login(allowed).post(f"/orders/{order.pk}/caller/")
    assert res.status_code == 200 and "13812345678" in res.content.decode()
    entry = AuditLog.objects.get(action="view_personal")
    assert entry.user == allowed and entry.object_id == str(order.pk)


def test_content_phone_numbers_are_masked_on_screen(make_user, ingest, record):
    ingest(record(content="联系我13912345678，商家电话也在这里"))
    order = WorkOrder.objects.get()
    html = login(make_user("d", "dispatcher")).get(f"/orders/{order.pk}/").content.decode()
    assert "13912345678" not in html and "139****5678" in html


def test_queue_filters_by_status_type_area_and_search(make_user, ingest, record):
    # Order numbers carry a hyphen so they can never occur inside a random CSRF token.
    ingest(record("Q-F1", status="退单申请", area="普陀区"), record("Q-F2", order_type="咨询", area="定海区"),
           record("Q-F3", content="朱家尖民宿拒不退款", title="民宿退款"))
    client = login(make_user("d", "dispatcher"))
    assert "Q-F1" in client.get("/orders/?queue=returned").content.decode()
    assert "Q-F2" not in client.get("/orders/?queue=returned").content.decode()
    html = client.get("/orders/?queue=all&order_type=consult").content.decode()
    assert "Q-F2" in html and "Q-F1" not in html
    html = client.get("/orders/?queue=all&q=民宿").content.decode()
    assert "Q-F3" in html and "Q-F1" not in html


def test_htmx_filter_request_returns_only_the_table(make_user, ingest, record):
    ingest(record())
    client = login(make_user("d", "dispatcher"))
    res = client.get("/orders/?queue=all", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-table")
    html = res.content.decode()
    assert "ZS001" in html and "<html" not in html


def test_leader_is_read_only(make_user):
    client = login(make_user("boss", "leader"))
    assert client.get("/intake/import/").status_code == 403


def test_login_page_is_chinese_and_works(make_user):
    make_user("d", "dispatcher", password="secret-pass-9")
    client = Client()
    assert "登录" in client.get("/accounts/login/").content.decode()
    res = client.post("/accounts/login/", {"username": "d", "password": "secret-pass-9"})
    assert res.status_code == 302
    assert client.get("/orders/").status_code == 200


def test_order_export_escapes_formula_cells(make_user, ingest, record):
    import io

    import openpyxl

    ingest(record("Q-X1", title="=HYPERLINK(\"http://x\")", content="@SUM(A1)", address="+86 路", area="-1区"))
    res = login(make_user("d", "dispatcher")).get("/orders/export.xlsx?queue=all")
    sheet = openpyxl.load_workbook(io.BytesIO(res.content)).active
    row = [c for c in list(sheet.iter_rows())[1]]
    assert all(c.data_type != "f" for c in row)
    values = [c.value for c in row]
    assert "'=HYPERLINK(\"http://x\")" in values and "'@SUM(A1)" in values and "'+86 路" in values


def test_timeline_is_append_only(ingest, record):
    from jidu.core.models import AppendOnlyError
    from jidu.orders.models import OrderEvent

    ingest(record())
    event = OrderEvent.objects.get()
    event.note = "篡改"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
