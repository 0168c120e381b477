"""A small, varied set of orders whose every measure can be counted by hand (in Python, from the
attributes the fixture chose) and compared with the measures' SQL."""

import datetime as dt
import random
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

PERIOD = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
DEPTS = ["SCJG", "WGLT", "ZHZF", None]
AREAS = ["330903001", "330902001", "330902", "330903", None]  # 沈家门街道, 解放街道, 定海区, 普陀区
STATUSES = ["received", "dispatched", "in_progress", "replied", "called_back", "closed", "closed", "closed",
            "archived", "terminated", "reopened", "return_requested"]


@dataclass
class Planned:
    no: str
    received_at: dt.datetime
    status: str
    dept: str | None
    area: str | None
    due_at: dt.datetime | None
    replied_at: dt.datetime | None
    callback_at: dt.datetime | None
    satisfaction: str
    resolution: str
    reopened_event: bool
    returned_event: bool
    field: str | None
    tourism: bool
    problems: list = field(default_factory=list)
    colour: str | None = None
    pk: int | None = None


def plan(n=260, seed=11):
    rng = random.Random(seed)
    tz = timezone.get_current_timezone()
    out = []
    for i in range(n):
        day = dt.date(2026, 8, 25) + dt.timedelta(days=rng.randint(0, 42))
        received = dt.datetime.combine(day, dt.time(rng.randint(0, 23), rng.randint(0, 59)), tzinfo=tz)
        status = rng.choice(STATUSES)
        due = None if rng.random() < 0.08 else received + dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 5))
        replied = None
        if status not in ("received", "dispatched", "in_progress") or rng.random() < 0.2:
            replied = received + dt.timedelta(days=rng.randint(0, 24), hours=rng.randint(0, 23))
        callback = sat = res = None
        if status in ("called_back", "closed", "archived", "reopened") and rng.random() < 0.85:
            callback = (replied or received) + dt.timedelta(days=1)
            sat = rng.choice(["satisfied", "satisfied", "basic", "unsatisfied", "none"])
            res = rng.choice(["resolved", "resolved", "partial", "unresolved", ""])
        out.append(Planned(
            no=f"M-{i:04d}", received_at=received, status=status, dept=rng.choice(DEPTS), area=rng.choice(AREAS),
            due_at=due, replied_at=replied, callback_at=callback, satisfaction=sat or "", resolution=res or "",
            reopened_event=status in ("closed", "called_back") and rng.random() < 0.2,
            returned_event=status in ("dispatched", "in_progress", "closed") and rng.random() < 0.15,
            field=rng.choice(["wenlv", "shichang", None, None]), tourism=rng.random() < 0.3,
            problems=rng.sample(["false_advertising", "short_weight", "touting"], rng.randint(0, 2)),
            colour=rng.choice(["red", "orange", "yellow", None, None])))
    return out


@pytest.fixture
def dataset(db, source):
    from jidu.grading.models import ClueGrade
    from jidu.orders.models import OrderEvent, Status, WorkOrder
    from jidu.org.models import Area, Department, Field, ProblemType
    from jidu.screening.models import OrderProblem, OrderScreening, ReviewState

    depts = {d.code: d for d in Department.objects.filter(code__in=[c for c in DEPTS if c])}
    areas = {a.code: a for a in Area.objects.filter(code__in=[c for c in AREAS if c])}
    fields = {f.code: f for f in Field.objects.all()}
    problems = {p.code: p for p in ProblemType.objects.all()}
    planned = plan()
    orders = WorkOrder.objects.bulk_create([WorkOrder(
        source=source, order_no=p.no, order_type="complaint", received_at=p.received_at, content="测试诉求",
        status=p.status, lead_department=depts.get(p.dept), area=areas.get(p.area), due_at=p.due_at,
        replied_at=p.replied_at, callback_at=p.callback_at, callback_satisfaction=p.satisfaction,
        callback_resolution=p.resolution, source_version=p.received_at) for p in planned])
    events, screenings, grades = [], [], []
    for p, o in zip(planned, orders, strict=True):
        p.pk = o.pk
        if p.reopened_event:
            events.append(OrderEvent(order=o, kind=OrderEvent.Kind.STATUS, field="工单状态",
                                     old_value=Status.CALLED_BACK.label, new_value=Status.REOPENED.label))
        if p.returned_event:
            events.append(OrderEvent(order=o, kind=OrderEvent.Kind.STATUS, field="工单状态",
                                     old_value=Status.DISPATCHED.label, new_value=Status.RETURN_REQUESTED.label))
        screenings.append(OrderScreening(order=o, field=fields.get(p.field), tourism=p.tourism,
                                         enforcement=p.field is not None, state=ReviewState.APPLIED))
        if p.colour:
            grades.append(ClueGrade(order=o, colour=p.colour))
    OrderEvent.objects.bulk_create(events)
    ClueGrade.objects.bulk_create(grades)
    screenings = OrderScreening.objects.bulk_create(screenings)
    OrderProblem.objects.bulk_create([OrderProblem(screening=s, problem=problems[code], state=ReviewState.APPLIED)
                                      for p, s in zip(planned, screenings, strict=True) for code in p.problems])
    return planned
