import pytest


@pytest.fixture(autouse=True)
def _mute_pipeline(monkeypatch):
    """Orders are ingested without the screening/grading/jurisdiction receivers; tests grade by hand."""
    from jidu.intake.signals import orders_ingested
    from jidu.screening.signals import orders_screened

    for signal in (orders_ingested, orders_screened):
        monkeypatch.setattr(signal, "receivers", [])
        monkeypatch.setattr(signal, "sender_receivers_cache", {})


@pytest.fixture
def dept():
    from jidu.org.models import Department

    return lambda code: Department.objects.get(code=code)


@pytest.fixture
def red_clue(ingest, record):
    """An order graded red (as the grading stage would leave it)."""
    from jidu.grading.models import ClueGrade
    from jidu.orders.models import WorkOrder

    def make(order_no="S-0001", colour="red", **overrides):
        values = {"lead_department": "普陀区市场监督管理局", "title": "沈家门海鲜排档短斤少两"}
        values.update(overrides)
        outcomes = ingest(record(order_no, **values))
        assert outcomes[0].result == "created", outcomes[0]
        order = WorkOrder.objects.get(order_no=order_no)
        ClueGrade.objects.create(order=order, colour=colour, points=9, reasons=["24小时内同一商户3起短斤少两投诉"])
        return order

    return make


@pytest.fixture
def people(make_user):
    return {"sup": make_user("sup", "supervisor", "SFJ"), "pt": make_user("pt", "handler", "PT_SCJG"),
            "dh": make_user("dh", "handler", "DH_SCJG"), "leader": make_user("ld", "leader")}


@pytest.fixture
def case(red_clue, people, dept):
    from jidu.supervision import services

    def make(order_no="S-0001"):
        return services.open_case(subject="海鲜排档短斤少两投诉处置不力", summary="群众反映短斤少两3起。",
                                  departments=[dept("PT_SCJG")], orders=[red_clue(order_no)], by=people["sup"])

    return make
