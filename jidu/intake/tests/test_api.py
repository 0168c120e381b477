"""Pushing and reading orders over the HTTP API."""

import pytest
from django.test import Client

from jidu.core.models import AuditLog
from jidu.intake.models import ApiToken
from jidu.orders.models import Source, WorkOrder

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(source):
    return ApiToken.issue(name="测试推送", source=source, scopes=["orders:write", "orders:read"])[1]


def post(client, url, payload, raw_token):
    return client.post(url, payload, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw_token}")


def test_push_one_order_creates_then_updates(client, token, record):
    res = post(client, "/api/v1/orders", record(), token)
    assert res.status_code == 201, res.content
    assert res.json()["result"] == "created"
    res = post(client, "/api/v1/orders", record(status="已签收"), token)
    assert res.status_code == 200 and res.json()["result"] == "updated"
    assert WorkOrder.objects.get(order_no="ZS001").status == "signed"


def test_push_invalid_order_gets_422_with_field_and_reason(client, token, record):
    res = post(client, "/api/v1/orders", record(received_at="昨天下午"), token)
    assert res.status_code == 422
    body = res.json()
    assert body["result"] == "error" and body["errors"][0]["field"] == "受理时间"
    assert "无法识别" in body["errors"][0]["reason"] or "日期" in body["errors"][0]["reason"]


def test_batch_returns_a_result_per_item_and_keeps_good_items(client, token, record):
    orders = [record(f"B{i}") for i in range(5)]
    orders[2]["received_at"] = "not a date"
    res = post(client, "/api/v1/orders/batch", {"orders": orders}, token)
    assert res.status_code == 200, res.content
    body = res.json()
    assert [r["result"] for r in body["results"]] == ["created", "created", "error", "created", "created"]
    assert body["created"] == 4 and body["errors"] == 1
    assert WorkOrder.objects.filter(order_no__startswith="B").count() == 4


def test_batch_over_the_limit_is_refused_whole(client, token, record, settings):
    settings.JIDU_API_BATCH_MAX = 1000
    orders = [record(f"C{i}") for i in range(1001)]
    res = post(client, "/api/v1/orders/batch", {"orders": orders}, token)
    assert res.status_code == 413
    assert "1000" in res.json()["detail"]
    assert not WorkOrder.objects.filter(order_no__startswith="C").exists()


def test_token_of_another_source_cannot_write_this_source(client, record):
    other = Source.objects.create(code="110", name="110联动")
    raw = ApiToken.issue(name="110", source=other, scopes=["orders:write"])[1]
    res = post(client, "/api/v1/orders", record(source="12345"), raw)
    assert res.status_code == 403
    assert not WorkOrder.objects.exists()


def test_orders_pushed_with_a_token_belong_to_its_source(client, record):
    other = Source.objects.create(code="110", name="110联动")
    raw = ApiToken.issue(name="110", source=other, scopes=["orders:write"])[1]
    assert post(client, "/api/v1/orders", record(), raw).status_code == 201
    assert WorkOrder.objects.get(order_no="ZS001").source == other


def test_revoked_unknown_and_wrong_scope_tokens_are_refused(client, source, record):
    token, raw = ApiToken.issue(name="t", source=source, scopes=["orders:write"])
    token.revoke()
    assert post(client, "/api/v1/orders", record(), raw).status_code == 401
    assert post(client, "/api/v1/orders", record(), "jidu_nope_nope").status_code == 401
    read_only = ApiToken.issue(name="r", source=source, scopes=["orders:read"])[1]
    assert post(client, "/api/v1/orders", record(), read_only).status_code == 401


def test_token_secret_is_stored_only_as_a_hash(source):
    token, raw = ApiToken.issue(name="t", source=source, scopes=["orders:write"])
    assert raw not in token.token_hash and len(token.token_hash) == 64
    assert ApiToken.authenticate(raw) == token


def test_read_token_sees_only_its_source_and_masked_caller(client, token, record):
    post(client, "/api/v1/orders", record(), token)
    other = Source.objects.create(code="110", name="110联动")
    WorkOrder.objects.create(source=other, order_no="X1", received_at="2026-09-01T09:00:00+08:00",
                             content="别的来源", source_version="2026-09-01T09:00:00+08:00")
    res = Client().get("/api/v1/orders", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert res.status_code == 200
    items = res.json()["items"]
    assert [i["order_no"] for i in items] == ["ZS001"]
    assert items[0]["caller_phone"] == "138****5678" and items[0]["caller_name"] == "张*"
    other_id = WorkOrder.objects.get(order_no="X1").pk
    assert Client().get(f"/api/v1/orders/{other_id}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    assert AuditLog.objects.filter(action="denied", object_id=str(other_id)).exists()


def test_openapi_schema_and_offline_docs_page(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "/api/v1/orders/batch" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower() and "/static/ninja/" in html
