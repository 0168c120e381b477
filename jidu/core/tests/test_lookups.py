"""`__any`: the same rows as `__in`, with the list sent as one parameter."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jidu.orders.models import Source, WorkOrder

pytestmark = pytest.mark.django_db


def _orders(n):
    source, _ = Source.objects.get_or_create(code="any-test", defaults={"name": "测试"})
    at = timezone.make_aware(dt.datetime(2026, 10, 3, 9, 0))
    return [WorkOrder.objects.create(source=source, order_no=f"任意{i:03d}", received_at=at, source_version=at,
                                     title=f"标题{i}", content="内容") for i in range(n)]


def test_any_matches_the_same_rows_as_in():
    orders = _orders(30)
    ids = [o.pk for o in orders[::3]] + [10**9]  # one id that does not exist
    by_any = sorted(WorkOrder.objects.filter(pk__any=ids).values_list("pk", flat=True))
    by_in = sorted(WorkOrder.objects.filter(pk__in=ids).values_list("pk", flat=True))
    assert by_any == by_in and len(by_any) == 10


def test_any_on_strings_and_foreign_keys():
    orders = _orders(5)
    numbers = ["任意001", "任意004", "不存在"]
    assert sorted(WorkOrder.objects.filter(order_no__any=numbers).values_list("order_no", flat=True)) == \
        ["任意001", "任意004"]
    assert WorkOrder.objects.filter(source__any=[orders[0].source_id]).count() == 5
    assert WorkOrder.objects.filter(source_id__any=[orders[0].source_id], pk__any=[orders[2].pk]).get() == orders[2]


def test_any_with_an_empty_list_or_none_matches_nothing():
    _orders(3)
    assert WorkOrder.objects.filter(pk__any=[]).count() == 0
    assert WorkOrder.objects.filter(pk__any=[None]).count() == 0
    assert WorkOrder.objects.exclude(pk__any=[]).count() == 3


def test_any_sends_one_parameter_whatever_the_list_length():
    orders = _orders(3)
    ids = [o.pk for o in orders] + list(range(10**8, 10**8 + 997))
    with CaptureQueriesContext(connection) as ctx:
        assert WorkOrder.objects.filter(pk__any=ids).count() == 3
    sql = ctx.captured_queries[-1]["sql"]
    if connection.vendor in ("postgresql", "sqlite"):
        assert "ANY(" in sql or "json_each(" in sql
        assert sql.count(str(10**8 + 500)) == 1  # the list is one literal, not 1,000 placeholders


def test_any_refuses_a_plain_string():
    with pytest.raises(TypeError):
        list(WorkOrder.objects.filter(order_no__any="任意001"))
