from io import StringIO

import pytest

from jidu.coordination import demo_data
from jidu.coordination.models import Consultation, FollowUpTask, Guidance, Inspection, ListEntryChange

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent(make_user, ingest, record):
    make_user("supervisor", "supervisor", "SFJ")
    ingest(record("T-0100", lead_department="普陀区市场监督管理局", content="海鲜排档短斤少两"))
    out = StringIO()
    demo_data.populate(out)
    assert "新增会商会审、联合巡查、介入指导" in out.getvalue()
    counts = [Consultation.objects.count(), Inspection.objects.count(), Guidance.objects.count(),
              FollowUpTask.objects.count(), ListEntryChange.objects.count()]
    assert counts == [1, 1, 1, 1, 1]
    c = Consultation.objects.get()
    assert c.state == Consultation.State.CONCLUDED
    i = Inspection.objects.get()
    assert i.state == Inspection.State.COMPLETED and i.findings.count() == 2 and i.cases.count() == 1
    assert Guidance.objects.get().order.order_no == "T-0100"
    out = StringIO()
    demo_data.populate(out)
    assert "已存在" in out.getvalue()
    assert [Consultation.objects.count(), Inspection.objects.count(), Guidance.objects.count(),
            FollowUpTask.objects.count(), ListEntryChange.objects.count()] == counts
