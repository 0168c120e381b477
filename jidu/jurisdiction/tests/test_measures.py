import datetime as dt
import statistics

import pytest
from django.utils import timezone

from jidu.jurisdiction import services
from jidu.jurisdiction.models import Dispute

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()


def test_measures_match_direct_counts(order, dept):
    base = dt.datetime(2026, 9, 1, 8, tzinfo=TZ)
    plan = [("PT_SCJG", 2, "decided"), ("PT_SCJG", 30, "decided"), ("PT_SCJG", None, "open"),
            ("PT_WGLT", 5, "decided"), ("PT_WGLT", None, "escalated"), ("PT_WGLT", 1, "withdrawn")]
    for i, (code, hours, state) in enumerate(plan):
        o = order(f"ME{i}")
        opened = base + dt.timedelta(days=i)
        Dispute.objects.create(order=o, returning_department=dept(code), opened_at=opened,
                               due_at=opened + dt.timedelta(hours=24), state=state,
                               decided_at=opened + dt.timedelta(hours=hours) if state == "decided" else None)
    outside = order("ME-out")
    Dispute.objects.create(order=outside, returning_department=dept("PT_SCJG"), opened_at=base - dt.timedelta(days=40),
                           due_at=base, state="decided", decided_at=base - dt.timedelta(days=39))
    start, end = base, base + dt.timedelta(days=30)
    m = services.measures(start, end)
    qs = Dispute.objects.filter(opened_at__gte=start, opened_at__lt=end)
    decided = qs.filter(state="decided")
    within = [d for d in decided if d.decided_at <= d.due_at]
    assert m["opened"] == qs.count() == 6
    assert m["decided"] == decided.count() == 3
    assert m["decided_within_limit"] == len(within) == 2
    assert m["share_within_limit"] == round(2 / 6, 4)
    assert m["median_hours_to_decision"] == statistics.median([2, 30, 5]) == 5
    scjg = services.measures(start, end, department=dept("PT_SCJG"))
    assert (scjg["opened"], scjg["decided"], scjg["decided_within_limit"]) == (3, 2, 1)
    assert scjg["median_hours_to_decision"] == 16
    rows = {r["department"].code: r for r in services.measures_by_department(start, end)}
    assert set(rows) == {"PT_SCJG", "PT_WGLT"} and rows["PT_WGLT"]["escalated"] == 1
    empty = services.measures(end, end + dt.timedelta(days=1))
    assert empty["opened"] == 0 and empty["share_within_limit"] is None
