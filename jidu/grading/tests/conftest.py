import pytest

ORIGINAL_RECEIVERS: list = []  # orders_screened's receivers as the apps connected them


@pytest.fixture(autouse=True)
def _mute_pipeline_receivers(monkeypatch):
    """Tests write screenings by hand (no ML model): keep the screening and grading receivers
    out of the ingest fixture; hook tests send the signals themselves."""
    from jidu.intake.signals import orders_ingested
    from jidu.screening.signals import orders_screened

    ORIGINAL_RECEIVERS[:] = list(orders_screened.receivers)
    for signal in (orders_ingested, orders_screened):
        monkeypatch.setattr(signal, "receivers", [])
        monkeypatch.setattr(signal, "sender_receivers_cache", {})


@pytest.fixture
def screen(db):
    """Write an OrderScreening for an order, as the screening stage would."""
    from jidu.org.models import Field, ProblemType
    from jidu.screening.models import OrderProblem, OrderScreening

    def write(order, *, problems=(), businesses=(), places=(), amounts=(), tourism=True, enforcement=True,
              field="市场监管", state="applied", explanation="命中“短斤少两”规则"):
        screening, _ = OrderScreening.objects.update_or_create(order=order, defaults={
            "enforcement": enforcement, "tourism": tourism, "kind": "violation",
            "field": Field.objects.get(name=field) if field else None, "state": state, "explanation": explanation,
            "entities": {"businesses": [b if isinstance(b, dict) else {"name": b, "uscc": ""} for b in businesses],
                         "amounts": list(amounts),
                         "places": [p if isinstance(p, dict) else {"name": p, "area_code": ""} for p in places]},
        })
        screening.problems.all().delete()
        for name in problems:
            OrderProblem.objects.create(screening=screening, problem=ProblemType.objects.get(name=name))
        return screening

    return write


@pytest.fixture
def clue(ingest, record, screen):
    """Ingest one order, screen it and grade it; returns the order (refreshed)."""
    from jidu.grading.services import grade_orders
    from jidu.orders.models import WorkOrder

    def make(order_no, received_at="2026-09-01 09:30:00", *, grade=True, record_overrides=None, **screening):
        outcomes = ingest(record(order_no, received_at=received_at, **(record_overrides or {})))
        assert outcomes[0].result == "created", outcomes[0]
        order = WorkOrder.objects.get(order_no=order_no)
        screen(order, **screening)
        if grade:
            grade_orders([order.pk])
        return WorkOrder.objects.select_related("grade").get(pk=order.pk)

    return make


def grade_of(order):
    from jidu.grading.models import ClueGrade

    return ClueGrade.objects.get(order=order)
