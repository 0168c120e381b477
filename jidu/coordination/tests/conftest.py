import pytest


@pytest.fixture(autouse=True)
def _mute_order_receivers(monkeypatch):
    """Orders are created through intake; screening, grading and jurisdiction receivers are tested
    in their own apps (they need ML models or open disputes)."""
    from jidu.intake.signals import orders_ingested

    monkeypatch.setattr(orders_ingested, "receivers", [])
    monkeypatch.setattr(orders_ingested, "sender_receivers_cache", {})


@pytest.fixture
def dept():
    from jidu.org.models import Department

    return lambda code: Department.objects.get(code=code)


@pytest.fixture
def order(ingest, record):
    from jidu.orders.models import WorkOrder

    def make(order_no="T-0001", **overrides):
        outcomes = ingest(record(order_no, **overrides))
        assert outcomes[0].result in ("created", "updated", "unchanged"), outcomes[0]
        return WorkOrder.objects.get(order_no=order_no)

    return make


@pytest.fixture
def people(make_user):
    """A supervisor, a leader and handlers of two departments."""
    return {
        "sup": make_user("sup", "supervisor", "SFJ"),
        "leader": make_user("boss", "leader"),
        "scjg": make_user("scjg", "handler", "PT_SCJG"),
        "scjg2": make_user("scjg2", "handler", "PT_SCJG"),
        "wglt": make_user("wglt", "handler", "PT_WGLT"),
        "jtys": make_user("jtys", "handler", "PT_JTYS"),
    }


@pytest.fixture
def consultation(people, dept, order):
    from django.utils import timezone

    from jidu.coordination import services as svc

    def make(**overrides):
        values = {"by": people["sup"], "topic": "停航民宿退订纠纷会商", "kind": "huishang",
                  "departments": [dept("PT_SCJG"), dept("PT_WGLT")], "scheduled_at": timezone.now(),
                  "place": "市司法局会议室"}
        values.update(overrides)
        if "orders" not in values:
            values["orders"] = [order("T-0001")]
        return svc.create_consultation(**values)

    return make


@pytest.fixture
def inspection(people, dept):
    import datetime as dt

    from jidu.coordination import services as svc
    from jidu.org.models import Area

    def make(**overrides):
        values = {"by": people["sup"], "title": "朱家尖民宿联合巡查", "area": Area.objects.get(name="普陀区"),
                  "start_date": dt.date(2026, 7, 10), "end_date": dt.date(2026, 7, 11),
                  "departments": [dept("PT_SCJG"), dept("PT_WGLT")]}
        values.update(overrides)
        return svc.create_inspection(**values)

    return make
