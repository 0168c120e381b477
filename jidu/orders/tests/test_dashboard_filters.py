"""The queue filters the dashboard's links use: field, problem type, clue colour, theme, lead
department only, and the due-date range."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from jidu.orders.models import OrderCoDepartment, WorkOrder

pytestmark = pytest.mark.django_db


def _order(source, no, **kw):
    now = timezone.now()
    return WorkOrder.objects.create(source=source, order_no=no, received_at=kw.pop("received_at", now),
                                    content="测试", source_version=now, **kw)


def test_queue_filters_for_dashboard_links(make_user, source):
    from jidu.grading.models import ClueGrade
    from jidu.org.models import Department, Field, ProblemType
    from jidu.screening.models import OrderProblem, OrderScreening, ReviewState

    scjg, wglt = Department.objects.get(code="SCJG"), Department.objects.get(code="WGLT")
    wenlv = Field.objects.get(code="wenlv")
    problem = ProblemType.objects.get(code="short_weight")
    tz = timezone.get_current_timezone()
    a = _order(source, "F-A", lead_department=scjg, due_at=dt.datetime(2026, 9, 10, 12, tzinfo=tz))
    b = _order(source, "F-B", lead_department=wglt, due_at=dt.datetime(2026, 9, 20, 12, tzinfo=tz))
    OrderCoDepartment.objects.create(order=b, department=scjg)
    s = OrderScreening.objects.create(order=a, field=wenlv, tourism=True, enforcement=True)
    OrderProblem.objects.create(screening=s, problem=problem, state=ReviewState.APPLIED)
    OrderScreening.objects.create(order=b, tourism=False)
    ClueGrade.objects.create(order=a, colour="red")
    ClueGrade.objects.create(order=b, colour="yellow")
    client = Client()
    client.force_login(make_user("sup", "supervisor"))

    def shown(query):
        html = client.get("/orders/?queue=all&" + query).content.decode()
        return {no for no in ("F-A", "F-B") if no in html}

    assert shown(f"field={wenlv.pk}") == {"F-A"}
    assert shown(f"problem={problem.pk}") == {"F-A"}
    assert shown("colour=red") == {"F-A"} and shown("colour=yellow") == {"F-B"}
    assert shown("theme=tourism") == {"F-A"}
    assert shown(f"department={scjg.pk}") == {"F-A", "F-B"}  # lead or co-department
    assert shown(f"department={scjg.pk}&lead_only=1") == {"F-A"}
    assert shown("due_from=2026-09-15&due_to=2026-09-30") == {"F-B"}
    assert shown("due_from=2026-09-10&due_to=2026-09-10") == {"F-A"}
    assert shown("") == {"F-A", "F-B"}
