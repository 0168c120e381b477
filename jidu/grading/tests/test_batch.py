"""Grading a batch gives the same grades and explanations as grading the orders one at a time, as
they arrive (each new order re-grading its cluster mates), whatever the chunk size."""

import pytest

from jidu.grading import services
from jidu.grading.models import ClueGrade, ClusterKey, GradeChange
from jidu.orders.models import OrderEvent

pytestmark = pytest.mark.django_db

STALL = "沈家门老王海鲜排档"
PIER = "朱家尖蜈蚣峙码头"

# (order no, received at, screening) — in the order they arrive.
ORDERS = [
    ("B-01", "2026-05-20 10:00:00", {"problems": ["价格违法"], "businesses": [STALL]}),  # repeat offender later
    ("B-02", "2026-09-01 09:00:00", {"problems": ["短斤少两"], "businesses": [STALL]}),
    ("B-03", "2026-09-01 15:00:00", {"problems": ["短斤少两"], "businesses": [STALL], "amounts": [6800]}),
    ("B-04", "2026-09-02 08:00:00", {"problems": ["短斤少两", "价格违法"], "businesses": [STALL]}),
    ("B-05", "2026-09-03 20:00:00", {"problems": ["价格违法"], "businesses": [STALL]}),  # 72-hour window only
    ("B-06", "2026-09-05 09:00:00", {"problems": ["黄牛揽客/强迫消费"], "places": [PIER]}),
    ("B-07", "2026-09-05 10:00:00", {"problems": ["黄牛揽客/强迫消费"], "places": [PIER]}),
    ("B-08", "2026-09-05 11:00:00", {"problems": ["退订退款纠纷"], "places": [PIER, "普陀区"]}),
    ("B-09", "2026-09-30 10:00:00", {"problems": ["退订退款纠纷"]}),  # 国庆 eve
    ("B-10", "2026-10-01 10:00:00", {"problems": ["退订退款纠纷"], "businesses": [STALL]}),  # 国庆
    ("B-11", "2026-10-01 18:00:00", {"problems": ["退订退款纠纷"], "businesses": [STALL]}),
    ("B-12", "2026-08-01 10:00:00", {"problems": ["退订退款纠纷"]}),  # summer peak + 观音 festival
    ("B-13", "2026-09-08 10:00:00", {"problems": ["食品安全"],
                                     "record_overrides": {"content": "吃了海鲜后一家三口食物中毒住院。"}}),
    ("B-14", "2026-09-08 11:00:00", {"problems": ["违章建筑/违法用地"], "tourism": False, "field": "住建"}),
    ("B-15", "2026-09-08 12:00:00", {"problems": ["短斤少两"], "enforcement": False}),
]


def _grades():
    fields = ("colour", "points", "reasons", "cluster_keys", "due_by", "policy_id", "computed_colour",
              "person_baseline")
    return {g["order__order_no"]: g for g in ClueGrade.objects.values("order__order_no", *fields)}


def _forget_grading():
    ClueGrade.objects.all().delete()
    ClusterKey.objects.all().delete()
    GradeChange.objects.all()._raw_delete(GradeChange.objects.db)  # append-only model: test reset only
    OrderEvent.objects.filter(actor_label=services.SYSTEM_LABEL).delete()


@pytest.fixture
def orders(clue):
    made = [clue(no, at, grade=False, **screening) for no, at, screening in ORDERS]
    return sorted(made, key=lambda o: (o.received_at, o.pk))


@pytest.mark.parametrize("chunk", [services.CHUNK, 4, 1])
def test_a_batch_grades_like_one_order_at_a_time(orders, monkeypatch, chunk):
    for order in orders:  # as they arrive: each order on its own, its cluster mates re-graded
        services.grade_orders([order.pk])
    one_by_one = _grades()
    assert len(one_by_one) == len(ORDERS)
    # the fixture covers every kind of criterion
    assert one_by_one["B-04"]["reasons"][0] == "24小时内同一商户3起短斤少两投诉"
    assert one_by_one["B-05"]["colour"] == "orange"
    assert any("屡查屡犯" in r for r in one_by_one["B-10"]["reasons"])
    assert one_by_one["B-07"]["reasons"][0] == "24小时内同一地点3起投诉"
    assert "国庆假期" in one_by_one["B-10"]["reasons"] and "国庆假期前一天" in one_by_one["B-09"]["reasons"]
    assert one_by_one["B-12"]["reasons"] == ["暑期旅游旺季", "普陀山观音香会（观音成道日）"]
    assert one_by_one["B-13"]["reasons"] == ["涉及人身安全（食物中毒）"]
    assert any("涉案金额6800元" in r for r in one_by_one["B-03"]["reasons"])
    assert one_by_one["B-14"]["colour"] is None and one_by_one["B-15"]["colour"] is None

    _forget_grading()
    monkeypatch.setattr(services, "CHUNK", chunk)
    # a batch in an order other than received (as an import chunk or `regrade` may hand them over)
    stats = services.grade_orders([o.pk for o in reversed(orders)])
    assert _grades() == one_by_one
    assert stats["graded"] + stats["ungraded"] == len(ORDERS)
    # each coloured order's history ends at its colour now (a refreshed explanation of the same
    # colour is not a change, so the latest change's text may be an earlier explanation)
    for no, grade in one_by_one.items():
        latest = GradeChange.objects.filter(order__order_no=no).values_list("to_colour", flat=True).first()
        assert latest == grade["colour"]
