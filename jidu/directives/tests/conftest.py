import datetime as dt

import pytest
from django.utils import timezone

MY_RECEIVER = "directives.propose"
TZ = timezone.get_current_timezone()


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _only_my_receiver(monkeypatch, db):
    """Keep only this app's receiver on orders_ingested (screening/grading need ML models and are
    tested in their apps). The seeded rules look at enforcement-related orders only; the tests'
    orders are not screened, so the rules here apply to every order, and every rule is due."""
    from jidu.directives.models import DirectiveRule
    from jidu.intake.signals import orders_ingested

    mine = [r for r in orders_ingested.receivers if r[0][0] == MY_RECEIVER]
    monkeypatch.setattr(orders_ingested, "receivers", mine)
    monkeypatch.setattr(orders_ingested, "sender_receivers_cache", {})
    for rule in DirectiveRule.objects.all():
        rule.parameters = {**rule.parameters, "enforcement_only": False}
        rule.next_scan_at = at(2020, 1, 1)
        rule.save()


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
    """A supervisor, the market regulator's handler (the default order's lead), another
    department's handler and a leader."""
    return {
        "supervisor": make_user("sup", "supervisor", "SFJ"),
        "handler": make_user("scjg", "handler", "PT_SCJG"),
        "other": make_user("wglt", "handler", "PT_WGLT"),
        "leader": make_user("boss", "leader"),
    }


@pytest.fixture
def proposal(order):
    """A 督办单 proposal for an order whose callback was unsatisfied (the receiver proposes it)."""
    from jidu.directives.models import Directive

    def make(order_no="T-0100", **overrides):
        values = {"status": "已回访", "callback_satisfaction": "不满意", "callback_resolution": "未解决",
                  "callback_at": "2026-09-10 10:00:00", "lead_department": "普陀区市场监督管理局"}
        values.update(overrides)
        o = order(order_no, **values)
        return Directive.objects.get(order=o, rule__code="duban-unsatisfied")

    return make


@pytest.fixture
def clock(monkeypatch):
    """Set what timezone.now() answers (freezegun trips pydantic when a module is imported under it)."""
    from django.utils import timezone as tz

    class Clock:
        def set(self, *args):
            moment = at(*args)
            monkeypatch.setattr(tz, "now", lambda: moment)
            return moment

    return Clock()
