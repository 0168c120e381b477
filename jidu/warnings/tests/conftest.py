import datetime as dt
import itertools

import pytest
from django.utils import timezone

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _mute_pipeline_receivers(monkeypatch):
    """Orders are written directly here (with their screening), not screened by the pipeline."""
    from jidu.intake.signals import orders_ingested
    from jidu.screening.signals import orders_screened

    from jidu.warnings.detectors.spike import clear_cache

    for signal in (orders_ingested, orders_screened):
        monkeypatch.setattr(signal, "receivers", [])
        monkeypatch.setattr(signal, "sender_receivers_cache", {})
    clear_cache()


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.fixture
def make_orders(db):
    """Bulk-write orders with a screening: make_orders(n, "2026-10-02 10:00", field=, problems=, business=,
    area=, lead=, text=, spread_hours=) → list of WorkOrder."""
    from jidu.orders.models import Source, WorkOrder
    from jidu.org.models import Area, Department, Field, ProblemType
    from jidu.screening.models import OrderProblem, OrderScreening

    source = Source.objects.get(code="12345")
    cache = {}

    def get(model, name):
        if (model, name) not in cache:
            cache[(model, name)] = model.objects.filter(name=name).first() or model.objects.get(code=name)
        return cache[(model, name)]

    def make(n, start, *, field="文旅", problems=("退订退款纠纷",), business=None, area="朱家尖街道",
             lead="PT_WGLT", text="船停航了民宿不给退房费，要求退款", order_type="complaint", spread_hours=20.0,
             status="dispatched", due_at=None, title="民宿退款纠纷", tourism=True):
        if isinstance(start, list):
            times = start
        else:
            t0 = at(start) if isinstance(start, str) else start
            times = [t0 + dt.timedelta(hours=spread_hours * i / max(n, 1)) for i in range(n)]
        objs = []
        for received in times:
            k = next(_seq)
            objs.append(WorkOrder(source=source, order_no=f"W-{k:06d}", order_type=order_type, received_at=received,
                                  title=title, content=f"{text}（第{k}号）", area=get(Area, area) if area else None,
                                  lead_department=get(Department, lead) if lead else None,
                                  status=status, due_at=due_at, source_version=received))
        objs = WorkOrder.objects.bulk_create(objs)
        f = get(Field, field) if field else None
        ents = {"businesses": [business if isinstance(business, dict) else {"name": business, "uscc": ""}]
                if business else [], "places": [], "amounts": []}
        screenings = OrderScreening.objects.bulk_create([
            OrderScreening(order=o, enforcement=True, field=f, tourism=tourism, entities=ents, state="applied")
            for o in objs])
        OrderProblem.objects.bulk_create([OrderProblem(screening=s, problem=get(ProblemType, p))
                                          for s in screenings for p in problems])
        return objs

    return make
