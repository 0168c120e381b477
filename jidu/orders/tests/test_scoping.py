"""A department handler reaches only its own department's orders — by page, API and export."""

import io

import openpyxl
import pytest
from django.test import Client

from jidu.core.models import AuditLog
from jidu.orders.models import WorkOrder

pytestmark = pytest.mark.django_db


# Order numbers carry a hyphen so they can never occur inside a random CSRF token.
@pytest.fixture
def orders(ingest, record):
    ingest(record("Q-SC1", lead_department="舟山市市场监督管理局"),
           record("Q-WG1", lead_department="舟山市文化和广电旅游体育局"),
           record("Q-CO1", lead_department="舟山市文化和广电旅游体育局", co_departments="舟山市市场监督管理局"),
           record("Q-NONE", lead_department=None))
    return {o.order_no: o for o in WorkOrder.objects.all()}


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_handler_queue_lists_lead_and_co_handled_orders_only(make_user, orders):
    client = login(make_user("sc", "handler", "SCJG"))
    html = client.get("/orders/?queue=all").content.decode()
    assert "Q-SC1" in html and "Q-CO1" in html
    assert "Q-WG1" not in html and "Q-NONE" not in html


def test_handler_opening_another_departments_order_by_url_gets_404_and_is_audited(make_user, orders):
    user = make_user("sc", "handler", "SCJG")
    res = login(user).get(f"/orders/{orders['Q-WG1'].pk}/")
    assert res.status_code == 404
    entry = AuditLog.objects.get(action="denied")
    assert entry.user == user and entry.object_id == str(orders["Q-WG1"].pk)
    assert login(user).get(f"/orders/{orders['Q-CO1'].pk}/").status_code == 200


def test_handler_cannot_reach_another_departments_order_over_the_api(make_user, orders):
    client = login(make_user("sc", "handler", "SCJG"))
    assert client.get(f"/api/v1/orders/{orders['Q-WG1'].pk}").status_code == 404
    listed = {i["order_no"] for i in client.get("/api/v1/orders?limit=100").json()["items"]}
    assert listed == {"Q-SC1", "Q-CO1"}


def test_handler_export_contains_only_its_orders_masked(make_user, orders):
    client = login(make_user("sc", "handler", "SCJG"))
    res = client.get("/orders/export.xlsx?queue=all")
    assert res.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(res.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "工单编号"
    assert {r[0] for r in rows[1:]} == {"Q-SC1", "Q-CO1"}
    assert all(r[5] == "138****5678" for r in rows[1:])
    assert AuditLog.objects.filter(action="export").count() == 1


def test_handler_asking_for_another_departments_list_or_export_gets_404_audited(make_user, orders):
    from jidu.org.models import Department

    user = make_user("sc", "handler", "SCJG")
    client = login(user)
    wglt = Department.objects.get(code="WGLT")
    assert client.get(f"/orders/?queue=all&department={wglt.pk}").status_code == 404
    assert client.get(f"/orders/export.xlsx?queue=all&department={wglt.pk}").status_code == 404
    assert AuditLog.objects.filter(action="denied", user=user, object_id=str(wglt.pk)).count() == 2
    own = Department.objects.get(code="SCJG")
    assert client.get(f"/orders/?queue=all&department={own.pk}").status_code == 200


def test_city_wide_roles_see_everything(make_user, orders):
    for role in ["dispatcher", "supervisor", "leader"]:
        html = login(make_user(role, role)).get("/orders/?queue=all").content.decode()
        assert all(no in html for no in orders), role


def test_user_without_role_or_department_sees_nothing(make_user, orders):
    from jidu.org import scope

    assert not scope.restrict(make_user("nobody", ""), WorkOrder.objects.all()).exists()
    assert not scope.restrict(make_user("lost", "handler"), WorkOrder.objects.all()).exists()


def test_anonymous_is_sent_to_login(orders):
    res = Client().get("/orders/")
    assert res.status_code == 302 and "/accounts/login/" in res["Location"]
    assert Client().get("/api/v1/orders").status_code == 401
