import pytest

MY_RECEIVER = "jurisdiction.returns"


@pytest.fixture(autouse=True)
def _mute_other_receivers(monkeypatch):
    """Keep only this app's receiver on orders_ingested (screening and grading need ML models and
    are tested in their apps); a fresh advice index for every test."""
    from jidu.intake.signals import orders_ingested
    from jidu.jurisdiction.services import advice
    from jidu.screening.signals import orders_screened

    mine = [r for r in orders_ingested.receivers if r[0][0] == MY_RECEIVER]
    monkeypatch.setattr(orders_ingested, "receivers", mine)
    monkeypatch.setattr(orders_ingested, "sender_receivers_cache", {})
    monkeypatch.setattr(orders_screened, "receivers", [])
    monkeypatch.setattr(orders_screened, "sender_receivers_cache", {})
    advice.invalidate()
    monkeypatch.setitem(advice._model_state, "model", None)  # no routing model unless a test installs one
    yield
    advice.invalidate()


@pytest.fixture
def dept():
    from jidu.org.models import Department

    return lambda code: Department.objects.get(code=code)


@pytest.fixture
def order(ingest, record):
    from jidu.orders.models import WorkOrder

    def make(order_no="ZS100", **overrides):
        outcomes = ingest(record(order_no, **overrides))
        assert outcomes[0].result in ("created", "updated"), outcomes[0]
        return WorkOrder.objects.get(order_no=order_no)

    return make


@pytest.fixture
def returned(order):
    """An order that the district market regulator returned (退单申请): the receiver opens a dispute."""
    from jidu.jurisdiction.models import Dispute

    def make(order_no="ZS200", **overrides):
        values = {"status": "退单申请", "return_reason": "停航退订属合同纠纷，非本单位职责",
                  "lead_department": "普陀区市场监督管理局", "title": "船班取消民宿不退房费",
                  "content": "船班取消了，上不了岛，民宿老板不肯退房费，要求退款。"}
        values.update(overrides)
        o = order(order_no, **values)
        return Dispute.objects.get(order=o, state="open")

    return make


@pytest.fixture
def committed_reference(transactional_db):
    """For thread tests: committed data. Transactional tests run last and flush the database, so
    reload the reference data when an earlier one wiped it."""
    from io import StringIO

    from django.core.management import call_command

    from jidu.org.models import Department

    if not Department.objects.exists():
        call_command("load_reference", stdout=StringIO())
    yield
