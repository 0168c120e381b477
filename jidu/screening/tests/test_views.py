"""The screening panel, corrections, rules pages and the API: permissions and scope."""

import pytest
from django.test import Client

from jidu.core.models import AuditLog
from jidu.orders.models import WorkOrder
from jidu.screening import services
from jidu.screening.models import Correction, OrderScreening, Rule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_rules")]


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def orders(ingest, record, screener):
    ingest(record("V-SC", lead_department="舟山市市场监督管理局"),
           record("V-WG", lead_department="舟山市文化和广电旅游体育局",
                  content="朱家尖民宿因台风停航拒不退还订金，游客要求退款"))
    found = {o.order_no: o for o in WorkOrder.objects.all()}
    services.screen_orders([o.pk for o in found.values()], screener=screener)
    return found


def test_order_page_shows_the_panel_with_provenance_and_explanation(make_user, orders):
    html = login(make_user("sup", "supervisor")).get(f"/orders/{orders['V-SC'].pk}/").content.decode()
    assert 'id="screening-panel"' in html and "线索筛查" in html
    assert "模型" in html and "依据" in html and "沈家门" in html
    assert "人工修正" in html  # the supervisor gets the correction forms


def test_handler_sees_the_panel_read_only_for_its_own_orders(make_user, orders):
    client = login(make_user("sc", "handler", "SCJG"))
    html = client.get(f"/orders/{orders['V-SC'].pk}/").content.decode()
    assert 'id="screening-panel"' in html and "人工修正" not in html
    assert client.get(f"/orders/{orders['V-WG'].pk}/").status_code == 404


def test_handler_cannot_correct(make_user, orders):
    client = login(make_user("sc", "handler", "SCJG"))
    res = client.post(f"/screening/orders/{orders['V-SC'].pk}/correct/enforcement/", {"enforcement-value": "no"})
    assert res.status_code == 403
    assert not Correction.objects.exists()


def test_handler_correcting_an_order_outside_its_scope_gets_404_and_is_audited(make_user, orders):
    user = make_user("sc", "handler", "SCJG")
    res = login(user).post(f"/screening/orders/{orders['V-WG'].pk}/correct/enforcement/",
                           {"enforcement-value": "no"})
    assert res.status_code == 404
    assert AuditLog.objects.filter(action="denied", user=user).exists()


def test_supervisor_corrects_and_the_page_shows_person_confirmed(make_user, orders):
    client = login(make_user("sup", "supervisor"))
    order = orders["V-SC"]
    res = client.post(f"/screening/orders/{order.pk}/correct/enforcement/",
                      {"enforcement-value": "no", "enforcement-note": "属于咨询"}, HTTP_HX_REQUEST="true")
    assert res.status_code == 200
    body = res.content.decode()
    assert "已确认" in body and "人工确认" in body
    s = OrderScreening.objects.get(order=order)
    assert s.enforcement is False and s.provenance["enforcement"] == "person"
    res = client.post(f"/screening/orders/{order.pk}/correct/problem/",
                      {"problem-value": ["短斤少两", "价格违法"]})
    assert res.status_code == 302
    html = client.get(f"/orders/{order.pk}/").content.decode()
    assert "人工确认" in html and "价格违法" in html and "属于咨询" in html
    assert "筛查人工确认：涉执法 否" in html  # on the timeline
    assert Correction.objects.filter(order=order).count() == 2


def test_invalid_correction_shows_an_error_and_records_nothing(make_user, orders):
    client = login(make_user("sup", "supervisor"))
    res = client.post(f"/screening/orders/{orders['V-SC'].pk}/correct/field/", {"field-value": "火星"},
                      HTTP_HX_REQUEST="true")
    assert res.status_code == 200 and "msg-error" in res.content.decode()
    assert not Correction.objects.exists()


def test_rules_pages_are_for_supervisors_only(make_user):
    assert login(make_user("sc", "handler", "SCJG")).get("/screening/rules/").status_code == 403
    assert login(make_user("ld", "leader")).get("/screening/rules/new/").status_code == 403
    client = login(make_user("sup", "supervisor"))
    assert client.get("/screening/rules/").status_code == 200
    html = client.get("/orders/").content.decode()
    assert "筛查规则" in html  # nav link


def test_supervisor_creates_edits_and_switches_a_rule(make_user):
    client = login(make_user("sup", "supervisor"))
    data = {"name": "鬼秤", "label": "problem", "value": "短斤少两", "match": "any", "pattern": "鬼秤 黑心秤",
            "effect": "suggest", "priority": 50, "active": "on"}
    res = client.post("/screening/rules/new/", data)
    assert res.status_code == 302
    rule = Rule.objects.get(name="鬼秤")
    assert rule.created_by.username == "sup"
    res = client.post(f"/screening/rules/{rule.pk}/", {**data, "priority": 5})
    assert res.status_code == 302 and Rule.objects.get(pk=rule.pk).priority == 5
    res = client.post(f"/screening/rules/{rule.pk}/toggle/", HTTP_HX_REQUEST="true")
    assert res.status_code == 200 and "已停用" in res.content.decode()
    assert not Rule.objects.get(pk=rule.pk).active
    assert "鬼秤" in client.get("/screening/rules/").content.decode()


def test_bad_regex_in_the_form_shows_a_clear_error(make_user):
    client = login(make_user("sup", "supervisor"))
    res = client.post("/screening/rules/new/", {"name": "坏", "label": "problem", "value": "短斤少两",
                                                 "match": "regex", "pattern": "(鬼秤", "effect": "suggest",
                                                 "priority": 1})
    assert res.status_code == 200 and "正则表达式有误" in res.content.decode()
    assert not Rule.objects.exists()


def test_try_button_reports_matches_among_the_last_orders(make_user, ingest, record):
    ingest(*[record(f"TR-{i}", content="海鲜摊用鬼秤缺斤少两" if i < 3 else "路灯不亮请维修") for i in range(10)])
    client = login(make_user("sup", "supervisor"))
    res = client.post("/screening/rules/try/", {"name": "试", "label": "problem", "value": "短斤少两",
                                                 "match": "any", "pattern": "鬼秤", "effect": "suggest",
                                                 "priority": 1}, HTTP_HX_REQUEST="true")
    body = res.content.decode()
    assert "将命中最近10件中的3件" in body and "TR-" in body
    assert not Rule.objects.exists()
    res = client.post("/screening/rules/try/", {"name": "试", "label": "problem", "value": "短斤少两",
                                                 "match": "regex", "pattern": "[", "effect": "suggest",
                                                 "priority": 1})
    assert "正则表达式有误" in res.content.decode()
    assert login(make_user("sc", "handler", "SCJG")).post("/screening/rules/try/", {}).status_code == 403


def test_api_returns_the_screening_within_scope(make_user, orders):
    sc = login(make_user("sc", "handler", "SCJG"))
    res = sc.get(f"/api/v1/orders/{orders['V-SC'].pk}/screening")
    assert res.status_code == 200
    data = res.json()
    assert data["order_no"] == "V-SC" and data["model_version"] == "test-tiny-1"
    assert data["summary"].startswith("筛查：") and "labels" in data and "entities" in data
    assert sc.get(f"/api/v1/orders/{orders['V-WG'].pk}/screening").status_code == 404
    assert Client().get(f"/api/v1/orders/{orders['V-SC'].pk}/screening").status_code == 401


def test_api_token_reads_screenings_of_its_own_source(orders, source):
    from jidu.intake.models import ApiToken

    raw = ApiToken.issue(name="r", source=source, scopes=["orders:read"])[1]
    res = Client().get(f"/api/v1/orders/{orders['V-SC'].pk}/screening", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert res.status_code == 200 and res.json()["order_id"] == orders["V-SC"].pk
