import datetime as dt

import pytest
from django.db import connection

from jidu.core.bulk import Analyzer
from jidu.orders.models import WorkOrder

pytestmark = pytest.mark.django_db


def test_analyzer_runs_at_growing_intervals(monkeypatch):
    calls = []
    analyzer = Analyzer(WorkOrder, first=10, ceiling=40)
    monkeypatch.setattr(connection, "vendor", "postgresql")  # count the statements, whatever the DB

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql):
            calls.append(sql)

    monkeypatch.setattr(connection, "cursor", lambda: Cursor())
    for _ in range(20):
        analyzer.add(5)  # 100 rows in all
    # after 10, 20, 40, 80 rows (the step doubles up to the ceiling of 40)
    assert len(calls) == 4 and calls[0] == 'ANALYZE "orders_workorder"'


def _orders_for_rows():
    import datetime as dt

    from django.utils import timezone

    from jidu.orders.models import Source

    source, _ = Source.objects.get_or_create(code="bulk-test", defaults={"name": "测试"})
    at = timezone.make_aware(dt.datetime(2026, 10, 3, 23, 59, 59, 999999))
    full = WorkOrder(source=source, order_no="B-1", order_type="complaint", received_at=at,
                     caller_name="张三", caller_phone="13800000000", title="标题", content="短斤少两",
                     area_id=None, status="received", due_at=at, flags=["地址待核实"], source_version=at,
                     last_batch_row=7)
    sparse = WorkOrder(source=source, order_no="B-2", received_at=at, content="", source_version=at)
    return [full, sparse]


def test_fast_rows_equal_the_orms_values(monkeypatch):
    """insert_many's row preparation gives exactly the values Django's own per-field chain gives,
    for plain, encrypted, JSON, date-time, foreign-key and auto_now fields."""
    import datetime as dt

    from django.utils import timezone

    from jidu.core.bulk import _row_preparer
    from jidu.core.crypto import EncryptedTextField
    from jidu.orders.models import OrderEvent

    frozen = timezone.make_aware(dt.datetime(2026, 11, 27, 8, 0))
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    orders = _orders_for_rows()
    fields = [f for f in WorkOrder._meta.concrete_fields if not f.primary_key]
    prepare = _row_preparer(fields, connection)
    def readable(row):
        # Encryption draws a fresh nonce each time: compare the decrypted values. psycopg's Jsonb
        # wrapper has no equality: compare what it wraps.
        return [f.from_db_value(v, None, connection) if isinstance(f, EncryptedTextField)
                else getattr(v, "obj", v) for f, v in zip(fields, row, strict=True)]

    for o in orders:
        slow = [f.get_db_prep_save(f.pre_save(o, True), connection) for f in fields]
        assert readable(prepare(o)) == readable(slow)
    event = OrderEvent(order_id=12, kind="status", field="工单状态", new_value="已受理", at=frozen)
    fields = [f for f in OrderEvent._meta.concrete_fields if not f.primary_key]
    slow = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields]
    assert _row_preparer(fields, connection)(event) == slow

    # JSON objects and lists, aware date-times and dates take a shorter path: same values.
    from jidu.screening.models import OrderScreening
    from jidu.worktime.models import Holiday

    for obj in (OrderScreening(order_id=3, labels={"field": {"value": "市场监管", "score": 0.9}},
                               field_top=[["市场监管", 0.9], ["文旅", 0.1]], entities={}, provenance={"field": "model"},
                               rules_applied=[], screened_at=frozen + dt.timedelta(microseconds=7)),
                Holiday(date=dt.date(2026, 10, 1), kind="holiday", name="国庆节")):
        fields = [f for f in type(obj)._meta.concrete_fields if not f.primary_key]
        slow = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
        assert readable_plain(_row_preparer(fields, connection)(obj)) == readable_plain(slow)


def readable_plain(row):
    return [getattr(v, "obj", v) for v in row]


def test_insert_many_round_trips_encrypted_and_json_fields():
    from jidu.core.bulk import insert_many

    insert_many(WorkOrder, _orders_for_rows())
    full = WorkOrder.objects.get(order_no="B-1")
    assert (full.caller_name, full.caller_phone, full.flags, full.last_batch_row) == ("张三", "13800000000",
                                                                                    ["地址待核实"], 7)
    with connection.cursor() as c:  # at rest the name is not stored in clear
        c.execute(f"SELECT caller_name FROM {WorkOrder._meta.db_table} WHERE order_no = 'B-1'")
        assert "张三" not in c.fetchone()[0]
    assert WorkOrder.objects.get(order_no="B-2").flags == []


def _comparable(obj):
    d = {k: v for k, v in obj.__dict__.items() if k != "_state"}
    return d, (obj._state.adding, obj._state.db)


@pytest.mark.parametrize("model_path, values", [
    ("jidu.orders.models.WorkOrder", {"order_no": "B1", "title": "标题", "caller_name": "张三", "area_id": None,
                                      "flags": [{"code": "x"}]}),
    ("jidu.orders.models.OrderEvent", {"order_id": 5, "kind": "note", "note": "备注"}),
    ("jidu.screening.models.OrderScreening", {"order_id": 7, "field_id": 2, "labels": {"a": 1}, "summary": "摘要"}),
    ("jidu.screening.models.OrderProblem", {"screening_id": 3, "problem_id": 4, "score": 0.5}),
])
def test_build_gives_the_same_instance_as_the_model_constructor(model_path, values):
    from django.utils.module_loading import import_string

    from jidu.core.bulk import build

    model = import_string(model_path)
    fast, slow = build(model, **values), model(**values)
    fast_d, fast_state = _comparable(fast)
    slow_d, slow_state = _comparable(slow)
    assert fast_state == slow_state == (True, None)
    assert fast_d.keys() == slow_d.keys()
    for key in fast_d:
        if isinstance(slow_d[key], dt.datetime):  # a default of "now": taken a moment apart
            assert abs(fast_d[key] - slow_d[key]) < dt.timedelta(seconds=5), key
        else:
            assert fast_d[key] == slow_d[key], key
    # Mutable defaults are per instance, as with the constructor.
    again = build(model, **values)
    for key, value in fast_d.items():
        if isinstance(value, (list, dict)) and key not in values:
            assert again.__dict__[key] is not value


def test_build_refuses_an_unknown_field():
    from jidu.core.bulk import build
    from jidu.orders.models import OrderEvent

    with pytest.raises(TypeError, match="order"):
        build(OrderEvent, order=None)  # by attname: order_id
