import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def _mute_pipeline_receivers(monkeypatch):
    """Tests write screenings and grades by hand (no ML model in tests)."""
    from jidu.intake.signals import orders_ingested
    from jidu.screening.signals import orders_screened

    for signal in (orders_ingested, orders_screened):
        monkeypatch.setattr(signal, "receivers", [])
        monkeypatch.setattr(signal, "sender_receivers_cache", {})


@pytest.fixture
def order(ingest, record):
    """Ingest one order and write its screening, problems, cluster keys and grade by hand."""
    from jidu.grading.models import ClueGrade, ClusterKey
    from jidu.org.models import Field, ProblemType
    from jidu.orders.models import WorkOrder
    from jidu.screening.models import OrderProblem, OrderScreening

    def make(order_no, received_at, *, area="普陀区", problems=(), tourism=False, enforcement=False, field=None,
             colour=None, business=None, status="已派单", order_type="投诉"):
        outcomes = ingest(record(order_no, received_at=received_at, area=area, status=status, order_type=order_type))
        assert outcomes[0].result == "created", outcomes[0]
        o = WorkOrder.objects.get(order_no=order_no)
        s = OrderScreening.objects.create(order=o, enforcement=enforcement, tourism=tourism, state="applied",
                                          field=Field.objects.get(name=field) if field else None)
        for name in problems:
            OrderProblem.objects.create(screening=s, problem=ProblemType.objects.get(name=name))
        if business:
            ClusterKey.objects.create(order=o, key="b:n:" + business, received_at=o.received_at)
        if colour is not None:
            ClueGrade.objects.create(order=o, colour=colour or None)
        return o

    return make


@pytest.fixture
def september(order):
    """A small city month (2026-09) plus two orders in August and one in September 2025."""
    order("T-0001", "2026-09-01 09:00:00", problems=["短斤少两"], tourism=True, enforcement=True, field="市场监管",
          colour="red", business="阿强海鲜排档")
    order("T-0002", "2026-09-01 15:00:00", problems=["短斤少两", "价格违法"], tourism=True, enforcement=True,
          field="市场监管", colour="orange", business="阿强海鲜排档")
    order("T-0003", "2026-09-02 10:00:00", area="定海区", problems=["虚假宣传"], tourism=True, colour="yellow")
    order("T-0004", "2026-09-15 11:00:00", area="定海区", problems=["价格违法"], enforcement=True)
    order("T-0005", "2026-09-30 23:30:00", area="", order_type="咨询")
    order("T-0006", "2026-08-20 10:00:00", problems=["短斤少两"])
    order("T-0007", "2026-08-21 10:00:00", area="定海区")
    order("T-0008", "2025-09-10 10:00:00")
    order("T-0009", "2026-10-01 00:10:00")  # next month: never counted in September
    return dt.date(2026, 9, 1)
