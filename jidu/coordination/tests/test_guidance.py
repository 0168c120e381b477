import datetime as dt

import pytest
from django.utils import timezone

from jidu.coordination import services as svc
from jidu.coordination.models import Guidance
from jidu.notifications.models import Notification
from jidu.orders.models import OrderEvent

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 9, 28, 9, 0)


@pytest.fixture
def guidance(people, order):
    def make(**overrides):
        values = {"by": people["sup"], "order": order("T-0003", lead_department="普陀区市场监督管理局"),
                  "text": "请依法立案调查", "requested_action": "检定计量器具", "working_days": 3,
                  "start": timezone.make_aware(START)}
        values.update(overrides)
        return svc.issue_guidance(**values)
    return make


def test_guidance_goes_to_the_orders_lead_department_and_on_its_timeline(guidance, people):
    g = guidance()
    assert g.department.code == "PT_SCJG" and g.state == Guidance.State.ISSUED
    # 09-28 + 3 working days: 09-29, 09-30, then the National Day holiday → 10-08
    assert timezone.localtime(g.due_at).date() == dt.date(2026, 10, 8)
    assert Notification.objects.filter(kind="coordination.guidance", user=people["scjg"]).exists()
    assert OrderEvent.objects.filter(order=g.order, note__startswith="介入指导（致").exists()


def test_department_acknowledges_and_reports_action(guidance, people):
    g = guidance()
    svc.acknowledge_guidance(g, by=people["scjg"], note="收到")
    assert g.state == Guidance.State.ACKNOWLEDGED
    with pytest.raises(svc.CoordinationError, match="当前状态为“已签收”，不能签收"):
        svc.acknowledge_guidance(g, by=people["scjg"])
    svc.report_action(g, by=people["scjg2"], action_taken="已立案调查")
    g.refresh_from_db()
    assert g.state == Guidance.State.ACTED and g.acted_by == people["scjg2"]
    assert Notification.objects.filter(kind="coordination.guidance", user=people["sup"]).exists()
    with pytest.raises(svc.CoordinationError, match="当前状态为“已落实”，不能报告落实情况"):
        svc.report_action(g, by=people["scjg"], action_taken="再报一次")


def test_scan_marks_overdue_once_and_late_action_is_recorded(guidance, people):
    g = guidance()
    before_due = g.due_at - dt.timedelta(hours=1)
    assert svc.scan_overdue(now=before_due) == "介入指导逾期标记 0 件"
    after = g.due_at + dt.timedelta(minutes=1)
    assert svc.scan_overdue(now=after) == "介入指导逾期标记 1 件"
    assert svc.scan_overdue(now=after + dt.timedelta(hours=1)) == "介入指导逾期标记 0 件"
    g.refresh_from_db()
    assert g.state == Guidance.State.OVERDUE and g.overdue_check_at is None
    assert OrderEvent.objects.filter(order=g.order, note__contains="逾期未落实").count() == 1
    assert Notification.objects.filter(kind="coordination.guidance_overdue").values("user").distinct().count() == 3
    svc.acknowledge_guidance(g, by=people["scjg"])
    assert g.state == Guidance.State.OVERDUE and g.acknowledged_at
    svc.report_action(g, by=people["scjg"], action_taken="已处理")
    assert g.state == Guidance.State.ACTED and g.acted_late


def test_acted_guidance_is_never_marked_overdue(guidance, people):
    g = guidance()
    svc.report_action(g, by=people["scjg"], action_taken="已处理")
    assert svc.scan_overdue(now=g.due_at + dt.timedelta(days=1)) == "介入指导逾期标记 0 件"


def test_guidance_without_order_needs_a_department(people):
    with pytest.raises(svc.CoordinationError, match="请选择指导对象部门"):
        svc.issue_guidance(by=people["sup"], text="x", requested_action="y")


def test_scan_is_registered_as_a_periodic_job():
    from pathlib import Path

    import jidu.jobs
    from jidu.core.datafiles import read_json

    jobs = read_json(Path(jidu.jobs.__file__).parent / "data" / "periodic_jobs.json")["jobs"]
    assert any(j["target"] == "jidu.coordination.services.scan_overdue" for j in jobs)
